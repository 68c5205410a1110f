//! Lecture likes (`/lecture-likes`): one per (lecture, user), idempotent, counted on the lecture
//! (and its popularity) in the same transaction.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::PathId;
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::lecture::LectureRecord;
use connection_model::pairs::{self, Added};
use connection_model::{decode, keys};
use connection_table::{Index, Key, Query, next_id};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::views::LectureRow;
use crate::{LecturesState, not_found_lecture};

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikeRow {
    id: i64,
    lecture_id: i64,
    user_id: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikeData {
    lecture_like: LikeRow,
}

/// Like a class. A second like answers the first one.
#[utoipa::path(post, path = "/lecture-likes/{lectureId}", tag = "lecture likes", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 201, description = "Liked (now or before)", body = Envelope<LikeData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such lecture", body = ErrorBody)))]
pub async fn like(
    State(state): State<LecturesState>,
    UserGuard(user): UserGuard,
    PathId(lecture_id): PathId,
) -> Result<Data<LikeData>, ApiError> {
    let table = state.core.table.as_ref();
    let key = keys::lecture_like(user.id, lecture_id);
    let id = next_id(table, "lectureLike").await?;
    let item = key.item_with(json!({
        "entity": "LectureLike", "id": id, "lectureId": lecture_id, "userId": user.id,
        "createdAt": iso8601(state.core.clock.now()),
        "gsi1pk": keys::liked_lectures(user.id), "gsi1sk": keys::id_sort(id),
    }));
    match pairs::add(table, item, pairs::count_like(keys::lecture(lecture_id))).await? {
        Added::New => Ok(Data(LikeData { lecture_like: LikeRow { id, lecture_id, user_id: user.id } })),
        Added::Existing(existing) => Ok(Data(LikeData { lecture_like: decode(existing)? })),
        Added::TargetGone => Err(not_found_lecture()),
    }
}

/// Stop liking a class; nothing liked is fine.
#[utoipa::path(delete, path = "/lecture-likes/{lectureId}", tag = "lecture likes", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 200, description = "Not liked (any more)", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid id, 401 refused", body = ErrorBody)))]
pub async fn unlike(
    State(state): State<LecturesState>,
    UserGuard(user): UserGuard,
    PathId(lecture_id): PathId,
) -> Result<Empty, ApiError> {
    let like = keys::lecture_like(user.id, lecture_id);
    pairs::remove_like(state.core.table.as_ref(), like, keys::lecture(lecture_id)).await?;
    Ok(Empty)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikedLecture {
    #[serde(flatten)]
    like: LikeRow,
    lecture: LectureRow,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikedData {
    liked_lecture: Vec<LikedLecture>,
}

/// The classes I like, newest like first (deleted classes left out).
#[utoipa::path(get, path = "/lecture-likes/users", tag = "lecture likes", security(("bearer" = [])),
    responses((status = 200, description = "My liked classes", body = Envelope<LikedData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn liked(
    State(state): State<LecturesState>,
    UserGuard(user): UserGuard,
) -> Result<Data<LikedData>, ApiError> {
    let table = state.core.table.as_ref();
    let page = table.query(Query::gsi(Index::Gsi1, keys::liked_lectures(user.id)).backward()).await?;
    let likes = page.items.into_iter().map(decode::<LikeRow>).collect::<Result<Vec<_>, _>>()?;
    let wanted: Vec<Key> = likes.iter().map(|l| keys::lecture(l.lecture_id)).collect();
    let lectures = table.batch_get(&wanted).await?;
    let mut out = Vec::with_capacity(likes.len());
    for (like, item) in likes.into_iter().zip(lectures) {
        if let Some(lecture) = item.map(decode::<LectureRecord>).transpose()?
            && lecture.deleted_at.is_none()
        {
            out.push(LikedLecture { like, lecture: LectureRow::from(&lecture) });
        }
    }
    Ok(Data(LikedData { liked_lecture: out }))
}
