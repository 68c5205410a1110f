//! The passes a learner bought (written by the purchase, issue #9's payments): only enabled
//! ones (paid for) are listed, newest first, from one Query of the learner's passes.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::{PathId, QueryParams};
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::pagination::{PageQuery, plan, window};
use connection_http::{ApiError, Data};
use connection_model::offers::UserPassRecord;
use connection_model::{decode, keys};
use connection_table::{Index, Query, Table, query_all};
use serde::Serialize;
use utoipa::ToSchema;

use crate::PassesState;
use crate::views::UserPassView;

/// A learner's enabled passes, newest first.
async fn enabled_passes(table: &dyn Table, user_id: i64) -> Result<Vec<UserPassRecord>, ApiError> {
    let items = query_all(table, Query::gsi(Index::Gsi1, keys::user_passes(user_id)).backward()).await?;
    Ok(items.into_iter().map(decode).collect::<Result<_, _>>()?)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassPage {
    total_item_count: usize,
    user_pass_list: Vec<UserPassView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassListData {
    user_pass_list: UserPassPage,
}

/// My passes, newest first (`take` and `lastItemId`).
#[utoipa::path(get, path = "/user-passes", tag = "user passes", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of my passes and how many I hold", body = Envelope<UserPassListData>), (status = "default", description = "The error envelope: 400 invalid query or unknown member, 401 refused", body = ErrorBody)))]
pub async fn user_passes(
    State(state): State<PassesState>,
    UserGuard(user): UserGuard,
    QueryParams(page): QueryParams<PageQuery>,
) -> Result<Data<UserPassListData>, ApiError> {
    let passes = enabled_passes(state.core.table.as_ref(), user.id).await?;
    let total_item_count = passes.len();
    let user_pass_list = window(passes, &plan(&page), |p| p.id).iter().map(UserPassView::from).collect();
    Ok(Data(UserPassListData { user_pass_list: UserPassPage { total_item_count, user_pass_list } }))
}

/// A booking made with a pass; pass bookings arrive with the payments.
#[derive(Serialize, ToSchema)]
pub struct PassBooking {
    id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UserPassInfo {
    #[serde(flatten)]
    pass: UserPassView,
    reservation: Vec<PassBooking>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassData {
    /// Null when I hold no enabled copy of that pass.
    user_pass_info: Option<UserPassInfo>,
}

/// My enabled copy of a pass (by the pass's id).
#[utoipa::path(get, path = "/user-passes/{passId}", tag = "user passes", security(("bearer" = [])),
    params(("passId" = i64, Path, description = "The pass (not the purchase)")),
    responses((status = 200, description = "My copy, or null", body = Envelope<UserPassData>), (status = "default", description = "The error envelope: 400 invalid id or unknown member, 401 refused", body = ErrorBody)))]
pub async fn user_pass(
    State(state): State<PassesState>,
    UserGuard(user): UserGuard,
    PathId(pass_id): PathId,
) -> Result<Data<UserPassData>, ApiError> {
    let passes = enabled_passes(state.core.table.as_ref(), user.id).await?;
    let info = passes
        .iter()
        .find(|p| p.lecture_pass_id == pass_id)
        .map(|p| UserPassInfo { pass: p.into(), reservation: Vec::new() });
    Ok(Data(UserPassData { user_pass_info: info }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsablePasses {
    usable_pass_list: Vec<UserPassView>,
}

/// My passes that can book a class now: enabled, with uses left, not past their window, and
/// covering the class.
#[utoipa::path(get, path = "/user-passes/lectures/{lectureId}", tag = "user passes", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The class")),
    responses((status = 200, description = "My usable passes", body = Envelope<UsablePasses>), (status = "default", description = "The error envelope: 400 invalid id or unknown member, 401 refused", body = ErrorBody)))]
pub async fn usable_passes(
    State(state): State<PassesState>,
    UserGuard(user): UserGuard,
    PathId(lecture_id): PathId,
) -> Result<Data<UsablePasses>, ApiError> {
    let now = iso8601(state.core.clock.now());
    let mut passes = enabled_passes(state.core.table.as_ref(), user.id).await?;
    passes.retain(|p| p.usable_for(lecture_id, &now));
    Ok(Data(UsablePasses { usable_pass_list: passes.iter().map(UserPassView::from).collect() }))
}
