//! `POST /payments/{paymentId}/refund`: money back for a paid class booking or an unused pass
//! (flows.md §4.9). The amount is the refund rules' (`connection_domain::payments`), and the
//! client's figure must equal it. The refund is recorded on the order first, then asked of the
//! gateway with an idempotency key of its own, then finished in one transaction: a failure or a
//! crash in between leaves the intent, and the next request finishes the same refund.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_adapters::payments::{CancelRequest, PspError, RefundAccount};
use connection_domain::payments::{Booked, ClassRefund, class_refund, pass_refund};
use connection_domain::schedule::parse_instant;
use connection_http::extract::{JsonBody, PathId};
use connection_http::guards::UserGuard;
use connection_http::lenient;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_http::{ApiError, Empty};
use connection_model::offers::UserPassRecord;
use connection_model::payments::{CANCELED, DONE, PASS_METHOD, PaymentRecord, Unit, unenroll};
use connection_model::{decode, keys};
use connection_table::{Cond, Index, Query, SkCond, Table, TxOp, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use crate::PaymentsState;
use crate::confirm::{gateway_error, purchase_ops};

/// After paying, a booking is refunded in full for this long whatever its deadline
/// (`CANCELLATION_ABSOLUTE_TIME`).
pub const REFUND_GRACE: Duration = Duration::minutes(30);

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundBody {
    cancel_reason: String,
    /// What the learner expects back; it must be what the rules give.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    refund_amount: i64,
    /// A refund account; virtual-account payments need one.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    user_bank_account_id: Option<i64>,
}

/// A refund in progress, kept on the order from before the gateway is asked until it is done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefundIntent {
    amount: i64,
    reason: String,
    /// Nothing of the booking was attended: the learner leaves the lecturer's learners.
    nothing_attended: bool,
}

fn invalid_payment() -> ApiError {
    ApiError::bad_request("InvalidPaymentInformation", "잘못된 결제 정보입니다.")
}

fn not_available() -> ApiError {
    ApiError::bad_request("RefundPeriodNotAvailable", "환불 가능 기간이 아닙니다.")
}

/// My order with this payment id: its id in my payments' index, then the order itself.
async fn my_payment(
    table: &dyn Table,
    user_id: i64,
    id: i64,
) -> Result<(PaymentRecord, Option<RefundIntent>), ApiError> {
    let query = Query::gsi(Index::Gsi1, keys::user_payments(user_id)).sk(SkCond::Eq(keys::id_sort(id)));
    let page = table.query(query).await?;
    let order_id =
        page.items.first().and_then(|i| i.get("orderId")).and_then(|v| v.as_str()).map(str::to_owned);
    let order_id = order_id.ok_or_else(invalid_payment)?;
    let item = table.get(&keys::order(&order_id)).await?.ok_or_else(invalid_payment)?;
    let refund = item.get("refund").cloned();
    let payment: PaymentRecord = decode(item)?;
    // Only a paid order can hold a refund still in progress.
    let intent = match refund {
        Some(refund) if payment.status == DONE => {
            Some(serde_json::from_value(refund).map_err(ApiError::internal)?)
        }
        _ => None,
    };
    if payment.user_id != user_id {
        return Err(invalid_payment());
    }
    Ok((payment, intent))
}

/// What the rules give back for `payment` at `now`.
async fn refund_due(
    table: &dyn Table,
    payment: &PaymentRecord,
    now: OffsetDateTime,
) -> Result<(i64, bool), ApiError> {
    let refundable_until =
        parse_instant(&payment.refundable_date).ok_or_else(|| ApiError::internal("no refundable date"))?;
    if let Some(pass_id) = payment.pass_id {
        let copy: Option<UserPassRecord> =
            table.get(&keys::user_pass(payment.user_id, payment.id)).await?.map(decode).transpose()?;
        let copy = copy.filter(|c| c.lecture_pass_id == pass_id).ok_or_else(invalid_payment)?;
        let amount = pass_refund(
            payment.final_price,
            copy.remaining_uses,
            copy.pass.max_usage_count,
            refundable_until,
            now,
        )
        .map_err(|_| not_available())?;
        return Ok((amount, true));
    }
    let reservation = payment.reservation.as_ref().ok_or_else(invalid_payment)?;
    let sessions: Vec<OffsetDateTime> = match &reservation.unit {
        Unit::Cohort { sessions, .. } => {
            sessions.iter().filter_map(|s| parse_instant(&s.start_date_time)).collect()
        }
        Unit::Schedule { .. } => Vec::new(),
    };
    let booked = match &reservation.unit {
        Unit::Cohort { .. } => Booked::Regular { sessions: &sessions },
        Unit::Schedule { .. } => Booked::OneDay,
    };
    let paid_at = payment.approved_at.as_deref().and_then(parse_instant).unwrap_or(refundable_until);
    let case = ClassRefund { final_price: payment.final_price, paid_at, refundable_until, booked };
    let refund = class_refund(&case, REFUND_GRACE, now).map_err(|_| not_available())?;
    Ok((refund.amount, refund.nothing_attended))
}

/// Ask for my money back.
#[utoipa::path(post, path = "/payments/{paymentId}/refund", tag = "payments", security(("bearer" = [])),
    params(("paymentId" = i64, Path, description = "The payment")),
    request_body = RefundBody,
    responses((status = 201, description = "Refunded", body = StatusOnly), (status = "default", description = "The error envelope: 400 not my payment (InvalidPaymentInformation), paid with a pass (CannotRefundLectureWithPass), refunded already (AlreadyRefunded), not paid (PaymentNotCompleted), a virtual account without a refund account (RefundAccountRequired, or not one of mine: InvalidRefundAccount), too late (RefundPeriodNotAvailable), another amount (RefundAmountMismatch) or the gateway's refusal; 401 refused; 502/503 the gateway failed", body = ErrorBody)))]
pub async fn refund(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    PathId(id): PathId,
    JsonBody(body): JsonBody<RefundBody>,
) -> Result<Empty, ApiError> {
    if body.cancel_reason.trim().is_empty() || body.cancel_reason.chars().count() > 200 {
        return Err(ApiError::validation(vec!["cancelReason must be 1 to 200 characters".into()]));
    }
    let table = state.core.table.as_ref();
    let (payment, intent) = my_payment(table, user.id, id).await?;
    if payment.method.as_deref() == Some(PASS_METHOD) {
        return Err(ApiError::bad_request(
            "CannotRefundLectureWithPass",
            "패스권으로 결제한 강의는 환불할 수 없습니다.",
        ));
    }
    if payment.status == CANCELED {
        return Err(ApiError::bad_request("AlreadyRefunded", "이미 환불 처리된 결제 정보입니다."));
    }
    if payment.status != DONE {
        return Err(ApiError::bad_request(
            "PaymentNotCompleted",
            "해당 결제 정보는 결제가 완료되지 않은 결제 정보입니다.",
        ));
    }
    // A deposited virtual account is refunded into one of the learner's accounts.
    let account = match (&payment.virtual_account, body.user_bank_account_id) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(ApiError::bad_request("RefundAccountRequired", "환불 계좌가 필요한 결제입니다."));
        }
        (Some(_), Some(id)) => {
            let mine = crate::accounts::accounts(table, user.id).await?.into_iter().find(|a| a.id == id);
            let mine = mine.ok_or_else(|| {
                ApiError::bad_request("InvalidRefundAccount", "유효하지 않은 환불 계좌 정보입니다.")
            })?;
            Some(RefundAccount {
                bank: mine.bank_code,
                account_number: mine.account_number,
                holder_name: mine.holder_name,
            })
        }
    };
    let now_at = state.core.clock.now();
    let now = iso8601(now_at);
    let intent = match intent {
        // A refund already asked for is finished as it was asked.
        Some(intent) => intent,
        None => {
            let (amount, nothing_attended) = refund_due(table, &payment, now_at).await?;
            if amount != body.refund_amount {
                return Err(ApiError::bad_request("RefundAmountMismatch", "환불 가격이 일치하지 않습니다."));
            }
            let intent =
                RefundIntent { amount, reason: body.cancel_reason.trim().to_string(), nothing_attended };
            let record = Update::new().set("refund", json!(intent)).set("updatedAt", now.clone());
            let cond =
                Cond::And(vec![Cond::Eq("status".into(), DONE.into()), Cond::AttrNotExists("refund".into())]);
            match table.update(&keys::order(&payment.order_id), record, Some(cond)).await {
                Ok(_) => intent,
                Err(connection_table::TableError::ConditionFailed) => {
                    return Err(ApiError::conflict("RefundInProgress", "환불이 이미 진행 중입니다."));
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let key = payment.payment_key.as_deref().ok_or_else(invalid_payment)?;
    let partial = intent.amount < payment.final_price;
    let request = CancelRequest {
        cancel_reason: intent.reason.clone(),
        cancel_amount: partial.then_some(intent.amount),
        refund_receive_account: account,
    };
    if intent.amount > 0 {
        match state.gateway.cancel(key, &request, &format!("refund-{}", payment.order_id)).await {
            Ok(_) => {}
            // Cancelled at the gateway by an earlier try whose answer was lost.
            Err(PspError::Refused { code, .. }) if code == "ALREADY_CANCELED_PAYMENT" => {}
            Err(e) => return Err(gateway_error(e)),
        }
    }
    table.transact(refund_ops(&payment, &intent, &now)).await.map_err(|e| {
        tracing::error!(error = %e, order = payment.order_id, "a refund paid at the gateway is not recorded yet");
        ApiError::from(e)
    })?;
    Ok(Empty)
}

/// The refund's local effects: the order cancelled with its refund completed, the booking
/// disabled with its seats back and its counts taken off (or the pass's copy disabled, its sale
/// taken off and its guard gone).
fn refund_ops(payment: &PaymentRecord, intent: &RefundIntent, now: &str) -> Vec<TxOp> {
    let mut reservation = payment.reservation.clone();
    if let Some(r) = reservation.as_mut() {
        r.is_enabled = false;
    }
    let completed = json!({"amount": intent.amount, "reason": intent.reason, "nothingAttended": intent.nothing_attended,
        "status": "COMPLETED", "refundedAt": now});
    let update = Update::new()
        .set("status", CANCELED)
        .set("reservation", json!(reservation))
        .set("refund", completed)
        .set("updatedAt", now);
    let mut ops = vec![TxOp::Update {
        key: keys::order(&payment.order_id),
        update,
        cond: Some(Cond::Eq("status".into(), DONE.into())),
    }];
    ops.extend(purchase_ops(payment, now, false));
    if let Some(pass_id) = payment.pass_id {
        ops.push(TxOp::Delete { key: keys::pass_guard(payment.user_id, pass_id), cond: None });
    } else if let Some(r) = &payment.reservation {
        ops.push(r.seats_back());
        if intent.nothing_attended {
            ops.push(unenroll(payment.lecturer_id, payment.user_id));
        }
    }
    ops
}
