//! `POST /payments/toss/lecture`: a pending class order (flows.md §4.2). Everything is checked
//! from one Query of the lecture's partition and one batch read (the learner, the coupons, the
//! learner's holdings of them and their targets); then one transaction holds the seats (only
//! while `numberOfParticipants + n ≤ maxCapacity`), spends the coupons (each holding once, each
//! coupon within its uses), and writes the order with its reservation and the learner row. So
//! concurrent orders can neither overbook nor spend a coupon twice (gaps #7, #8).

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::offers::{StackError, order_price};
use connection_domain::payments::refundable_until;
use connection_domain::schedule::parse_instant;
use connection_http::extract::JsonBody;
use connection_http::fields::Checks;
use connection_http::guards::{UserToken, active_user};
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecture::{CohortRecord, LectureRecord, ScheduleRecord};
use connection_model::offers::{CouponRecord, HoldingRecord};
use connection_model::payments::{PaymentRecord, READY, Reservation, SpentCoupon, Unit, enroll};
use connection_model::{decode, keys, live};
use connection_table::{Cond, Item, Key, Query, Table, TableError, TxOp, Update, next_id, query_all};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::PaymentsState;

/// The session (one-day) or cohort (regular) and how many seats.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnitChoice {
    /// A session's id (one-day) or a cohort's id (regular).
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pub(crate) lecture_schedule_id: i64,
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pub(crate) participants: i64,
}

/// The order form (client.md §4 M): ids and prices may arrive as digit strings.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClassOrderBody {
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    lecture_id: i64,
    order_name: String,
    /// Made by the browser (6–64 letters, digits, `-` or `_`); unique.
    order_id: String,
    lecture_schedule: UnitChoice,
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    original_price: i64,
    /// What the learner pays after coupons, in won.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    final_price: i64,
    /// A held, non-stackable coupon.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    coupon_id: Option<i64>,
    /// A held, stackable coupon.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    stackable_coupon_id: Option<i64>,
    representative: String,
    /// `010` and eight digits.
    phone_number: String,
    #[serde(default)]
    requests: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingPayment {
    pub(crate) order_id: String,
    pub(crate) order_name: String,
    /// The amount to hand the payment widget.
    pub(crate) value: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingData {
    pub(crate) pending_payment_info: PendingPayment,
}

/// The most seats one order takes.
const PARTICIPANTS_MAX: i64 = 100;

/// An order id the browser made: the rules Toss sets for it.
pub(crate) fn check_order_id(checks: &mut Checks, id: &str) {
    if !valid_order_id(id) {
        checks.fail("orderId must be 6 to 64 letters, digits, - or _");
    }
}

pub(crate) fn valid_order_id(id: &str) -> bool {
    (6..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check(body: &ClassOrderBody) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    check_order_id(&mut checks, &body.order_id);
    checks.required_text("orderName", &body.order_name, 100);
    check_attendee(&mut checks, &body.representative, &body.phone_number, body.requests.as_deref());
    checks.range("participants", Some(body.lecture_schedule.participants), 1, PARTICIPANTS_MAX);
    checks.range("lectureScheduleId", Some(body.lecture_schedule.lecture_schedule_id), 1, i64::MAX);
    checks.range("finalPrice", Some(body.final_price), 0, i64::MAX / 1000);
    checks.range("originalPrice", Some(body.original_price), 0, i64::MAX / 1000);
    for (field, id) in [("couponId", body.coupon_id), ("stackableCouponId", body.stackable_coupon_id)] {
        checks.range(field, id, 1, i64::MAX);
    }
    checks.finish()
}

fn lecture_not_found() -> ApiError {
    ApiError::not_found("LectureNotFound", "강의정보가 존재하지 않습니다.")
}

pub(crate) fn exceeded() -> ApiError {
    ApiError::bad_request("ExceededCapacity", "인원 초과입니다.")
}

fn no_coupon(stackable: bool) -> ApiError {
    let message = if stackable {
        "사용가능한 중복 쿠폰이 존재하지 않습니다."
    } else {
        "사용가능한 쿠폰이 존재하지 않습니다."
    };
    ApiError::not_found("NoAvailableCouponsError", message)
}

fn coupon_limit() -> ApiError {
    ApiError::bad_request("CouponLimit", "쿠폰 사용 제한 횟수를 초과했습니다.")
}

/// The unit's seats as an order sees them.
pub(crate) struct Seats {
    pub(crate) key: Key,
    pub(crate) unit: Unit,
    pub(crate) first_start: String,
    pub(crate) booked: i64,
    pub(crate) max: Option<i64>,
}

/// The lecture and the chosen unit, from one Query of the lecture's partition. A unit of
/// another lecture is not found (gap #12).
pub(crate) async fn lecture_and_unit(
    table: &dyn Table,
    lecture_id: i64,
    unit_id: i64,
) -> Result<(LectureRecord, Seats), ApiError> {
    let items = query_all(table, Query::partition(keys::lecture_partition(lecture_id))).await?;
    let (mut lecture, mut seats) = (None, None);
    for item in items {
        let sk = item.get("sk").and_then(Value::as_str).unwrap_or_default().to_string();
        if sk == "LECTURE" {
            lecture = Some(decode::<LectureRecord>(item)?);
        } else if sk.starts_with(keys::SCHEDULE) && item.get("id").and_then(Value::as_i64) == Some(unit_id) {
            let s: ScheduleRecord = decode(item)?;
            seats = Some(Seats {
                key: keys::schedule(lecture_id, &s.start_date_time),
                first_start: s.start_date_time.clone(),
                unit: Unit::Schedule {
                    id: s.id,
                    start_date_time: s.start_date_time,
                    end_date_time: s.end_date_time,
                },
                booked: s.number_of_participants,
                max: s.max_capacity,
            });
        } else if sk.starts_with(keys::COHORT) && item.get("id").and_then(Value::as_i64) == Some(unit_id) {
            let c: CohortRecord = decode(item)?;
            let first = c.sessions.iter().map(|s| s.start_date_time.clone()).min().unwrap_or_default();
            seats = Some(Seats {
                key: keys::cohort(lecture_id, c.id),
                first_start: first,
                unit: Unit::Cohort { id: c.id, day: c.day, date_time: c.date_time, sessions: c.sessions },
                booked: c.number_of_participants,
                max: c.max_capacity,
            });
        }
    }
    let lecture = lecture.filter(|l| l.deleted_at.is_none()).ok_or_else(lecture_not_found)?;
    if !lecture.is_active {
        return Err(ApiError::bad_request("InactiveLecture", "활성화되지 않은 강의입니다."));
    }
    let seats = seats.ok_or_else(|| {
        ApiError::not_found("LectureScheduleNotFound", "해당 강의 일정이 존재하지 않습니다.")
    })?;
    Ok((lecture, seats))
}

/// A coupon an order may spend, checked against what was read; the transaction checks again.
struct Spend {
    coupon: CouponRecord,
    stackable: bool,
}

fn usable(
    found: Option<Item>,
    holding: Option<Item>,
    target: Option<Item>,
    stackable: bool,
    now: &str,
) -> Result<Spend, ApiError> {
    let coupon: Option<CouponRecord> = found.map(decode).transpose()?;
    let holding: Option<HoldingRecord> = holding.map(decode).transpose()?;
    let coupon = coupon
        .filter(|c| c.is_enabled(now) && c.start_at.as_str() <= now && c.is_stackable == stackable)
        .filter(|_| holding.is_some_and(|h| !h.is_used && !h.hidden) && target.is_some())
        .ok_or_else(|| no_coupon(stackable))?;
    if coupon.is_exhausted() {
        return Err(coupon_limit());
    }
    Ok(Spend { coupon, stackable })
}

/// Book `participants` seats of a class and open its payment.
#[utoipa::path(post, path = "/payments/toss/lecture", tag = "payments", security(("bearer" = [])),
    request_body = ClassOrderBody,
    responses((status = 201, description = "Seats held; pay `value` with the widget", body = Envelope<PendingData>), (status = "default", description = "The error envelope: 400 invalid input, an inactive class (InactiveLecture), no seats (ExceededCapacity), booking closed (ExpiredDate), a used-up coupon (CouponLimit), two percentages (DuplicateDiscount), a wrong price (PaymentAmountMismatch) or a used order id (PaymentAlreadyExists, DuplicateOrderId); 401 refused; 404 no such class, session or usable coupon", body = ErrorBody)))]
pub async fn class_order(
    State(state): State<PaymentsState>,
    UserToken(user_id): UserToken,
    JsonBody(body): JsonBody<ClassOrderBody>,
) -> Result<Data<PendingData>, ApiError> {
    check(&body)?;
    let table = state.core.table.as_ref();
    let now_at = state.core.clock.now();
    let now = iso8601(now_at);
    let participants = body.lecture_schedule.participants;
    let (lecture, seats) =
        lecture_and_unit(table, body.lecture_id, body.lecture_schedule.lecture_schedule_id).await?;
    let refundable = bookable(&lecture, &seats, participants, now_at)?;

    let slots: Vec<(i64, bool)> = [(body.coupon_id, false), (body.stackable_coupon_id, true)]
        .into_iter()
        .filter_map(|(id, stackable)| id.map(|id| (id, stackable)))
        .collect();
    let mut wanted = vec![keys::user(user_id)];
    for (id, _) in &slots {
        wanted.extend([keys::coupon(*id), keys::holding(*id, user_id), keys::coupon_target(lecture.id, *id)]);
    }
    let mut found = table.batch_get(&wanted).await?.into_iter();
    active_user(found.next().flatten())?;
    let mut spends = Vec::new();
    for (_, stackable) in &slots {
        let (coupon, holding, target) =
            (found.next().flatten(), found.next().flatten(), found.next().flatten());
        spends.push(usable(coupon, holding, target, *stackable, &now)?);
    }
    if slots.len() == 2 && slots[0].0 == slots[1].0 {
        return Err(no_coupon(true));
    }
    let terms = |stackable: bool| spends.iter().find(|s| s.stackable == stackable).map(|s| s.coupon.terms());
    let price = order_price(lecture.price, participants, terms(false).as_ref(), terms(true).as_ref())
        .map_err(|StackError::DuplicateDiscount| {
            ApiError::bad_request("DuplicateDiscount", "할인율은 중복적용이 불가능합니다.")
        })?;
    if price != body.final_price {
        return Err(ApiError::bad_request("PaymentAmountMismatch", "결제 금액이 일치하지 않습니다."));
    }

    let id = next_id(table, "payment").await?;
    let snapshot = |s: &Spend| SpentCoupon {
        id: s.coupon.id,
        title: s.coupon.title.clone(),
        percentage: s.coupon.percentage,
        discount_price: s.coupon.discount_price,
        max_discount_price: s.coupon.max_discount_price,
        limited: s.coupon.uses_left.is_some(),
    };
    let payment = PaymentRecord {
        id,
        order_id: body.order_id.clone(),
        order_name: body.order_name.trim().to_string(),
        user_id,
        lecturer_id: lecture.lecturer_id,
        product: "클래스".into(),
        status: READY.into(),
        original_price: body.original_price,
        final_price: price,
        refundable_date: iso8601(refundable),
        coupon: spends.iter().find(|s| !s.stackable).map(snapshot),
        stackable_coupon: spends.iter().find(|s| s.stackable).map(snapshot),
        reservation: Some(Reservation {
            id,
            lecture_id: lecture.id,
            lecture_title: lecture.title.clone(),
            unit: seats.unit.clone(),
            participants,
            representative: body.representative.trim().to_string(),
            phone_number: body.phone_number.clone(),
            requests: body.requests.clone(),
            is_enabled: false,
        }),
        created_at: now.clone(),
        updated_at: now.clone(),
        ..Default::default()
    };

    let mut ops = vec![
        TxOp::Check {
            key: keys::lecture(lecture.id),
            cond: Cond::And(vec![live(), Cond::Eq("isActive".into(), true.into())]),
        },
        TxOp::Update {
            key: seats.key.clone(),
            update: Update::new().add("numberOfParticipants", participants),
            cond: Some(seat_room(seats.max, participants)),
        },
    ];
    for spend in &spends {
        ops.extend(spend_ops(spend, user_id, lecture.id, &now));
    }
    let payment_at = ops.len();
    ops.push(TxOp::Put { item: payment.item()?, cond: Some(Cond::NotExists) });
    ops.push(enroll(lecture.lecturer_id, user_id));
    match table.transact(ops).await {
        Ok(()) => {}
        Err(e @ TableError::TransactionCanceled(_)) if !e.is_conflict() => {
            return Err(refusal(table, &e, payment_at, &spends, &body.order_id, user_id).await?);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Data(PendingData {
        pending_payment_info: PendingPayment {
            order_id: payment.order_id,
            order_name: payment.order_name,
            value: price,
        },
    }))
}

/// Until when a booking of `seats` can be made (and refunded in full): its deadline, which must
/// not have passed, with room for `participants` more (as read; the transaction checks again).
pub(crate) fn bookable(
    lecture: &LectureRecord,
    seats: &Seats,
    participants: i64,
    now: time::OffsetDateTime,
) -> Result<time::OffsetDateTime, ApiError> {
    let first =
        parse_instant(&seats.first_start).ok_or_else(|| ApiError::internal("a unit without a start"))?;
    let refundable = refundable_until(first, lecture.reservation_deadline);
    if now > refundable {
        return Err(ApiError::bad_request("ExpiredDate", "예약 마감일이 지난 강의입니다."));
    }
    if seats.max.is_some_and(|max| seats.booked + participants > max) {
        return Err(exceeded());
    }
    Ok(refundable)
}

/// The attendee fields every booking carries, checked.
pub(crate) fn check_attendee(checks: &mut Checks, representative: &str, phone: &str, requests: Option<&str>) {
    checks.required_text("representative", representative, 50);
    checks.text("requests", requests, 500);
    if !(phone.len() == 11 && phone.starts_with("010") && phone.bytes().all(|b| b.is_ascii_digit())) {
        checks.fail("phoneNumber must match /^010\\d{8}$/");
    }
}

/// Room for `n` more seats of a unit that still exists: below the capacity read (unchanged
/// since), or no capacity at all.
pub(crate) fn seat_room(max: Option<i64>, n: i64) -> Cond {
    match max {
        Some(max) => Cond::And(vec![
            Cond::Exists,
            Cond::Eq("maxCapacity".into(), max.into()),
            Cond::Le("numberOfParticipants".into(), (max - n).into()),
        ]),
        None => Cond::Or(vec![
            Cond::AttrNotExists("maxCapacity".into()),
            Cond::Eq("maxCapacity".into(), Value::Null),
        ]),
    }
}

/// The writes that spend one coupon: a use of the coupon within its bound, the holding marked
/// used, and a check that the coupon still applies to the class. Three operations.
fn spend_ops(spend: &Spend, user_id: i64, lecture_id: i64, now: &str) -> Vec<TxOp> {
    let c = &spend.coupon;
    let mut update = Update::new().add("usageCount", 1).set("updatedAt", now);
    let mut conds = vec![
        live(),
        Cond::Eq("isDisabled".into(), false.into()),
        Cond::Eq("isStackable".into(), spend.stackable.into()),
        Cond::Gt("endAt".into(), now.into()),
    ];
    if c.uses_left.is_some() {
        update = update.add("usesLeft", -1);
        conds.push(Cond::Ge("usesLeft".into(), 1.into()));
    } else {
        conds.push(Cond::AttrNotExists("usesLeft".into()));
    }
    vec![
        TxOp::Update { key: keys::coupon(c.id), update, cond: Some(Cond::And(conds)) },
        TxOp::Update {
            key: keys::holding(c.id, user_id),
            update: Update::new().set("isUsed", true).set("updatedAt", now),
            cond: Some(Cond::And(vec![Cond::Exists, Cond::Eq("isUsed".into(), false.into())])),
        },
        TxOp::Check { key: keys::coupon_target(lecture_id, c.id), cond: Cond::Exists },
    ]
}

/// Why a cancelled order transaction was refused, from which write failed.
async fn refusal(
    table: &dyn Table,
    e: &TableError,
    payment_at: usize,
    spends: &[Spend],
    order_id: &str,
    user_id: i64,
) -> Result<ApiError, ApiError> {
    if e.failed_at(0) {
        return Ok(ApiError::bad_request("InactiveLecture", "활성화되지 않은 강의입니다."));
    }
    if e.failed_at(1) {
        return Ok(exceeded());
    }
    for (i, spend) in spends.iter().enumerate() {
        let at = 2 + i * 3;
        if e.failed_at(at) {
            let coupon: Option<CouponRecord> =
                table.get(&keys::coupon(spend.coupon.id)).await?.map(decode).transpose()?;
            return Ok(if coupon.is_some_and(|c| c.is_exhausted()) {
                coupon_limit()
            } else {
                no_coupon(spend.stackable)
            });
        }
        if e.failed_at(at + 1) || e.failed_at(at + 2) {
            return Ok(no_coupon(spend.stackable));
        }
    }
    if e.failed_at(payment_at) {
        let existing: Option<PaymentRecord> =
            table.get(&keys::order(order_id)).await?.map(decode).transpose()?;
        return Ok(if existing.is_some_and(|p| p.user_id == user_id) {
            ApiError::bad_request("PaymentAlreadyExists", "결제정보가 이미 존재합니다.")
        } else {
            ApiError::bad_request("DuplicateOrderId", "주문Id가 중복되었습니다.")
        });
    }
    Ok(ApiError::internal(format!("an order transaction failed: {e}")))
}
