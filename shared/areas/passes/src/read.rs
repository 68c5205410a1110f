//! Passes as buyers and their lecturer see them. Deleted passes never show; a class page and a
//! lecturer page list only passes on sale (gap #42).

use std::cmp::Reverse;

use axum::extract::State;
use connection_http::extract::{PathId, QueryParams};
use connection_http::fields::one_of;
use connection_http::guards::LecturerSession;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::pagination::{PageQuery, plan, window};
use connection_http::{ApiError, Data};
use connection_model::lecturer::LecturerRecord;
use connection_model::offers::{PassRecord, target_offer_ids};
use connection_model::{decode, keys};
use connection_table::{Index, Key, Query, SkCond, Table, query_all};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::views::PassView;
use crate::{PassesState, pass_not_found};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Seller {
    id: i64,
    nickname: String,
    profile_card_image_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PassWithSeller {
    #[serde(flatten)]
    pass: PassView,
    lecturer: Seller,
}

#[derive(Serialize, ToSchema)]
pub struct PassData {
    pass: PassWithSeller,
}

async fn live_pass(table: &dyn Table, id: i64) -> Result<Option<PassRecord>, ApiError> {
    let pass: Option<PassRecord> = table.get(&keys::pass(id)).await?.map(decode).transpose()?;
    Ok(pass.filter(|p| p.deleted_at.is_none()))
}

/// A pass with its lecturer, for its order page (a pass no longer on sale says so in
/// `isDisabled`).
#[utoipa::path(get, path = "/passes/{passId}", tag = "passes",
    params(("passId" = i64, Path, description = "The pass")),
    responses((status = 200, description = "The pass", body = Envelope<PassData>), (status = "default", description = "The error envelope: 400 invalid id, 404 no such pass (PassNotFound)", body = ErrorBody)))]
pub async fn pass(State(state): State<PassesState>, PathId(id): PathId) -> Result<Data<PassData>, ApiError> {
    let table = state.core.table.as_ref();
    let pass = live_pass(table, id).await?.ok_or_else(pass_not_found)?;
    let lecturer: Option<LecturerRecord> =
        table.get(&keys::lecturer(pass.lecturer_id)).await?.map(decode).transpose()?;
    let lecturer = lecturer.filter(|l| l.deleted_at.is_none()).ok_or_else(pass_not_found)?;
    let seller = Seller {
        id: lecturer.id,
        nickname: lecturer.nickname,
        profile_card_image_url: lecturer.profile_card_image_url,
    };
    Ok(Data(PassData { pass: PassWithSeller { pass: (&pass).into(), lecturer: seller } }))
}

/// A lecturer's passes that are not deleted, in id order: one Query.
async fn passes_of(table: &dyn Table, lecturer_id: i64) -> Result<Vec<PassRecord>, ApiError> {
    let items = query_all(table, Query::gsi(Index::Gsi1, keys::lecturer_passes(lecturer_id))).await?;
    Ok(items.into_iter().map(decode).collect::<Result<_, _>>()?)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct IssuedQuery {
    /// `AVAILABLE` (on sale) or `DISABLED`.
    pass_status_options: String,
    /// `LATEST`, `HIGHEST_PRICE` or `BEST_SELLING`.
    filter_option: String,
    /// Only passes for this class.
    #[serde(default, deserialize_with = "connection_http::lenient::opt_int")]
    lecture_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PassPage {
    /// How many of my passes match the filters.
    total_item_count: usize,
    pass_list: Vec<PassView>,
}

/// The passes I sell or sold: newest, dearest or best-selling first.
#[utoipa::path(get, path = "/passes/issued", tag = "passes", security(("bearer" = [])),
    params(PageQuery, IssuedQuery),
    responses((status = 200, description = "A page of my passes and how many match", body = Envelope<PassPage>), (status = "default", description = "The error envelope: 400 invalid query, 401 refused", body = ErrorBody)))]
pub async fn issued(
    State(state): State<PassesState>,
    LecturerSession(lecturer, _): LecturerSession,
    QueryParams(page): QueryParams<PageQuery>,
    QueryParams(q): QueryParams<IssuedQuery>,
) -> Result<Data<PassPage>, ApiError> {
    let status = one_of("passStatusOptions", &q.pass_status_options, &["AVAILABLE", "DISABLED"])?;
    let order = one_of("filterOption", &q.filter_option, &["LATEST", "HIGHEST_PRICE", "BEST_SELLING"])?;
    let mut passes: Vec<PassRecord> = passes_of(state.core.table.as_ref(), lecturer.id)
        .await?
        .into_iter()
        .filter(|p| p.is_disabled == (status == "DISABLED"))
        .filter(|p| q.lecture_id.is_none_or(|id| p.targets.iter().any(|t| t.id == id)))
        .collect();
    match order {
        "HIGHEST_PRICE" => passes.sort_by_key(|p| Reverse((p.price, p.id))),
        "BEST_SELLING" => passes.sort_by_key(|p| Reverse((p.sales_count, p.id))),
        _ => passes.sort_by_key(|p| Reverse(p.id)),
    }
    let total_item_count = passes.len();
    let pass_list = window(passes, &plan(&page), |p| p.id).iter().map(PassView::from).collect();
    Ok(Data(PassPage { total_item_count, pass_list }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyPass {
    /// Null when the pass is not mine.
    my_pass: Option<PassView>,
}

/// One of my passes.
#[utoipa::path(get, path = "/passes/issued/{passId}", tag = "passes", security(("bearer" = [])),
    params(("passId" = i64, Path, description = "The pass")),
    responses((status = 200, description = "The pass, or null", body = Envelope<MyPass>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused", body = ErrorBody)))]
pub async fn issued_one(
    State(state): State<PassesState>,
    LecturerSession(lecturer, _): LecturerSession,
    PathId(id): PathId,
) -> Result<Data<MyPass>, ApiError> {
    let pass = live_pass(state.core.table.as_ref(), id).await?.filter(|p| p.lecturer_id == lecturer.id);
    Ok(Data(MyPass { my_pass: pass.as_ref().map(PassView::from) }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PassList {
    pass_list: Vec<PassView>,
}

/// The passes on sale that book a class, newest first.
#[utoipa::path(get, path = "/passes/lectures/{lectureId}", tag = "passes",
    params(("lectureId" = i64, Path, description = "The class")),
    responses((status = 200, description = "Its passes", body = Envelope<PassList>), (status = "default", description = "The error envelope: 400 invalid id", body = ErrorBody)))]
pub async fn lecture_passes(
    State(state): State<PassesState>,
    PathId(lecture_id): PathId,
) -> Result<Data<PassList>, ApiError> {
    let table = state.core.table.as_ref();
    let query =
        Query::partition(keys::lecture_offers(lecture_id)).sk(SkCond::BeginsWith(keys::PASS_TARGET.into()));
    let ids = target_offer_ids(&query_all(table, query).await?);
    let wanted: Vec<Key> = ids.iter().map(|id| keys::pass(*id)).collect();
    let mut passes = Vec::new();
    for item in table.batch_get(&wanted).await?.into_iter().flatten() {
        let pass: PassRecord = decode(item)?;
        if !pass.is_disabled && pass.deleted_at.is_none() {
            passes.push(pass);
        }
    }
    passes.sort_by_key(|p| Reverse(p.id));
    Ok(Data(PassList { pass_list: passes.iter().map(PassView::from).collect() }))
}

/// The passes a lecturer has on sale, newest first.
#[utoipa::path(get, path = "/passes/lecturers/{lecturerId}", tag = "passes",
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 200, description = "Their passes", body = Envelope<PassList>), (status = "default", description = "The error envelope: 400 invalid id", body = ErrorBody)))]
pub async fn lecturer_passes(
    State(state): State<PassesState>,
    PathId(lecturer_id): PathId,
) -> Result<Data<PassList>, ApiError> {
    let mut passes = passes_of(state.core.table.as_ref(), lecturer_id).await?;
    passes.retain(|p| !p.is_disabled);
    passes.reverse();
    Ok(Data(PassList { pass_list: passes.iter().map(PassView::from).collect() }))
}
