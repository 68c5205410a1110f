//! `POST /payments/toss/pass`: a pending pass purchase (flows.md §4.3). One transaction checks
//! the pass is on sale at the price paid, writes the order and the not-yet-enabled copy, and
//! puts the guard that keeps a learner from buying a pass they hold (domain.md §8.3).

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::JsonBody;
use connection_http::fields::Checks;
use connection_http::guards::{UserToken, active_user};
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::offers::{PassRecord, PassTerms, UserPassRecord};
use connection_model::payments::{PaymentRecord, READY};
use connection_model::{decode, keys, live};
use connection_table::{Cond, TableError, TxOp, next_id};
use serde::Deserialize;
use time::Duration;
use utoipa::ToSchema;

use crate::PaymentsState;
use crate::order::{PendingData, PendingPayment, check_order_id};

/// Days a pass purchase stays refundable (`PASS_REFUNDABLE_DAYS_PERIOD`, gap #46).
pub const PASS_REFUNDABLE_DAYS: i64 = 10;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PassOrderBody {
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pass_id: i64,
    order_id: String,
    order_name: String,
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    original_price: i64,
    /// The pass's price, in won.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    final_price: i64,
}

fn not_found() -> ApiError {
    ApiError::not_found("PassInfoNotFound", "패스권 정보가 존재하지 않습니다.")
}

fn disabled() -> ApiError {
    ApiError::bad_request("ProductDisabled", "상품이 판매 중지되었습니다.")
}

fn price_mismatch() -> ApiError {
    ApiError::bad_request("ProductPriceMismatch", "상품 가격이 일치하지 않습니다.")
}

/// Buy a pass: it is enabled once paid.
#[utoipa::path(post, path = "/payments/toss/pass", tag = "payments", security(("bearer" = [])),
    request_body = PassOrderBody,
    responses((status = 201, description = "Order opened; pay `value` with the widget", body = Envelope<PendingData>), (status = "default", description = "The error envelope: 400 invalid input, a price that is not the pass's (ProductPriceMismatch), not on sale (ProductDisabled), held already (AlreadyPurchasedPass) or a used order id (DuplicateOrderId); 401 refused; 404 no such pass (PassInfoNotFound)", body = ErrorBody)))]
pub async fn pass_order(
    State(state): State<PaymentsState>,
    UserToken(user_id): UserToken,
    JsonBody(body): JsonBody<PassOrderBody>,
) -> Result<Data<PendingData>, ApiError> {
    let mut checks = Checks::default();
    check_order_id(&mut checks, &body.order_id);
    checks.required_text("orderName", &body.order_name, 100);
    checks.range("passId", Some(body.pass_id), 1, i64::MAX);
    checks.range("finalPrice", Some(body.final_price), 0, i64::MAX / 1000);
    checks.range("originalPrice", Some(body.original_price), 0, i64::MAX / 1000);
    checks.finish()?;
    let table = state.core.table.as_ref();
    let mut found = table.batch_get(&[keys::user(user_id), keys::pass(body.pass_id)]).await?.into_iter();
    active_user(found.next().flatten())?;
    let pass: Option<PassRecord> = found.next().flatten().map(decode).transpose()?;
    let pass = pass.filter(|p| p.deleted_at.is_none()).ok_or_else(not_found)?;
    if pass.price != body.final_price {
        return Err(price_mismatch());
    }
    if pass.is_disabled {
        return Err(disabled());
    }
    let id = next_id(table, "payment").await?;
    let now_at = state.core.clock.now();
    let now = iso8601(now_at);
    let payment = PaymentRecord {
        id,
        order_id: body.order_id.clone(),
        order_name: body.order_name.trim().to_string(),
        user_id,
        lecturer_id: pass.lecturer_id,
        product: "패스권".into(),
        status: READY.into(),
        original_price: body.original_price,
        final_price: pass.price,
        refundable_date: iso8601(now_at + Duration::days(PASS_REFUNDABLE_DAYS)),
        pass_id: Some(pass.id),
        created_at: now.clone(),
        updated_at: now.clone(),
        ..Default::default()
    };
    let copy = UserPassRecord {
        id,
        user_id,
        payment_id: id,
        lecture_pass_id: pass.id,
        remaining_uses: pass.max_usage_count,
        is_enabled: false,
        start_at: None,
        end_at: None,
        pass: PassTerms {
            id: pass.id,
            title: pass.title.clone(),
            price: pass.price,
            max_usage_count: pass.max_usage_count,
            available_months: pass.available_months,
            target_ids: pass.targets.iter().map(|t| t.id).collect(),
            created_at: pass.created_at.clone(),
            updated_at: pass.updated_at.clone(),
        },
        created_at: now.clone(),
        updated_at: now,
    };
    let guard = keys::pass_guard(user_id, pass.id)
        .item_with(serde_json::json!({"entity": "PassGuard", "orderId": body.order_id}));
    let on_sale = Cond::And(vec![
        live(),
        Cond::Eq("isDisabled".into(), false.into()),
        Cond::Eq("price".into(), pass.price.into()),
    ]);
    let ops = vec![
        TxOp::Check { key: keys::pass(pass.id), cond: on_sale },
        TxOp::Put { item: payment.item()?, cond: Some(Cond::NotExists) },
        TxOp::Put { item: copy.item()?, cond: Some(Cond::NotExists) },
        TxOp::Put { item: guard, cond: Some(Cond::NotExists) },
    ];
    match table.transact(ops).await {
        Ok(()) => {}
        Err(e @ TableError::TransactionCanceled(_)) if e.failed_at(0) => {
            // The pass changed since it was read: say how.
            let now: Option<PassRecord> = table.get(&keys::pass(pass.id)).await?.map(decode).transpose()?;
            return Err(match now.filter(|p| p.deleted_at.is_none()) {
                None => not_found(),
                Some(p) if p.is_disabled => disabled(),
                Some(_) => price_mismatch(),
            });
        }
        Err(e @ TableError::TransactionCanceled(_)) if e.failed_at(1) => {
            return Err(ApiError::bad_request("DuplicateOrderId", "주문Id가 중복되었습니다."));
        }
        Err(e @ TableError::TransactionCanceled(_)) if e.failed_at(3) => {
            return Err(ApiError::bad_request("AlreadyPurchasedPass", "이미 구매한 패스권입니다."));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Data(PendingData {
        pending_payment_info: PendingPayment {
            order_id: payment.order_id,
            order_name: payment.order_name,
            value: pass.price,
        },
    }))
}
