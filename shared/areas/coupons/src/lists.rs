//! Lists of coupons: a class page's, a learner's and a lecturer's (api.md §6, §4.5).
//!
//! A learner's holdings and a lecturer's coupons are each one partition, read whole in id order
//! by one Query; the filters of api.md §6 depend on the time and on the coupon's state, so the
//! page is cut from that read (with the total the client shows), and the coupons a learner's
//! holdings name come in one batch read.

use std::cmp::Reverse;

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::{PathId, QueryParams};
use connection_http::fields::one_of;
use connection_http::guards::{GuestOrUserToken, LecturerSession, UserToken, active_user};
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::pagination::{PageQuery, plan, window};
use connection_http::{ApiError, Data};
use connection_model::offers::{CouponRecord, HoldingRecord};
use connection_model::{decode, keys};
use connection_table::{Index, Key, Query, SkCond, query_all};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::CouponsState;
use crate::views::{CouponView, HeldCoupon, OfferedCoupon};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LectureCoupons {
    coupon_list: Vec<OfferedCoupon>,
}

/// The public coupons of a class that can be taken now (enabled and not ended), newest first,
/// each with whether the caller holds it.
#[utoipa::path(get, path = "/coupons/lectures/{lectureId}", tag = "coupons", security((), ("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The class")),
    responses((status = 200, description = "The class's coupons", body = Envelope<LectureCoupons>), (status = "default", description = "The error envelope: 400 invalid id or unknown member, 401 refused", body = ErrorBody)))]
pub async fn lecture_coupons(
    State(state): State<CouponsState>,
    GuestOrUserToken(user_id): GuestOrUserToken,
    PathId(lecture_id): PathId,
) -> Result<Data<LectureCoupons>, ApiError> {
    let table = state.core.table.as_ref();
    let query =
        Query::partition(keys::lecture_offers(lecture_id)).sk(SkCond::BeginsWith(keys::COUPON_TARGET.into()));
    let targets = query_all(table, query).await?;
    let ids = connection_model::offers::target_offer_ids(&targets);
    let mut wanted: Vec<Key> = ids.iter().map(|id| keys::coupon(*id)).collect();
    if let Some(user_id) = user_id {
        wanted.extend(ids.iter().map(|id| keys::holding(*id, user_id)));
        wanted.push(keys::user(user_id));
    }
    let mut found = table.batch_get(&wanted).await?;
    if user_id.is_some() {
        active_user(found.pop().flatten())?;
    }
    let (coupons, holdings) = found.split_at(ids.len());
    let now = iso8601(state.core.clock.now());
    let mut list = Vec::new();
    for (i, coupon) in coupons.iter().enumerate() {
        let Some(coupon) = coupon.clone().map(decode::<CouponRecord>).transpose()? else { continue };
        if coupon.is_private || !coupon.is_enabled(&now) {
            continue;
        }
        let is_owned = holdings.get(i).is_some_and(Option::is_some);
        list.push(OfferedCoupon::new(&coupon, is_owned));
    }
    list.reverse();
    Ok(Data(LectureCoupons { coupon_list: list }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CouponPage<T> {
    total_item_count: usize,
    coupon_list: Vec<T>,
}

/// The filters of a learner's coupon list, read beside the page fields (so neither refuses
/// the other's names).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct UserCouponsQuery {
    /// `AVAILABLE`, `USED` or `EXPIRED`.
    coupon_status_option: String,
    /// `LATEST` or `UPCOMING`; required with `AVAILABLE`.
    #[serde(default)]
    filter_option: Option<String>,
    /// Only coupons for any of these classes.
    #[serde(default, deserialize_with = "lenient::opt_ints")]
    lecture_ids: Option<Vec<i64>>,
}

/// The coupons I hold: `AVAILABLE` (unused, enabled, not ended: newest or soonest-ending first),
/// `USED` (most recently used first; kept after the coupon's deletion, as a history) or
/// `EXPIRED` (ended, soonest first).
#[utoipa::path(get, path = "/coupons/user", tag = "coupons", security(("bearer" = [])),
    params(PageQuery, UserCouponsQuery),
    responses((status = 200, description = "A page of my coupons and how many match", body = Envelope<CouponPage<HeldCoupon>>), (status = "default", description = "The error envelope: 400 invalid query or unknown member, 401 refused", body = ErrorBody)))]
pub async fn user_coupons(
    State(state): State<CouponsState>,
    UserToken(user_id): UserToken,
    QueryParams(page): QueryParams<PageQuery>,
    QueryParams(q): QueryParams<UserCouponsQuery>,
) -> Result<Data<CouponPage<HeldCoupon>>, ApiError> {
    let status = one_of("couponStatusOption", &q.coupon_status_option, &["AVAILABLE", "USED", "EXPIRED"])?;
    let filter = match (status, q.filter_option.as_deref()) {
        ("AVAILABLE", None) => {
            return Err(ApiError::validation(vec!["filterOption should not be empty".into()]));
        }
        (_, Some(f)) => Some(one_of("filterOption", f, &["LATEST", "UPCOMING"])?),
        (_, None) => None,
    };
    let table = state.core.table.as_ref();
    let holdings: Vec<HoldingRecord> = query_all(table, Query::gsi(Index::Gsi1, keys::user_coupons(user_id)))
        .await?
        .into_iter()
        .map(decode)
        .collect::<Result<_, _>>()?;
    let mut wanted: Vec<Key> = holdings.iter().map(|h| keys::coupon(h.lecture_coupon_id)).collect();
    wanted.push(keys::user(user_id));
    let mut found = table.batch_get(&wanted).await?;
    active_user(found.pop().flatten())?;
    let now = iso8601(state.core.clock.now());
    let mut held = Vec::new();
    for (holding, coupon) in holdings.into_iter().zip(found) {
        let Some(coupon) = coupon.map(decode::<CouponRecord>).transpose()? else { continue };
        let listed = match status {
            "AVAILABLE" => !holding.is_used && coupon.is_enabled(&now),
            "USED" => holding.is_used,
            _ => !coupon.is_disabled && coupon.deleted_at.is_none() && coupon.end_at <= now,
        };
        let for_class =
            q.lecture_ids.as_ref().is_none_or(|ids| coupon.targets.iter().any(|t| ids.contains(&t.id)));
        if listed && for_class {
            held.push((holding, coupon));
        }
    }
    match (status, filter) {
        ("AVAILABLE", Some("UPCOMING")) | ("EXPIRED", _) => {
            held.sort_by(|(_, a), (_, b)| (&a.end_at, a.id).cmp(&(&b.end_at, b.id)))
        }
        ("USED", _) => held.sort_by(|(x, a), (y, b)| (&y.updated_at, b.id).cmp(&(&x.updated_at, a.id))),
        _ => held.sort_by_key(|(_, c)| Reverse(c.id)),
    }
    let total_item_count = held.len();
    let coupon_list =
        window(held, &plan(&page), |(_, c)| c.id).iter().map(|(h, c)| HeldCoupon::new(h, c)).collect();
    Ok(Data(CouponPage { total_item_count, coupon_list }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct LecturerCouponsQuery {
    /// `AVAILABLE` or `DISABLED`.
    coupon_status_option: String,
    /// `LATEST` or `UPCOMING` (for `AVAILABLE`).
    filter_option: String,
    /// Only coupons for this class.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    lecture_id: Option<i64>,
}

/// The coupons I issued (not deleted): `AVAILABLE` (enabled and not ended: newest or
/// soonest-ending first) or `DISABLED` (disabled or ended, latest end first).
#[utoipa::path(get, path = "/coupons/lecturer", tag = "coupons", security(("bearer" = [])),
    params(PageQuery, LecturerCouponsQuery),
    responses((status = 200, description = "A page of my coupons and how many match", body = Envelope<CouponPage<CouponView>>), (status = "default", description = "The error envelope: 400 invalid query, 401 refused", body = ErrorBody)))]
pub async fn lecturer_coupons(
    State(state): State<CouponsState>,
    LecturerSession(lecturer, _): LecturerSession,
    QueryParams(page): QueryParams<PageQuery>,
    QueryParams(q): QueryParams<LecturerCouponsQuery>,
) -> Result<Data<CouponPage<CouponView>>, ApiError> {
    let status = one_of("couponStatusOption", &q.coupon_status_option, &["AVAILABLE", "DISABLED"])?;
    let filter = one_of("filterOption", &q.filter_option, &["LATEST", "UPCOMING"])?;
    let now = iso8601(state.core.clock.now());
    let mut coupons: Vec<CouponRecord> = issued(&state, lecturer.id)
        .await?
        .into_iter()
        .filter(|c| (status == "AVAILABLE") == c.is_enabled(&now))
        .filter(|c| q.lecture_id.is_none_or(|id| c.targets.iter().any(|t| t.id == id)))
        .collect();
    match (status, filter) {
        ("AVAILABLE", "UPCOMING") => coupons.sort_by(|a, b| (&a.end_at, a.id).cmp(&(&b.end_at, b.id))),
        ("AVAILABLE", _) => coupons.sort_by_key(|c| Reverse(c.id)),
        _ => coupons.sort_by(|a, b| (&b.end_at, b.id).cmp(&(&a.end_at, a.id))),
    }
    let total_item_count = coupons.len();
    let coupon_list = window(coupons, &plan(&page), |c| c.id).iter().map(CouponView::from).collect();
    Ok(Data(CouponPage { total_item_count, coupon_list }))
}

/// A lecturer's coupons that are not deleted, in id order: one Query.
async fn issued(state: &CouponsState, lecturer_id: i64) -> Result<Vec<CouponRecord>, ApiError> {
    let query = Query::gsi(Index::Gsi1, keys::lecturer_coupons(lecturer_id));
    let items = query_all(state.core.table.as_ref(), query).await?;
    Ok(items.into_iter().map(decode).collect::<Result<_, _>>()?)
}

#[derive(Serialize, ToSchema)]
pub struct MyCoupons {
    coupons: Vec<CouponView>,
}

/// My coupons that can still be attached to a class (enabled and not ended), newest first.
#[utoipa::path(get, path = "/lecturers/my-coupons", tag = "coupons", security(("bearer" = [])),
    responses((status = 200, description = "My enabled coupons", body = Envelope<MyCoupons>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn my_coupons(
    State(state): State<CouponsState>,
    LecturerSession(lecturer, _): LecturerSession,
) -> Result<Data<MyCoupons>, ApiError> {
    let now = iso8601(state.core.clock.now());
    let mut coupons = issued(&state, lecturer.id).await?;
    coupons.retain(|c| c.is_enabled(&now));
    coupons.reverse();
    Ok(Data(MyCoupons { coupons: coupons.iter().map(CouponView::from).collect() }))
}
