//! `GET /popular-lecturers`: the top of the lecturers' ranking index, read in one Query. The
//! rank (flows.md §11 popularity) moves with every like and booking in the write that makes it.

use axum::extract::State;
use connection_http::guards::GuestOrUser;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::decode;
use connection_model::lecturer::{LecturerRecord, RANKING};
use connection_table::{Index, Query};
use serde::Serialize;
use utoipa::ToSchema;

use crate::LecturersState;
use crate::follows::blocked_ids;
use crate::views::LecturerCard;

/// How many lecturers the list shows.
const TOP: usize = 8;

#[derive(Serialize, ToSchema)]
pub struct PopularData {
    lecturers: Vec<LecturerCard>,
}

/// The most popular lecturers, without those the member blocks.
#[utoipa::path(get, path = "/popular-lecturers", tag = "lecturers", security((), ("bearer" = [])),
    responses((status = 200, description = "Up to 8 lecturers, most popular first", body = Envelope<PopularData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn popular_lecturers(
    State(state): State<LecturersState>,
    GuestOrUser(caller): GuestOrUser,
) -> Result<Data<PopularData>, ApiError> {
    let table = state.core.table.as_ref();
    let blocked = match &caller {
        Some(user) => blocked_ids(table, user.id).await?,
        None => Vec::new(),
    };
    let limit = u32::try_from(TOP + blocked.len()).unwrap_or(u32::MAX);
    let page = table.query(Query::gsi(Index::Rank, RANKING).backward().limit(limit)).await?;
    let mut lecturers = Vec::with_capacity(TOP);
    for item in page.items {
        let lecturer: LecturerRecord = decode(item)?;
        if lecturer.deleted_at.is_none() && !blocked.contains(&lecturer.id) && lecturers.len() < TOP {
            lecturers.push(LecturerCard::from(&lecturer));
        }
    }
    Ok(Data(PopularData { lecturers }))
}
