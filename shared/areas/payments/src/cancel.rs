//! `POST /payments/toss/{orderId}/cancel`: the learner abandons an order not yet paid (flows.md
//! §4.5). One transaction, conditioned on the order's status being what was read, gives the
//! seats, the coupon uses and the holdings back: exactly once, whoever else tries.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_adapters::payments::{CancelRequest, PspError};
use connection_http::extract::PathText;
use connection_http::guards::UserGuard;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_http::{ApiError, Empty};
use connection_model::payments::{CANCELED, PaymentRecord, READY, Unit, WAITING_FOR_DEPOSIT};
use connection_model::{decode, keys};
use connection_table::{Cond, Table, TableError, TxOp, Update};
use serde_json::json;

use crate::{PaymentsState, payment_not_found};

/// The learner's own order, by its id.
pub(crate) async fn own_order(
    table: &dyn Table,
    user_id: i64,
    order_id: &str,
) -> Result<PaymentRecord, ApiError> {
    if !crate::order::valid_order_id(order_id) {
        return Err(payment_not_found());
    }
    let payment: Option<PaymentRecord> = table.get(&keys::order(order_id)).await?.map(decode).transpose()?;
    payment.filter(|p| p.user_id == user_id).ok_or_else(payment_not_found)
}

/// The writes that end a pending order with `status`: only if it is still as read, the seats,
/// coupon uses, holdings and the learner's enrollment go back.
pub(crate) fn release_ops(payment: &PaymentRecord, status: &str, now: &str) -> Vec<TxOp> {
    let mut reservation = payment.reservation.clone();
    if let Some(r) = reservation.as_mut() {
        r.is_enabled = false;
    }
    let mut ops = vec![TxOp::Update {
        key: keys::order(&payment.order_id),
        update: Update::new()
            .set("status", status)
            .set("updatedAt", now)
            .set("reservation", json!(reservation)),
        cond: Some(Cond::Eq("status".into(), payment.status.clone().into())),
    }];
    if let Some(r) = &payment.reservation {
        let unit = match &r.unit {
            Unit::Schedule { start_date_time, .. } => keys::schedule(r.lecture_id, start_date_time),
            Unit::Cohort { id, .. } => keys::cohort(r.lecture_id, *id),
        };
        ops.push(TxOp::Update {
            key: unit,
            update: Update::new().add("numberOfParticipants", -r.participants),
            cond: Some(Cond::Ge("numberOfParticipants".into(), r.participants.into())),
        });
        ops.push(TxOp::Update {
            key: keys::learner(payment.lecturer_id, payment.user_id),
            update: Update::new().add("enrollmentCount", -1),
            cond: Some(Cond::Ge("enrollmentCount".into(), 1.into())),
        });
    }
    for coupon in payment.coupons() {
        let mut update = Update::new().add("usageCount", -1);
        if coupon.limited {
            update = update.add("usesLeft", 1);
        }
        ops.push(TxOp::Update { key: keys::coupon(coupon.id), update, cond: Some(Cond::Exists) });
        ops.push(TxOp::Update {
            key: keys::holding(coupon.id, payment.user_id),
            update: Update::new().set("isUsed", false).set("updatedAt", now),
            cond: Some(Cond::Exists),
        });
    }
    ops
}

fn cannot_cancel() -> ApiError {
    ApiError::bad_request("InvalidCancelStatus", "취소할 수 없는 상태입니다.")
}

/// Abandon my order that is not paid yet (a virtual account waiting for its deposit is closed
/// at the gateway too).
#[utoipa::path(post, path = "/payments/toss/{orderId}/cancel", tag = "payments", security(("bearer" = [])),
    params(("orderId" = String, Path, description = "The order")),
    responses((status = 201, description = "Cancelled: seats and coupons are back", body = StatusOnly), (status = "default", description = "The error envelope: 400 not pending (InvalidCancelStatus), 401 refused, 404 not my order (PaymentInfoNotFound), 502 the gateway refused", body = ErrorBody)))]
pub async fn cancel(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    PathText(order_id): PathText,
) -> Result<Empty, ApiError> {
    let table = state.core.table.as_ref();
    let payment = own_order(table, user.id, &order_id).await?;
    if payment.status != READY && payment.status != WAITING_FOR_DEPOSIT {
        return Err(cannot_cancel());
    }
    if let (WAITING_FOR_DEPOSIT, Some(key)) = (payment.status.as_str(), &payment.payment_key) {
        let request = CancelRequest {
            cancel_reason: "주문 취소".into(),
            cancel_amount: None,
            refund_receive_account: None,
        };
        match state.gateway.cancel(key, &request, &format!("cancel-{order_id}")).await {
            Ok(_) => {}
            Err(PspError::Refused { code, .. }) if code == "ALREADY_CANCELED_PAYMENT" => {}
            Err(e) => return Err(crate::confirm::gateway_error(e)),
        }
    }
    let now = iso8601(state.core.clock.now());
    match table.transact(release_ops(&payment, CANCELED, &now)).await {
        Ok(()) => Ok(Empty),
        // Confirmed or cancelled meanwhile.
        Err(e @ TableError::TransactionCanceled(_)) if e.failed_at(0) => Err(cannot_cancel()),
        Err(e) => Err(e.into()),
    }
}
