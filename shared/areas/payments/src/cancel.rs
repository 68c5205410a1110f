//! `POST /payments/toss/{orderId}/cancel`: the learner abandons an order not yet paid (flows.md
//! §4.5). One transaction, conditioned on the order's status being what was read, gives the
//! seats, the coupon uses and the holdings back: exactly once, whoever else tries
//! (`payments::release_ops`).

use axum::extract::State;
use connection_adapters::iso8601;
use connection_adapters::payments::{CancelRequest, PspError};
use connection_http::extract::PathText;
use connection_http::guards::UserGuard;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_http::{ApiError, Empty};
use connection_model::payments::{CANCELED, PaymentRecord, READY, WAITING_FOR_DEPOSIT, release_ops};
use connection_model::{decode, keys};
use connection_table::{Table, TableError};

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
