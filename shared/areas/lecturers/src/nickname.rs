//! `GET`/`PATCH /lecturers/nickname/{nickname}`: nicknames are unique among lecturers through a
//! guard item, which a change moves in the same transaction as the profile.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::PathText;
use connection_http::guards::LecturerSession;
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::keys;
use connection_table::{Cond, TxOp, Update};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use connection_http::fields::Checks;

use crate::profile::check_nickname;
use crate::{LecturersState, nickname_taken};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    is_available: bool,
}

fn checked(nickname: &str) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    check_nickname(&mut checks, nickname);
    checks.finish()
}

/// Whether a lecturer nickname is free.
#[utoipa::path(get, path = "/lecturers/nickname/{nickname}", tag = "lecturers",
    params(("nickname" = String, Path, description = "1 to 11 characters")),
    responses((status = 200, description = "Whether it is free", body = Envelope<Availability>), (status = "default", description = "The error envelope: 400 not a nickname", body = ErrorBody)))]
pub async fn available(
    State(state): State<LecturersState>,
    PathText(nickname): PathText,
) -> Result<Data<Availability>, ApiError> {
    checked(&nickname)?;
    let taken = state.core.table.get(&keys::lecturer_nickname_guard(&nickname)).await?.is_some();
    Ok(Data(Availability { is_available: !taken }))
}

/// Change my nickname: the old guard goes, the new one comes, the profile follows, all at once.
#[utoipa::path(patch, path = "/lecturers/nickname/{nickname}", tag = "lecturers", security(("bearer" = [])),
    params(("nickname" = String, Path, description = "The new nickname, 1 to 11 characters")),
    responses((status = 200, description = "Changed", body = StatusOnly), (status = "default", description = "The error envelope: 400 not a nickname or taken, 401 refused", body = ErrorBody)))]
pub async fn change(
    State(state): State<LecturersState>,
    LecturerSession(lecturer, _): LecturerSession,
    PathText(nickname): PathText,
) -> Result<Empty, ApiError> {
    checked(&nickname)?;
    if nickname == lecturer.nickname {
        return Ok(Empty);
    }
    let guard = keys::lecturer_nickname_guard(&nickname).item_with(json!({"lecturerId": lecturer.id}));
    let ops = vec![
        TxOp::Put { item: guard, cond: Some(Cond::NotExists) },
        TxOp::Delete {
            key: keys::lecturer_nickname_guard(&lecturer.nickname),
            // A guard that is not mine would be another lecturer's nickname.
            cond: Some(Cond::Or(vec![Cond::NotExists, Cond::Eq("lecturerId".into(), lecturer.id.into())])),
        },
        TxOp::Update {
            key: keys::lecturer(lecturer.id),
            update: Update::new().set("nickname", nickname).set("updatedAt", iso8601(state.core.clock.now())),
            cond: Some(Cond::Eq("nickname".into(), lecturer.nickname.clone().into())),
        },
    ];
    match state.core.table.transact(ops).await {
        Ok(()) => Ok(Empty),
        Err(e) if e.failed_at(0) => Err(nickname_taken()),
        Err(e) if e.failed_at(1) || e.failed_at(2) => {
            Err(ApiError::conflict("NicknameChanged", "닉네임이 동시에 변경되었습니다. 다시 시도해 주세요."))
        }
        Err(e) => Err(e.into()),
    }
}
