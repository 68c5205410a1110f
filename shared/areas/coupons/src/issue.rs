//! A lecturer's coupons: create, update, target more classes, delete, and the code of a private
//! coupon. A learner's `DELETE` drops their own holding.
//!
//! A change of a coupon's targets is conditioned on the coupon's `version`, and a change of its
//! use limit on its `usageCount`: when an order or another change came first, the change is
//! computed again from a fresh read.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::offers::private_code as code_of;
use connection_http::extract::{JsonBody, PathId};
use connection_http::guards::{LecturerSession, Member};
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::offers::{
    CouponRecord, HoldingRecord, Retarget, TARGETS_MAX, Target, TargetKind, own_lectures,
};
use connection_model::{decode, keys, live};
use connection_table::{Cond, Query, SkCond, Table, TableError, TxOp, Update, next_id, query_all};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::input::{self, CouponBody};
use crate::views::CouponView;
use crate::{CouponsState, coupon_busy, coupon_not_found, invalid_class};

/// How often a change is computed again when a concurrent one came first.
const ATTEMPTS: usize = 3;

/// The lecturer's own coupon, not deleted.
pub(crate) async fn own_coupon(
    table: &dyn Table,
    lecturer_id: i64,
    id: i64,
) -> Result<CouponRecord, ApiError> {
    let coupon: Option<CouponRecord> = table.get(&keys::coupon(id)).await?.map(decode).transpose()?;
    coupon.filter(|c| c.lecturer_id == lecturer_id && c.deleted_at.is_none()).ok_or_else(coupon_not_found)
}

/// Whether a transaction failed on its first operation's condition (the coupon changed).
fn lost_race(e: &TableError) -> bool {
    e.failed_at(0)
}

#[derive(Serialize, ToSchema)]
pub struct CreatedCoupon {
    coupon: CouponView,
}

/// Issue a coupon for some of my classes.
#[utoipa::path(post, path = "/coupons/lecture", tag = "coupons", security(("bearer" = [])),
    request_body = CouponBody,
    responses((status = 201, description = "Issued", body = Envelope<CreatedCoupon>), (status = "default", description = "The error envelope: 400 invalid terms or a class not mine (InvalidClassIncluded), 401 refused", body = ErrorBody)))]
pub async fn create(
    State(state): State<CouponsState>,
    LecturerSession(lecturer, _): LecturerSession,
    JsonBody(body): JsonBody<CouponBody>,
) -> Result<Data<CreatedCoupon>, ApiError> {
    let now = state.core.clock.now();
    let fields = input::check(body, true, now)?;
    let table = state.core.table.as_ref();
    let targets = match &fields.lecture_ids {
        Some(ids) => own_lectures(table, lecturer.id, ids).await?.ok_or_else(invalid_class)?,
        None => Vec::new(),
    };
    let id = next_id(table, "lectureCoupon").await?;
    let at = iso8601(now);
    let coupon = CouponRecord {
        id,
        lecturer_id: lecturer.id,
        title: fields.title,
        percentage: fields.terms.percentage,
        discount_price: fields.terms.discount_price,
        max_discount_price: fields.terms.max_discount_price,
        max_usage_count: fields.max_usage_count,
        usage_count: 0,
        uses_left: fields.max_usage_count,
        is_disabled: false,
        is_stackable: fields.is_stackable,
        is_private: fields.is_private,
        start_at: fields.start_at.unwrap_or_else(|| at.clone()),
        end_at: fields.end_at,
        targets,
        version: 0,
        created_at: at.clone(),
        updated_at: at,
        deleted_at: None,
    };
    let mut ops = vec![TxOp::Put { item: coupon.item()?, cond: Some(Cond::NotExists) }];
    ops.extend(retarget(&coupon, &[], &coupon.targets).target_writes());
    table.transact(ops).await?;
    Ok(Data(CreatedCoupon { coupon: (&coupon).into() }))
}

fn retarget<'a>(coupon: &CouponRecord, before: &'a [Target], after: &'a [Target]) -> Retarget<'a> {
    Retarget {
        offer: keys::coupon(coupon.id),
        kind: TargetKind::Coupon,
        offer_id: coupon.id,
        version: coupon.version,
        before,
        after,
    }
}

/// Both keys: api.md names it `updatedCoupon`, the web client reads `coupon`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedCoupon {
    coupon: CouponView,
    updated_coupon: CouponView,
}

/// Change one of my coupons: everything but `startAt`; `lectureIds` replaces its targets.
#[utoipa::path(patch, path = "/coupons/{couponId}", tag = "coupons", security(("bearer" = [])),
    params(("couponId" = i64, Path, description = "The coupon")),
    request_body = CouponBody,
    responses((status = 200, description = "Changed", body = Envelope<UpdatedCoupon>), (status = "default", description = "The error envelope: 400 invalid terms, a use limit below the uses so far or a class not mine, 401 refused, 404 not my coupon (CouponNotFound), 409 changed meanwhile", body = ErrorBody)))]
pub async fn update(
    State(state): State<CouponsState>,
    LecturerSession(lecturer, _): LecturerSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<CouponBody>,
) -> Result<Data<UpdatedCoupon>, ApiError> {
    let now = state.core.clock.now();
    let fields = input::check(body, false, now)?;
    let table = state.core.table.as_ref();
    let mut targets = None;
    for _ in 0..ATTEMPTS {
        let mut coupon = own_coupon(table, lecturer.id, id).await?;
        if let (None, Some(ids)) = (&targets, &fields.lecture_ids) {
            targets = Some(own_lectures(table, lecturer.id, ids).await?.ok_or_else(invalid_class)?);
        }
        if fields.end_at <= coupon.start_at {
            return Err(ApiError::bad_request("InvalidEndAt", "endAt은 startAt보다 늦어야 합니다."));
        }
        if fields.max_usage_count.is_some_and(|max| max < coupon.usage_count) {
            return Err(ApiError::bad_request(
                "InvalidMaxUsageCount",
                "현재 배포된 쿠폰 개수 보다 최대 개수가 적을 수 없습니다.",
            ));
        }
        let before = coupon.targets.clone();
        let after = targets.clone().unwrap_or_else(|| before.clone());
        let at = iso8601(now);
        let uses_left = fields.max_usage_count.map(|max| max - coupon.usage_count);
        let also = Update::new()
            .set("title", fields.title.clone())
            .set("percentage", json!(fields.terms.percentage))
            .set("discountPrice", json!(fields.terms.discount_price))
            .set("maxDiscountPrice", json!(fields.terms.max_discount_price))
            .set("maxUsageCount", json!(fields.max_usage_count))
            .set("endAt", fields.end_at.clone())
            .set("isStackable", fields.is_stackable)
            .set("isPrivate", fields.is_private)
            .set("updatedAt", at.clone());
        let also = match uses_left {
            Some(left) => also.set("usesLeft", left),
            None => also.remove("usesLeft"),
        };
        // The uses left are computed from the uses so far: an order counted meanwhile retries.
        let unchanged = Cond::And(vec![live(), Cond::Eq("usageCount".into(), coupon.usage_count.into())]);
        let ops = retarget(&coupon, &before, &after).ops(also, Some(unchanged));
        match table.transact(ops).await {
            Ok(()) => {
                coupon.title = fields.title.clone();
                coupon.percentage = fields.terms.percentage;
                coupon.discount_price = fields.terms.discount_price;
                coupon.max_discount_price = fields.terms.max_discount_price;
                coupon.max_usage_count = fields.max_usage_count;
                coupon.uses_left = uses_left;
                coupon.end_at = fields.end_at.clone();
                coupon.is_stackable = fields.is_stackable;
                coupon.is_private = fields.is_private;
                coupon.targets = after;
                coupon.updated_at = at;
                coupon.version += 1;
                return Ok(Data(UpdatedCoupon {
                    coupon: (&coupon).into(),
                    updated_coupon: (&coupon).into(),
                }));
            }
            Err(e) if lost_race(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(coupon_busy())
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetsBody {
    #[serde(deserialize_with = "lenient::ints")]
    #[schema(value_type = Vec<i64>)]
    lecture_ids: Vec<i64>,
}

fn invalid_coupon() -> ApiError {
    ApiError::bad_request("InvalidCouponIncluded", "존재하지 않거나 유효하지 않은 쿠폰이 포함되었습니다.")
}

/// Let one of my coupons apply to more of my classes (targets it has are kept).
#[utoipa::path(post, path = "/coupons/{couponId}/target", tag = "coupons", security(("bearer" = [])),
    params(("couponId" = i64, Path, description = "The coupon")),
    request_body = TargetsBody,
    responses((status = 201, description = "Targets added", body = StatusOnly), (status = "default", description = "The error envelope: 400 no classes, a class not mine (InvalidClassIncluded) or not my enabled coupon (InvalidCouponIncluded), 401 refused, 409 changed meanwhile", body = ErrorBody)))]
pub async fn add_targets(
    State(state): State<CouponsState>,
    LecturerSession(lecturer, _): LecturerSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<TargetsBody>,
) -> Result<Empty, ApiError> {
    if body.lecture_ids.is_empty()
        || body.lecture_ids.len() > TARGETS_MAX
        || body.lecture_ids.iter().any(|id| *id <= 0)
    {
        return Err(ApiError::validation(vec![format!(
            "lectureIds must hold 1 to {TARGETS_MAX} positive ids"
        )]));
    }
    let table = state.core.table.as_ref();
    let now = iso8601(state.core.clock.now());
    let added = own_lectures(table, lecturer.id, &body.lecture_ids).await?.ok_or_else(invalid_class)?;
    for _ in 0..ATTEMPTS {
        let coupon = own_coupon(table, lecturer.id, id).await.map_err(|_| invalid_coupon())?;
        if !coupon.is_enabled(&now) {
            return Err(invalid_coupon());
        }
        let mut after = coupon.targets.clone();
        after.extend(added.iter().filter(|t| !coupon.targets.iter().any(|b| b.id == t.id)).cloned());
        if after.len() == coupon.targets.len() {
            return Ok(Empty);
        }
        if after.len() > TARGETS_MAX {
            return Err(ApiError::validation(vec![format!(
                "a coupon targets at most {TARGETS_MAX} lectures"
            )]));
        }
        let ops = retarget(&coupon, &coupon.targets, &after)
            .ops(Update::new().set("updatedAt", now.clone()), Some(live()));
        match table.transact(ops).await {
            Ok(()) => return Ok(Empty),
            Err(e) if lost_race(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(coupon_busy())
}

/// A learner drops a coupon they hold (nothing to drop is fine); a lecturer deletes a coupon
/// they issued: it is disabled if it has not ended, leaves every class page, and every unused
/// holding of it goes. Used holdings stay, as order histories show them. Deleting it again
/// answers 200 and finishes any removal of holdings that was cut short.
#[utoipa::path(delete, path = "/coupons/{couponId}", tag = "coupons", security(("bearer" = [])),
    params(("couponId" = i64, Path, description = "The coupon")),
    responses((status = 200, description = "Dropped or deleted", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 not my coupon (lecturer)", body = ErrorBody)))]
pub async fn delete(
    State(state): State<CouponsState>,
    member: Member,
    PathId(id): PathId,
) -> Result<Empty, ApiError> {
    let table = state.core.table.as_ref();
    let now = state.core.clock.now();
    match member {
        Member::User(user) => drop_holding(table, user.id, id, &iso8601(now)).await?,
        Member::Lecturer(lecturer) => withdraw(table, lecturer.id, id, &iso8601(now)).await?,
    }
    Ok(Empty)
}

/// An unused holding is removed (it may be claimed again); a used one is hidden from the
/// learner's lists but kept, so that the coupon cannot be claimed and used twice.
async fn drop_holding(table: &dyn Table, user_id: i64, coupon_id: i64, now: &str) -> Result<(), ApiError> {
    let key = keys::holding(coupon_id, user_id);
    let Some(item) = table.get(&key).await? else { return Ok(()) };
    let holding: HoldingRecord = decode(item)?;
    if !holding.is_used {
        match table.delete(&key, Some(Cond::Eq("isUsed".into(), false.into()))).await {
            Ok(_) => return Ok(()),
            Err(TableError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let hide = Update::new().set("hidden", true).set("updatedAt", now).remove("gsi1pk").remove("gsi1sk");
    match table.update(&key, hide, Some(Cond::Exists)).await {
        Ok(_) | Err(TableError::ConditionFailed) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn withdraw(table: &dyn Table, lecturer_id: i64, id: i64, now: &str) -> Result<(), ApiError> {
    for _ in 0..ATTEMPTS {
        let coupon: Option<CouponRecord> = table.get(&keys::coupon(id)).await?.map(decode).transpose()?;
        let coupon = coupon.filter(|c| c.lecturer_id == lecturer_id).ok_or_else(coupon_not_found)?;
        if coupon.deleted_at.is_some() {
            // Deleted before: finish whatever that deletion left undone.
            return purge_holdings(table, id).await;
        }
        let update = Update::new()
            .set("deletedAt", now)
            .set("isDisabled", coupon.end_at.as_str() > now)
            .set("updatedAt", now)
            .set("version", coupon.version + 1)
            .remove("gsi1pk")
            .remove("gsi1sk");
        let cond = Cond::And(vec![live(), Cond::Eq("version".into(), coupon.version.into())]);
        let mut ops = vec![TxOp::Update { key: keys::coupon(id), update, cond: Some(cond) }];
        ops.extend(retarget(&coupon, &coupon.targets, &[]).target_writes());
        match table.transact(ops).await {
            Ok(()) => return purge_holdings(table, id).await,
            Err(e) if lost_race(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(coupon_busy())
}

/// Removes every unused holding of a deleted coupon. Claims check the coupon in their
/// transaction, so none commits after the deletion, and this strongly consistent read of the
/// coupon's partition sees every one that committed before.
async fn purge_holdings(table: &dyn Table, coupon_id: i64) -> Result<(), ApiError> {
    let query = Query::partition(keys::coupon(coupon_id).pk).sk(SkCond::BeginsWith(keys::HOLDER.into()));
    for item in query_all(table, query).await? {
        let holding: HoldingRecord = decode(item)?;
        if holding.is_used {
            continue;
        }
        let key = keys::holding(coupon_id, holding.user_id);
        match table.delete(&key, Some(Cond::Eq("isUsed".into(), false.into()))).await {
            Ok(_) | Err(TableError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrivateCode {
    /// Opaque and URL-safe: the share link is `/coupon/{code}`.
    private_coupon_code: String,
}

/// The code learners claim one of my private coupons with.
#[utoipa::path(get, path = "/coupons/private/{couponId}", tag = "coupons", security(("bearer" = [])),
    params(("couponId" = i64, Path, description = "The coupon")),
    responses((status = 200, description = "The code", body = Envelope<PrivateCode>), (status = "default", description = "The error envelope: 400 disabled, used up or public (DisabledCoupon, CouponAllocationExhausted, InvalidCouponType), 401 refused, 404 not my coupon (CouponNotFound)", body = ErrorBody)))]
pub async fn private_code(
    State(state): State<CouponsState>,
    LecturerSession(lecturer, _): LecturerSession,
    PathId(id): PathId,
) -> Result<Data<PrivateCode>, ApiError> {
    let coupon = own_coupon(state.core.table.as_ref(), lecturer.id, id).await?;
    if !coupon.is_enabled(&iso8601(state.core.clock.now())) {
        return Err(crate::claim::disabled());
    }
    if coupon.is_exhausted() {
        return Err(crate::claim::exhausted());
    }
    if !coupon.is_private {
        return Err(crate::claim::wrong_type(true));
    }
    Ok(Data(PrivateCode { private_coupon_code: code_of(&state.settings.code_key, id) }))
}
