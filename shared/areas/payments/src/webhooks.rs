//! Toss's webhooks (flows.md §4.6, notes/providers.md §4.7): `PAYMENT_STATUS_CHANGED` and the
//! virtual account's deposit callback. Neither is signed, so neither is believed: the deposit
//! callback must carry the order's deposit secret, and both act only on the payment as the
//! gateway answers for it when asked (gap #10). Every write is conditioned on the order's status,
//! so a delivery repeated (Toss retries anything but 200) changes nothing twice. They answer 200
//! whenever there is nothing (more) to do, and 503 when the gateway cannot be asked, so that
//! Toss delivers again.

use axum::extract::State;
use axum::http::StatusCode;
use connection_adapters::iso8601;
use connection_adapters::payments::{PspError, PspStatus};
use connection_http::ApiError;
use connection_http::envelope::DataWithCode;
use connection_http::extract::JsonBody;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_model::payments::{
    CANCELED, DONE, EXPIRED, PaymentRecord, READY, WAITING_FOR_DEPOSIT, release_ops,
};
use connection_model::{decode, keys};
use connection_table::{Cond, TxOp, Update};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::PaymentsState;
use crate::confirm::purchase_ops;
use crate::order::valid_order_id;

/// `PAYMENT_STATUS_CHANGED`: the full Toss payment in `data`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusEvent {
    #[serde(default)]
    event_type: Option<String>,
    /// A Toss `Payment` object; only its `orderId` is read, the rest is asked of Toss.
    #[schema(value_type = Object)]
    data: Value,
}

/// The deposit callback: flat (`secret`, `status`, `orderId`, …), or the same under `data`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositEvent {
    #[serde(default)]
    order_id: Option<String>,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    data: Option<Value>,
}

/// Done: 200 with the envelope, as Toss requires exactly 200.
fn handled() -> DataWithCode<Value> {
    DataWithCode(200, json!({}))
}

fn field(value: &Value, name: &str) -> Option<String> {
    value.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// Equal without telling how much of it matched.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A payment status change reported by Toss.
#[utoipa::path(post, path = "/payments/toss/status", tag = "payments",
    request_body = StatusEvent,
    responses((status = 200, description = "Handled (or nothing to do)", body = StatusOnly), (status = "default", description = "The error envelope: 400 not a status event, 503 the gateway could not be asked (Toss delivers again)", body = ErrorBody)))]
pub async fn status_changed(
    State(state): State<PaymentsState>,
    JsonBody(event): JsonBody<StatusEvent>,
) -> Result<DataWithCode<Value>, ApiError> {
    if event.event_type.as_deref().is_some_and(|t| t != "PAYMENT_STATUS_CHANGED") {
        return Ok(handled());
    }
    let order_id = field(&event.data, "orderId").filter(|id| valid_order_id(id));
    let order_id =
        order_id.ok_or_else(|| ApiError::validation(vec!["data.orderId should not be empty".into()]))?;
    let table = state.core.table.as_ref();
    if let Some(item) = table.get(&keys::order(&order_id)).await? {
        reconcile(&state, decode(item)?).await?;
    }
    Ok(handled())
}

/// A virtual account's deposit (or its reversal) reported by Toss.
#[utoipa::path(post, path = "/payments/toss/deposit-status", tag = "payments",
    request_body = DepositEvent,
    responses((status = 200, description = "Handled (or nothing to do)", body = StatusOnly), (status = "default", description = "The error envelope: 503 the gateway could not be asked (Toss delivers again)", body = ErrorBody)))]
pub async fn deposit_callback(
    State(state): State<PaymentsState>,
    JsonBody(event): JsonBody<DepositEvent>,
) -> Result<DataWithCode<Value>, ApiError> {
    let nested = event.data.as_ref();
    let order_id = event.order_id.or_else(|| nested.and_then(|d| field(d, "orderId")));
    let secret = event.secret.or_else(|| nested.and_then(|d| field(d, "secret")));
    let (Some(order_id), Some(secret)) = (order_id.filter(|id| valid_order_id(id)), secret) else {
        return Ok(handled());
    };
    deposit(&state, &order_id, &secret).await?;
    Ok(handled())
}

/// Acts on a deposit callback for `order_id` that carries `secret`: nothing unless the secret is
/// the order's.
pub async fn deposit(state: &PaymentsState, order_id: &str, secret: &str) -> Result<(), ApiError> {
    let table = state.core.table.as_ref();
    let payment: Option<PaymentRecord> = table.get(&keys::order(order_id)).await?.map(decode).transpose()?;
    match payment {
        Some(p) if p.secret.as_deref().is_some_and(|s| same_secret(s, secret)) => reconcile(state, p).await,
        _ => Ok(()),
    }
}

/// Brings the order (as read) in step with the payment as the gateway answers for it now.
async fn reconcile(state: &PaymentsState, payment: PaymentRecord) -> Result<(), ApiError> {
    let table = state.core.table.as_ref();
    let order_id = payment.order_id.as_str();
    let fetched = match state.gateway.payment_by_order(order_id).await {
        Ok(fetched) => fetched,
        Err(PspError::Refused { status: 404, .. }) => return Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, order_id, "a webhook's payment could not be looked up");
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "PaymentGatewayUnavailable",
                "결제 정보를 확인할 수 없습니다.",
            ));
        }
    };
    if payment.payment_key.as_deref().is_some_and(|key| key != fetched.payment_key) {
        return Ok(());
    }
    let now = iso8601(state.core.clock.now());
    let ops = match (payment.status.as_str(), fetched.status) {
        (WAITING_FOR_DEPOSIT, PspStatus::Done) => settle_ops(&payment, &now),
        (DONE, PspStatus::WaitingForDeposit) if payment.virtual_account.is_some() => {
            unsettle_ops(&payment, &now)
        }
        (READY | WAITING_FOR_DEPOSIT, PspStatus::Expired) => release_ops(&payment, EXPIRED, &now),
        (READY | WAITING_FOR_DEPOSIT, PspStatus::Canceled | PspStatus::Aborted) => {
            release_ops(&payment, CANCELED, &now)
        }
        _ => return Ok(()),
    };
    match table.transact(ops).await {
        // Another delivery (or a cancel) got there first: nothing left to do.
        Err(e) if e.failed_at(0) => Ok(()),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(()),
    }
}

/// The deposit arrived: the order is paid and what it bought is enabled.
fn settle_ops(payment: &PaymentRecord, now: &str) -> Vec<TxOp> {
    let mut reservation = payment.reservation.clone();
    if let Some(r) = reservation.as_mut() {
        r.is_enabled = true;
    }
    let update =
        Update::new().set("status", DONE).set("reservation", json!(reservation)).set("updatedAt", now);
    let mut ops = vec![TxOp::Update {
        key: keys::order(&payment.order_id),
        update,
        cond: Some(Cond::Eq("status".into(), WAITING_FOR_DEPOSIT.into())),
    }];
    ops.extend(purchase_ops(payment, now, true));
    ops
}

/// A deposit was reversed at the bank: the order waits again and what it bought is disabled.
fn unsettle_ops(payment: &PaymentRecord, now: &str) -> Vec<TxOp> {
    let mut reservation = payment.reservation.clone();
    if let Some(r) = reservation.as_mut() {
        r.is_enabled = false;
    }
    let update = Update::new()
        .set("status", WAITING_FOR_DEPOSIT)
        .set("reservation", json!(reservation))
        .set("updatedAt", now);
    let mut ops = vec![TxOp::Update {
        key: keys::order(&payment.order_id),
        update,
        cond: Some(Cond::Eq("status".into(), DONE.into())),
    }];
    ops.extend(purchase_ops(payment, now, false));
    ops
}
