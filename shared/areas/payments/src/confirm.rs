//! `PATCH /payments/toss/confirm`: the learner paid in the widget; the gateway approves the
//! order and the order records it (flows.md §4.4). One idempotency key per (order, payment key)
//! makes retried or parallel confirms one request at the gateway, and the order's write is conditioned on it
//! still being `READY`, so exactly one confirm records it and the rest answer `AlreadyApproved`.
//! When the gateway approved but the order cannot record it, the approval is cancelled at the
//! gateway (gap #9).

use axum::extract::State;
use axum::http::StatusCode;
use connection_adapters::iso8601;
use connection_adapters::payments::{CancelRequest, PspError, PspPayment, PspStatus};
use connection_domain::lookups::{BANKS, CARDS};
use connection_http::extract::JsonBody;
use connection_http::guards::UserGuard;
use connection_http::lenient;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_http::{ApiError, Empty};
use connection_model::payments::{
    CANCELED, CardInfo, DONE, PaymentRecord, READY, VirtualAccountInfo, WAITING_FOR_DEPOSIT, booking_count,
    release_ops,
};
use connection_model::{decode, keys};
use connection_table::{Cond, TxOp, Update};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::PaymentsState;
use crate::cancel::own_order;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmBody {
    payment_key: String,
    order_id: String,
    /// What the widget charged; the client passes it on as a string.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    amount: i64,
}

/// A gateway refusal as our error: its code and message, 400 (502 for the gateway's own
/// failures); no answer is 503.
pub(crate) fn gateway_error(e: PspError) -> ApiError {
    match e {
        PspError::Refused { status, code, message } if status >= 500 => {
            ApiError::new(StatusCode::BAD_GATEWAY, &code, message)
        }
        PspError::Refused { code, message, .. } => ApiError::bad_request(&code, message),
        PspError::Unavailable(cause) => {
            tracing::warn!(%cause, "payment gateway unavailable");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "PaymentGatewayUnavailable",
                "결제 서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
            )
        }
    }
}

fn already_approved() -> ApiError {
    ApiError::bad_request("AlreadyApproved", "이미 승인된 결제 정보입니다.")
}

fn invalid_status() -> ApiError {
    ApiError::bad_request("InvalidPaymentStatus", "결제 진행이 불가능한 상태입니다.")
}

/// Cancels an approval the order could not keep. A failure is logged: the payment stays
/// approved at the gateway with no order, and the logs name it for a refund by hand.
async fn compensate(state: &PaymentsState, payment_key: &str, order_id: &str, reason: &str) {
    let request =
        CancelRequest { cancel_reason: reason.into(), cancel_amount: None, refund_receive_account: None };
    if let Err(e) = state.gateway.cancel(payment_key, &request, &format!("compensate-{order_id}")).await {
        tracing::error!(error = %e, order_id, "an approved payment could not be cancelled");
    }
}

/// What the gateway approved, as the order keeps it; `Err` when the order cannot take it.
fn recorded(approved: &PspPayment) -> Result<(&'static str, Update), ApiError> {
    let known_card = |code: &str| CARDS.iter().any(|(c, ..)| *c == code);
    match (approved.status, &approved.card, &approved.virtual_account) {
        (PspStatus::Done, Some(card), _) => {
            if !known_card(&card.issuer_code) || card.acquirer_code.as_deref().is_some_and(|c| !known_card(c))
            {
                return Err(ApiError::bad_request("InvalidCardCode", "잘못된 카드Code입니다"));
            }
            let info = CardInfo {
                issuer_code: card.issuer_code.clone(),
                acquirer_code: card.acquirer_code.clone(),
                number: card.number.clone(),
                installment_plan_months: card.installment_plan_months,
                approve_no: card.approve_no.clone(),
                card_type: card.card_type.clone(),
            };
            Ok((DONE, Update::new().set("method", "카드").set("card", json!(info))))
        }
        (PspStatus::WaitingForDeposit, _, Some(va)) => {
            if !BANKS.iter().any(|(code, ..)| *code == va.bank_code) {
                return Err(ApiError::bad_request("BankCodeNotFound", "존재하지 않는 은행 코드입니다."));
            }
            let info = VirtualAccountInfo {
                account_number: va.account_number.clone(),
                bank_code: va.bank_code.clone(),
                customer_name: va.customer_name.clone(),
                due_date: va.due_date.clone(),
                expired: va.expired,
            };
            let update = Update::new()
                .set("method", "가상계좌")
                .set("virtualAccount", json!(info))
                .set("secret", json!(approved.secret));
            Ok((WAITING_FOR_DEPOSIT, update))
        }
        _ => Err(ApiError::bad_request("InvalidPaymentMethod", "올바르지 않은 결제 방식입니다.")),
    }
}

/// What a paid order bought, enabled (`enabled`) or disabled again: a pass purchase's copy
/// (listed while enabled) and the pass's sales; a class booking's counters (the catalog's
/// popular lists read them).
pub(crate) fn purchase_ops(payment: &PaymentRecord, now: &str, enabled: bool) -> Vec<TxOp> {
    let delta = if enabled { 1 } else { -1 };
    if let Some(pass_id) = payment.pass_id {
        let copy = Update::new().set("isEnabled", enabled).set("updatedAt", now);
        let copy = if enabled {
            copy.set("gsi1pk", keys::user_passes(payment.user_id)).set("gsi1sk", keys::id_sort(payment.id))
        } else {
            copy.remove("gsi1pk").remove("gsi1sk")
        };
        return vec![
            TxOp::Update {
                key: keys::user_pass(payment.user_id, payment.id),
                update: copy,
                cond: Some(Cond::Exists),
            },
            TxOp::Update {
                key: keys::pass(pass_id),
                update: Update::new().add("salesCount", delta),
                cond: Some(Cond::Exists),
            },
        ];
    }
    let Some(r) = &payment.reservation else { return Vec::new() };
    vec![
        TxOp::Update {
            key: keys::lecture(r.lecture_id),
            update: booking_count(delta),
            cond: Some(Cond::Exists),
        },
        TxOp::Update {
            key: keys::lecturer(payment.lecturer_id),
            update: booking_count(delta),
            cond: Some(Cond::Exists),
        },
    ]
}

/// Confirm my order after the widget's success.
#[utoipa::path(patch, path = "/payments/toss/confirm", tag = "payments", security(("bearer" = [])),
    request_body = ConfirmBody,
    responses((status = 200, description = "Paid, or a virtual account opened", body = StatusOnly), (status = "default", description = "The error envelope: 400 a wrong amount (PaymentAmountMismatch), already confirmed (AlreadyApproved), not pending (InvalidPaymentStatus), a method we do not take (InvalidPaymentMethod) or the gateway's refusal (its code); 401 refused; 404 not my order (PaymentInfoNotFound); 502/503 the gateway failed or did not answer", body = ErrorBody)))]
pub async fn confirm(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    JsonBody(body): JsonBody<ConfirmBody>,
) -> Result<Empty, ApiError> {
    let table = state.core.table.as_ref();
    let payment = own_order(table, user.id, &body.order_id).await?;
    if body.amount != payment.final_price {
        return Err(ApiError::bad_request("PaymentAmountMismatch", "결제 금액이 일치하지 않습니다."));
    }
    match payment.status.as_str() {
        DONE | WAITING_FOR_DEPOSIT => return Err(already_approved()),
        READY => {}
        _ => return Err(invalid_status()),
    }
    let order_id = &payment.order_id;
    let key = format!("confirm-{order_id}-{}", body.payment_key);
    let approved = match state.gateway.confirm(&body.payment_key, order_id, payment.final_price, &key).await {
        Ok(approved) => approved,
        // No answer: the approval may have happened; the gateway knows.
        Err(PspError::Unavailable(cause)) => match state.gateway.payment_by_order(order_id).await {
            Ok(found)
                if found.payment_key == body.payment_key
                    && matches!(found.status, PspStatus::Done | PspStatus::WaitingForDeposit) =>
            {
                found
            }
            _ => return Err(gateway_error(PspError::Unavailable(cause))),
        },
        Err(e) => return Err(gateway_error(e)),
    };
    let now = iso8601(state.core.clock.now());
    let (status, update) = match recorded(&approved) {
        Ok(recorded) => recorded,
        Err(refusal) => {
            compensate(&state, &approved.payment_key, order_id, "올바르지 않은 결제 방식").await;
            if let Err(e) = table.transact(release_ops(&payment, CANCELED, &now)).await {
                tracing::error!(error = %e, order_id, "a refused order could not be released");
            }
            return Err(refusal);
        }
    };
    let mut reservation = payment.reservation.clone();
    if let Some(r) = reservation.as_mut() {
        r.is_enabled = status == DONE;
    }
    let update = update
        .set("status", status)
        .set("paymentKey", approved.payment_key.clone())
        .set("approvedAt", json!(approved.approved_at))
        .set("reservation", json!(reservation))
        .set("updatedAt", now)
        .remove("rankpk")
        .remove("ranksk");
    let mut ops = vec![TxOp::Update {
        key: keys::order(order_id),
        update,
        cond: Some(Cond::Eq("status".into(), READY.into())),
    }];
    if status == DONE {
        ops.extend(purchase_ops(&payment, &iso8601(state.core.clock.now()), true));
    }
    let failure = match table.transact(ops).await {
        Ok(()) => return Ok(Empty),
        Err(e) => e,
    };
    // The write failed, was refused, or its outcome is unknown: what the order now says decides.
    let current: Option<PaymentRecord> = match table.get(&keys::order(order_id)).await {
        Ok(item) => item.map(decode).transpose().ok().flatten(),
        Err(_) => None,
    };
    let recorded_here = current.as_ref().is_some_and(|p| {
        (p.status == DONE || p.status == WAITING_FOR_DEPOSIT)
            && p.payment_key.as_deref() == Some(approved.payment_key.as_str())
    });
    if recorded_here {
        // Recorded by this confirm (a commit whose answer was lost) or a parallel one.
        return if failure.failed_at(0) { Err(already_approved()) } else { Ok(Empty) };
    }
    // Not recorded: the approval must not stand, and the order is closed so that a retry, which
    // the gateway would answer with the same approval, cannot record it.
    compensate(&state, &approved.payment_key, order_id, "결제 기록 실패").await;
    if let Some(p) = current.filter(|p| p.status == READY) {
        let now = iso8601(state.core.clock.now());
        if let Err(e) = table.transact(release_ops(&p, CANCELED, &now)).await {
            tracing::error!(error = %e, order_id, "an unrecorded order could not be released");
        }
    }
    if failure.failed_at(0) {
        return Err(invalid_status());
    }
    tracing::error!(error = %failure, order_id, "an approved payment could not be recorded and was cancelled");
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "PaymentNotRecorded",
        "결제를 기록하지 못해 승인을 취소했습니다. 주문을 다시 진행해 주세요.",
    ))
}
