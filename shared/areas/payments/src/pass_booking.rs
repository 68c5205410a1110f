//! `POST /payments/pass/lecture`: book a class with a pass (flows.md §4.7). One transaction holds
//! the seats exactly as an order does, spends the copy's uses only while enough are left (and
//! opens its validity window on the first use), and writes a paid order with an **enabled**
//! reservation (gap #16), the learner row and the booking counters. The prices the client sends
//! are not money here: they are kept as sent and never refused.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::offers::pass_window;
use connection_http::extract::JsonBody;
use connection_http::fields::Checks;
use connection_http::guards::UserGuard;
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::offers::UserPassRecord;
use connection_model::payments::{
    DONE, PASS_METHOD, PassUsage, PaymentRecord, Reservation, booking_count, enroll,
};
use connection_model::{decode, keys, live};
use connection_table::{Cond, Index, Query, TableError, TxOp, Update, next_id, query_all};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::PaymentsState;
use crate::order::{
    UnitChoice, bookable, check_attendee, check_order_id, exceeded, lecture_and_unit, seat_room,
};
use crate::result::PaymentResult;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PassBookingBody {
    /// The pass (not my copy of it).
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pass_id: i64,
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    lecture_id: i64,
    order_name: String,
    order_id: String,
    lecture_schedule: UnitChoice,
    /// The class's prices as the order page shows them; kept, not charged.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    original_price: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    final_price: Option<i64>,
    representative: String,
    phone_number: String,
    #[serde(default)]
    requests: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookedData {
    payment_result_by_pass: PaymentResult,
}

fn pass_not_found() -> ApiError {
    ApiError::not_found("PassNotFound", "패스권이 존재하지 않습니다.")
}

fn exceeded_uses() -> ApiError {
    ApiError::bad_request("ExceededPassUsage", "패스권의 사용 가능 횟수를 초과했습니다.")
}

fn expired() -> ApiError {
    ApiError::bad_request("ExpiredPass", "사용기간이 만료된 패스권입니다.")
}

/// Book seats of a class with a pass I hold.
#[utoipa::path(post, path = "/payments/pass/lecture", tag = "payments", security(("bearer" = [])),
    request_body = PassBookingBody,
    responses((status = 201, description = "Booked and paid with the pass", body = Envelope<BookedData>), (status = "default", description = "The error envelope: 400 invalid input, no seats (ExceededCapacity), booking closed (ExpiredDate), not enough uses (ExceededPassUsage), a class the pass does not cover (InvalidPassTarget), an ended pass (ExpiredPass) or a used order id (PaymentAlreadyExists, DuplicateOrderId); 401 refused; 404 no such class or session (LectureNotFound, LectureScheduleNotFound) or no such pass of mine (PassNotFound); 409 the pass changed meanwhile", body = ErrorBody)))]
pub async fn pass_booking(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    JsonBody(body): JsonBody<PassBookingBody>,
) -> Result<Data<BookedData>, ApiError> {
    let participants = body.lecture_schedule.participants;
    let mut checks = Checks::default();
    check_order_id(&mut checks, &body.order_id);
    checks.required_text("orderName", &body.order_name, 100);
    checks.range("participants", Some(participants), 1, 100);
    checks.range("passId", Some(body.pass_id), 1, i64::MAX);
    check_attendee(&mut checks, &body.representative, &body.phone_number, body.requests.as_deref());
    checks.finish()?;
    let table = state.core.table.as_ref();
    let now_at = state.core.clock.now();
    let now = iso8601(now_at);
    let (lecture, seats) =
        lecture_and_unit(table, body.lecture_id, body.lecture_schedule.lecture_schedule_id).await?;
    let refundable = bookable(&lecture, &seats, participants, now_at)?;
    let copies = query_all(table, Query::gsi(Index::Gsi1, keys::user_passes(user.id)).backward()).await?;
    let copies: Vec<UserPassRecord> = copies.into_iter().map(decode).collect::<Result<_, _>>()?;
    let mut mine = copies.into_iter().filter(|c| c.is_enabled && c.lecture_pass_id == body.pass_id);
    let copy = mine.find(|c| c.remaining_uses > 0).ok_or_else(pass_not_found)?;
    if copy.remaining_uses < participants {
        return Err(exceeded_uses());
    }
    if !copy.pass.target_ids.contains(&lecture.id) {
        return Err(ApiError::bad_request("InvalidPassTarget", "패스권 적용 대상이 아닙니다."));
    }
    if copy.end_at.as_deref().is_some_and(|end| end < now.as_str()) {
        return Err(expired());
    }

    let id = next_id(table, "payment").await?;
    let payment = PaymentRecord {
        id,
        order_id: body.order_id.clone(),
        order_name: body.order_name.trim().to_string(),
        user_id: user.id,
        lecturer_id: lecture.lecturer_id,
        product: "클래스".into(),
        status: DONE.into(),
        method: Some(PASS_METHOD.into()),
        original_price: body.original_price.unwrap_or(0),
        final_price: body.final_price.unwrap_or(0),
        refundable_date: iso8601(refundable),
        approved_at: Some(now.clone()),
        reservation: Some(Reservation {
            id,
            lecture_id: lecture.id,
            lecture_title: lecture.title.clone(),
            unit: seats.unit.clone(),
            participants,
            representative: body.representative.trim().to_string(),
            phone_number: body.phone_number.clone(),
            requests: body.requests.clone(),
            is_enabled: true,
        }),
        pass_usage: Some(PassUsage {
            user_pass_id: copy.id,
            lecture_pass_id: copy.lecture_pass_id,
            lecture_pass_title: copy.pass.title.clone(),
            used_count: participants,
        }),
        created_at: now.clone(),
        updated_at: now.clone(),
        ..Default::default()
    };

    let mut copy = copy;
    for _ in 0..ATTEMPTS {
        let ops = booking_ops(&payment, &copy, &lecture, &seats, participants, now_at)?;
        let e = match table.transact(ops).await {
            Ok(()) => return Ok(Data(BookedData { payment_result_by_pass: (&payment).into() })),
            Err(e @ TableError::TransactionCanceled(_)) if !e.is_conflict() => e,
            Err(e) => return Err(e.into()),
        };
        if e.failed_at(0) {
            return Err(ApiError::bad_request("InactiveLecture", "활성화되지 않은 강의입니다."));
        }
        if e.failed_at(1) {
            return Err(exceeded());
        }
        if e.failed_at(3) {
            let existing: Option<PaymentRecord> =
                table.get(&keys::order(&body.order_id)).await?.map(decode).transpose()?;
            return Err(if existing.is_some_and(|p| p.user_id == user.id) {
                ApiError::bad_request("PaymentAlreadyExists", "결제정보가 이미 존재합니다.")
            } else {
                ApiError::bad_request("DuplicateOrderId", "주문Id가 중복되었습니다.")
            });
        }
        if !e.failed_at(2) {
            return Err(ApiError::internal(format!("a pass booking failed: {e}")));
        }
        // Another booking spent the copy meanwhile (or opened its window): read it again.
        let fresh: Option<UserPassRecord> =
            table.get(&keys::user_pass(user.id, copy.id)).await?.map(decode).transpose()?;
        copy = fresh.filter(|c| c.is_enabled).ok_or_else(pass_not_found)?;
        if copy.remaining_uses < participants {
            return Err(exceeded_uses());
        }
        if copy.end_at.as_deref().is_some_and(|end| end < now.as_str()) {
            return Err(expired());
        }
    }
    Err(ApiError::conflict("PassChanged", "패스권이 다른 예약에 사용되었습니다. 다시 시도해 주세요."))
}

/// How often a booking is tried again when another use of the same copy came first.
const ATTEMPTS: usize = 4;

/// The booking's transaction: the class counts it (and must be open), the seats, the copy's
/// uses (only while enough are left and it has not ended; the first use opens its window,
/// unless another use opened it meanwhile), the paid order, the learner row, the lecturer's
/// count, and the guard when the copy is used up.
fn booking_ops(
    payment: &PaymentRecord,
    copy: &UserPassRecord,
    lecture: &connection_model::lecture::LectureRecord,
    seats: &crate::order::Seats,
    participants: i64,
    now_at: time::OffsetDateTime,
) -> Result<Vec<TxOp>, ApiError> {
    let now = iso8601(now_at);
    let user_id = payment.user_id;
    let mut spend = Update::new().add("remainingUses", -participants).set("updatedAt", now);
    let mut spend_cond = vec![
        Cond::Eq("isEnabled".into(), true.into()),
        Cond::Ge("remainingUses".into(), participants.into()),
    ];
    match &copy.end_at {
        None => {
            let months = u32::try_from(copy.pass.available_months).unwrap_or(0);
            let (start, end) = pass_window(now_at, months);
            spend = spend.set("startAt", iso8601(start)).set("endAt", iso8601(end));
            spend_cond.push(Cond::Or(vec![
                Cond::AttrNotExists("endAt".into()),
                Cond::Eq("endAt".into(), Value::Null),
            ]));
        }
        Some(end) => spend_cond.push(Cond::Eq("endAt".into(), end.clone().into())),
    }
    let mut ops = vec![
        TxOp::Update {
            key: keys::lecture(lecture.id),
            update: booking_count(1),
            cond: Some(Cond::And(vec![live(), Cond::Eq("isActive".into(), true.into())])),
        },
        TxOp::Update {
            key: seats.key.clone(),
            update: Update::new().add("numberOfParticipants", participants),
            cond: Some(seat_room(seats.max, participants)),
        },
        TxOp::Update {
            key: keys::user_pass(user_id, copy.id),
            update: spend,
            cond: Some(Cond::And(spend_cond)),
        },
        TxOp::Put { item: payment.item()?, cond: Some(Cond::NotExists) },
        enroll(lecture.lecturer_id, user_id),
        TxOp::Update {
            key: keys::lecturer(lecture.lecturer_id),
            update: booking_count(1),
            cond: Some(Cond::Exists),
        },
    ];
    // A copy used up no longer keeps its learner from buying the pass again.
    if copy.remaining_uses == participants {
        ops.push(TxOp::Delete { key: keys::pass_guard(user_id, copy.lecture_pass_id), cond: None });
    }
    Ok(ops)
}
