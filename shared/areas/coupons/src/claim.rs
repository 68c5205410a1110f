//! Learners claim coupons: public ones by id from a class page, private ones by the code their
//! lecturer shared.
//!
//! A claim is one transaction: the learner is live (checked in the transaction for public
//! claims; a private code is checked after the guard's read), each coupon is claimable right now
//! (`offers::claimable`) and the learner's holding of it does not exist yet. Several coupons
//! are claimed all or nothing: when any is refused none is taken, and the answer lists every
//! refused coupon with its reason (gap #31).

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::offers::private_coupon_id;
use connection_http::extract::{JsonBody, PathText};
use connection_http::guards::{UserGuard, UserToken, invalid_user};
use connection_http::lenient;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_http::{ApiError, Empty};
use connection_model::offers::{CouponRecord, HoldingRecord, claimable};
use connection_model::{decode, keys, live};
use connection_table::{Cond, Key, Table, TableError, TxOp};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::{CouponsState, coupon_not_found};

/// The most coupons one claim takes (two writes each in one transaction).
const CLAIM_MAX: usize = 25;

pub(crate) fn disabled() -> ApiError {
    ApiError::bad_request("DisabledCoupon", "비활성화 된 쿠폰입니다.")
}

pub(crate) fn exhausted() -> ApiError {
    ApiError::bad_request("CouponAllocationExhausted", "모든 쿠폰 할당량이 소진되었습니다.")
}

/// The coupon is public where a private one was expected, or the other way round.
pub(crate) fn wrong_type(expected_private: bool) -> ApiError {
    let message = if expected_private {
        "해당 쿠폰은 공개쿠폰 입니다."
    } else {
        "해당 쿠폰은 비공개쿠폰 입니다."
    };
    ApiError::bad_request("InvalidCouponType", message)
}

fn expired() -> ApiError {
    ApiError::bad_request("CouponExpired", "사용 기간이 만료된 쿠폰입니다.")
}

fn already_owned() -> ApiError {
    ApiError::bad_request("CouponAlreadyOwned", "이미 쿠폰을 보유하고있습니다.")
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimBody {
    /// Public coupons to take, all or none.
    #[serde(deserialize_with = "lenient::ints")]
    #[schema(value_type = Vec<i64>)]
    coupon_ids: Vec<i64>,
}

/// Take public coupons. All or nothing: when one is refused, none is taken and `errors` lists
/// each refused coupon (`rejectedCouponId`) with its status, code and message; the answer
/// carries the first refusal's.
#[utoipa::path(post, path = "/coupons/public/user", tag = "coupons", security(("bearer" = [])),
    request_body = ClaimBody,
    responses((status = 201, description = "Every coupon taken", body = StatusOnly), (status = "default", description = "The error envelope with `errors`: 400 already held, disabled, ended, used up or private (CouponAlreadyOwned, DisabledCoupon, CouponExpired, CouponAllocationExhausted, InvalidCouponType), 401 refused, 404 no such coupon (CouponNotFound)", body = ErrorBody)))]
pub async fn claim_public(
    State(state): State<CouponsState>,
    UserToken(user_id): UserToken,
    JsonBody(body): JsonBody<ClaimBody>,
) -> Result<Empty, ApiError> {
    let mut ids = body.coupon_ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > CLAIM_MAX || ids.iter().any(|id| *id <= 0) {
        return Err(ApiError::validation(vec![format!("couponIds must hold 1 to {CLAIM_MAX} positive ids")]));
    }
    claim(&state, user_id, &ids, false).await
}

/// Take the private coupon a code names. A forged, altered or truncated code names none.
#[utoipa::path(post, path = "/coupons/private/{couponCode}/user", tag = "coupons", security(("bearer" = [])),
    params(("couponCode" = String, Path, description = "The code the lecturer shared")),
    responses((status = 201, description = "Taken", body = StatusOnly), (status = "default", description = "The error envelope: 400 already held, disabled, ended, used up or public, 401 refused, 404 no such coupon (CouponNotFound)", body = ErrorBody)))]
pub async fn claim_private(
    State(state): State<CouponsState>,
    UserGuard(user): UserGuard,
    PathText(code): PathText,
) -> Result<Empty, ApiError> {
    let id = private_coupon_id(&state.settings.code_key, &code).ok_or_else(coupon_not_found)?;
    claim(&state, user.id, &[id], true).await
}

async fn claim(state: &CouponsState, user_id: i64, ids: &[i64], private: bool) -> Result<Empty, ApiError> {
    let table = state.core.table.as_ref();
    let now = iso8601(state.core.clock.now());
    let mut ops = vec![TxOp::Check { key: keys::user(user_id), cond: live() }];
    for id in ids {
        ops.push(TxOp::Check { key: keys::coupon(*id), cond: claimable(private, &now) });
        let holding = HoldingRecord {
            user_id,
            lecture_coupon_id: *id,
            is_used: false,
            created_at: now.clone(),
            updated_at: now.clone(),
            hidden: false,
        };
        ops.push(TxOp::Put { item: holding.item()?, cond: Some(Cond::NotExists) });
    }
    match table.transact(ops).await {
        Ok(()) => Ok(Empty),
        Err(e @ TableError::TransactionCanceled(_)) if e.failed_at(0) => Err(invalid_user()),
        Err(TableError::TransactionCanceled(_)) => Err(refusal(table, user_id, ids, private, &now).await?),
        Err(e) => Err(e.into()),
    }
}

/// Why each coupon of a refused claim was refused, read again after the transaction.
async fn refusal(
    table: &dyn Table,
    user_id: i64,
    ids: &[i64],
    private: bool,
    now: &str,
) -> Result<ApiError, ApiError> {
    let mut wanted: Vec<Key> = ids.iter().map(|id| keys::coupon(*id)).collect();
    wanted.extend(ids.iter().map(|id| keys::holding(*id, user_id)));
    let found = table.batch_get(&wanted).await?;
    let (coupons, holdings) = found.split_at(ids.len());
    let mut refused = Vec::new();
    for ((id, coupon), holding) in ids.iter().zip(coupons).zip(holdings) {
        let coupon: Option<CouponRecord> = coupon.clone().map(decode).transpose()?;
        if let Some(reason) = reason(coupon.as_ref(), holding.is_some(), private, now) {
            refused.push((*id, reason));
        }
    }
    let Some((_, first)) = refused.first() else {
        // Everything is claimable again: what stood in the way is gone.
        return Ok(ApiError::conflict(
            "CouponClaimConflict",
            "쿠폰 상태가 변경되었습니다. 다시 시도해 주세요.",
        ));
    };
    let errors: Vec<_> = refused
        .iter()
        .map(|(id, e)| {
            json!({"statusCode": e.status.as_u16(), "message": e.message, "error": e.error, "rejectedCouponId": id})
        })
        .collect();
    Ok(first.clone().with_errors(json!(errors)))
}

/// Why a learner may not take `coupon` now, if anything stands in the way.
fn reason(coupon: Option<&CouponRecord>, held: bool, private: bool, now: &str) -> Option<ApiError> {
    let Some(coupon) = coupon.filter(|c| c.deleted_at.is_none()) else {
        return Some(coupon_not_found());
    };
    if held {
        Some(already_owned())
    } else if coupon.is_private != private {
        Some(wrong_type(private))
    } else if coupon.is_disabled {
        Some(disabled())
    } else if coupon.end_at.as_str() <= now {
        Some(expired())
    } else if coupon.is_exhausted() {
        Some(exhausted())
    } else {
        None
    }
}
