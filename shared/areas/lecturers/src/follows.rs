//! Likes (`/lecturer-likes`) and blocks (`/lecturer-block`) of lecturers. Both are idempotent:
//! liking twice or unliking what is not liked answers 2xx and changes no count. A like and the
//! lecturer's like counter (and popularity) change in one transaction.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::PathId;
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::lecturer::LecturerRecord;
use connection_model::pairs::{self, Added};
use connection_model::{decode, keys};
use connection_table::{Index, Item, Key, Query, Table, next_id};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use connection_http::views::{RegionView, UrlView, regions, urls};

use crate::views::{self, GenreView};
use crate::{LecturersState, not_found_lecturer};

/// A like or a block as stored: the pair and the id it answered with.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Pair {
    id: i64,
    lecturer_id: i64,
    user_id: i64,
}

fn stored_pair(item: Item) -> Result<Pair, ApiError> {
    decode(item).map_err(ApiError::from)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikeData {
    lecturer_like: Pair,
}

/// Like a lecturer. A second like answers the first one.
#[utoipa::path(post, path = "/lecturer-likes/{lecturerId}", tag = "lecturer likes", security(("bearer" = [])),
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 201, description = "Liked (now or before)", body = Envelope<LikeData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such lecturer", body = ErrorBody)))]
pub async fn like(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
    PathId(lecturer_id): PathId,
) -> Result<Data<LikeData>, ApiError> {
    let table = state.core.table.as_ref();
    let key = keys::lecturer_like(user.id, lecturer_id);
    let id = next_id(table, "lecturerLike").await?;
    let pair = Pair { id, lecturer_id, user_id: user.id };
    let item = key.item_with(json!({
        "entity": "LecturerLike", "id": id, "lecturerId": lecturer_id, "userId": user.id,
        "createdAt": iso8601(state.core.clock.now()),
        "gsi1pk": keys::liked_lecturers(user.id), "gsi1sk": keys::id_sort(id),
        "gsi2pk": keys::lecturer_followers(lecturer_id), "gsi2sk": format!("USER#{}", keys::id_sort(user.id)),
    }));
    match pairs::add(table, item, pairs::count_like(keys::lecturer(lecturer_id))).await? {
        Added::New => Ok(Data(LikeData { lecturer_like: pair })),
        Added::Existing(existing) => Ok(Data(LikeData { lecturer_like: stored_pair(existing)? })),
        Added::TargetGone => Err(not_found_lecturer()),
    }
}

/// Stop liking a lecturer.
#[utoipa::path(delete, path = "/lecturer-likes/{lecturerId}", tag = "lecturer likes", security(("bearer" = [])),
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 200, description = "Not liked (any more)", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid id, 401 refused", body = ErrorBody)))]
pub async fn unlike(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
    PathId(lecturer_id): PathId,
) -> Result<Empty, ApiError> {
    let like = keys::lecturer_like(user.id, lecturer_id);
    pairs::remove_like(state.core.table.as_ref(), like, keys::lecturer(lecturer_id)).await?;
    Ok(Empty)
}

/// The pairs of a user's list (newest first) with their lecturers, skipping deleted ones: one
/// Query and one batch read.
async fn with_lecturers(
    table: &dyn Table,
    partition: String,
) -> Result<Vec<(Pair, LecturerRecord)>, ApiError> {
    let page = table.query(Query::gsi(Index::Gsi1, partition).backward()).await?;
    let pairs = page.items.into_iter().map(stored_pair).collect::<Result<Vec<_>, _>>()?;
    let wanted: Vec<Key> = pairs.iter().map(|p| keys::lecturer(p.lecturer_id)).collect();
    let found = table.batch_get(&wanted).await?;
    let mut out = Vec::with_capacity(pairs.len());
    for (pair, item) in pairs.into_iter().zip(found) {
        if let Some(lecturer) = item.map(decode::<LecturerRecord>).transpose()?
            && lecturer.deleted_at.is_none()
        {
            out.push((pair, lecturer));
        }
    }
    Ok(out)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikedLecturer {
    nickname: String,
    affiliation: Option<String>,
    stars: f64,
    lecturer_region: Vec<RegionView>,
    lecturer_dance_genre: Vec<GenreView>,
    lecturer_profile_image_url: Vec<UrlView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikeItem {
    #[serde(flatten)]
    pair: Pair,
    lecturer: LikedLecturer,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LikesData {
    count: usize,
    lecturer_like: Vec<LikeItem>,
}

/// The lecturers I like, newest like first.
#[utoipa::path(get, path = "/lecturer-likes", tag = "lecturer likes", security(("bearer" = [])),
    responses((status = 200, description = "My liked lecturers", body = Envelope<LikesData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn likes(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
) -> Result<Data<LikesData>, ApiError> {
    let rows = with_lecturers(state.core.table.as_ref(), keys::liked_lecturers(user.id)).await?;
    let items: Vec<LikeItem> = rows
        .into_iter()
        .map(|(pair, l)| LikeItem {
            pair,
            lecturer: LikedLecturer {
                stars: l.stars(),
                lecturer_region: regions(&l.regions),
                lecturer_dance_genre: views::genres(&l),
                lecturer_profile_image_url: urls(&l.profile_images),
                nickname: l.nickname,
                affiliation: l.affiliation,
            },
        })
        .collect();
    Ok(Data(LikesData { count: items.len(), lecturer_like: items }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockData {
    lecturer_block: Pair,
}

/// Block a lecturer: they and their classes leave my popular, latest and search lists.
#[utoipa::path(post, path = "/lecturer-block/{lecturerId}", tag = "lecturer blocks", security(("bearer" = [])),
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 201, description = "Blocked (now or before)", body = Envelope<BlockData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such lecturer", body = ErrorBody)))]
pub async fn block(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
    PathId(lecturer_id): PathId,
) -> Result<Data<BlockData>, ApiError> {
    let table = state.core.table.as_ref();
    let key = keys::lecturer_block(user.id, lecturer_id);
    let id = next_id(table, "lecturerBlock").await?;
    let item = key.item_with(json!({
        "entity": "LecturerBlock", "id": id, "lecturerId": lecturer_id, "userId": user.id,
        "createdAt": iso8601(state.core.clock.now()),
        "gsi1pk": keys::blocked_lecturers(user.id), "gsi1sk": keys::id_sort(id),
    }));
    match pairs::add(table, item, pairs::check_live(keys::lecturer(lecturer_id))).await? {
        Added::New => Ok(Data(BlockData { lecturer_block: Pair { id, lecturer_id, user_id: user.id } })),
        Added::Existing(existing) => Ok(Data(BlockData { lecturer_block: stored_pair(existing)? })),
        Added::TargetGone => Err(not_found_lecturer()),
    }
}

/// Unblock a lecturer.
#[utoipa::path(delete, path = "/lecturer-block/{lecturerId}", tag = "lecturer blocks", security(("bearer" = [])),
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 200, description = "Not blocked (any more)", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid id, 401 refused", body = ErrorBody)))]
pub async fn unblock(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
    PathId(lecturer_id): PathId,
) -> Result<Empty, ApiError> {
    state.core.table.delete(&keys::lecturer_block(user.id, lecturer_id), None).await?;
    Ok(Empty)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockedLecturer {
    nickname: String,
    /// The main gallery image only.
    lecturer_profile_image_url: Vec<UrlView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockItem {
    #[serde(flatten)]
    pair: Pair,
    lecturer: BlockedLecturer,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlocksData {
    count: usize,
    lecturer_block: Vec<BlockItem>,
}

/// The lecturers I block, newest first.
#[utoipa::path(get, path = "/lecturer-block", tag = "lecturer blocks", security(("bearer" = [])),
    responses((status = 200, description = "My blocked lecturers", body = Envelope<BlocksData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn blocks(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
) -> Result<Data<BlocksData>, ApiError> {
    let rows = with_lecturers(state.core.table.as_ref(), keys::blocked_lecturers(user.id)).await?;
    let items: Vec<BlockItem> = rows
        .into_iter()
        .map(|(pair, l)| BlockItem {
            pair,
            lecturer: BlockedLecturer {
                lecturer_profile_image_url: urls(&l.profile_images[..l.profile_images.len().min(1)]),
                nickname: l.nickname,
            },
        })
        .collect();
    Ok(Data(BlocksData { count: items.len(), lecturer_block: items }))
}
