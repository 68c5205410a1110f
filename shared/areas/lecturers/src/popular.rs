//! `GET /popular-lecturers`: the top of the lecturers' ranking index, read in one Query (and,
//! for a member, one batch read of their profile and blocks). The rank (flows.md §11
//! popularity) moves with every like and booking in the write that makes it.

use axum::extract::State;
use connection_http::guards::{GuestOrUserToken, active_user};
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecturer::{LecturerRecord, RANKING};
use connection_model::{decode, keys};
use connection_table::{Index, Query};
use serde::Serialize;
use utoipa::ToSchema;

use crate::LecturersState;
use crate::views::LecturerCard;

/// How many lecturers the list shows.
const TOP: usize = 8;
/// Candidates read per place for a member, so that blocked lecturers rarely leave it short.
const SLACK: usize = 3;

#[derive(Serialize, ToSchema)]
pub struct PopularData {
    lecturers: Vec<LecturerCard>,
}

/// The most popular lecturers, without those the member blocks.
#[utoipa::path(get, path = "/popular-lecturers", tag = "lecturers", security((), ("bearer" = [])),
    responses((status = 200, description = "Up to 8 lecturers, most popular first", body = Envelope<PopularData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn popular_lecturers(
    State(state): State<LecturersState>,
    GuestOrUserToken(caller): GuestOrUserToken,
) -> Result<Data<PopularData>, ApiError> {
    let table = state.core.table.as_ref();
    let slack = if caller.is_some() { SLACK } else { 1 };
    let page = table.query(Query::gsi(Index::Rank, RANKING).backward().limit((TOP * slack) as u32)).await?;
    let candidates = page.items.into_iter().map(decode::<LecturerRecord>).collect::<Result<Vec<_>, _>>()?;
    let blocked: Vec<bool> = match caller {
        // The member's profile and their blocks of the candidates: one batch read.
        Some(user) => {
            let mut wanted = vec![keys::user(user)];
            wanted.extend(candidates.iter().map(|l| keys::lecturer_block(user, l.id)));
            let mut found = table.batch_get(&wanted).await?.into_iter();
            active_user(found.next().flatten())?;
            found.map(|b| b.is_some()).collect()
        }
        None => vec![false; candidates.len()],
    };
    let lecturers = candidates
        .iter()
        .zip(blocked)
        .filter(|(l, blocked)| l.deleted_at.is_none() && !blocked)
        .take(TOP)
        .map(|(l, _)| LecturerCard::from(l))
        .collect();
    Ok(Data(PopularData { lecturers }))
}
