//! `GET /payments/{orderId}`: the result page of my order (client.md §4 M3).

use axum::extract::State;
use connection_http::extract::PathText;
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecture::Session;
use connection_model::payments::{CardInfo, PaymentRecord, SpentCoupon, Unit, VirtualAccountInfo};
use serde::Serialize;
use utoipa::ToSchema;

use crate::PaymentsState;
use crate::cancel::own_order;

#[derive(Serialize, ToSchema)]
pub struct Name {
    name: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    id: i64,
    lecture_id: i64,
    start_date_time: String,
    end_date_time: String,
    /// The seats this order booked.
    number_of_participants: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CohortSession {
    id: i64,
    day: u8,
    start_date_time: String,
    end_date_time: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CohortView {
    id: i64,
    day: Vec<String>,
    date_time: String,
    /// The seats this order booked.
    number_of_participants: i64,
    regular_lecture_schedule: Vec<CohortSession>,
}

#[derive(Serialize, ToSchema)]
pub struct LectureTitle {
    id: i64,
    title: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservationView {
    id: i64,
    representative: String,
    phone_number: String,
    participants: i64,
    requests: Option<String>,
    is_enabled: bool,
    lecture_schedule: Option<SessionView>,
    regular_lecture_status: Option<CohortView>,
    lecture: LectureTitle,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CouponUsage {
    coupon_id: Option<i64>,
    coupon_title: Option<String>,
    coupon_percentage: Option<i64>,
    coupon_discount_price: Option<i64>,
    coupon_max_discount_price: Option<i64>,
    stackable_coupon_id: Option<i64>,
    stackable_coupon_title: Option<String>,
    stackable_coupon_percentage: Option<i64>,
    stackable_coupon_discount_price: Option<i64>,
    stackable_coupon_max_discount_price: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    issuer_code: String,
    acquirer_code: Option<String>,
    number: String,
    installment_plan_months: i64,
    approve_no: String,
    card_type: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    account_number: String,
    bank_code: String,
    customer_name: String,
    due_date: String,
    expired: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResult {
    id: i64,
    order_id: String,
    order_name: String,
    original_price: i64,
    final_price: i64,
    refundable_date: String,
    created_at: String,
    updated_at: String,
    payment_product_type: Name,
    payment_status: Name,
    payment_method: Option<Name>,
    reservation: Option<ReservationView>,
    card_payment_info: Option<CardView>,
    virtual_account_payment_info: Option<AccountView>,
    payment_coupon_usage: Option<CouponUsage>,
    /// A booking paid with a pass: how many uses of which pass.
    payment_pass_usage: Option<PassUsageView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PassUsageView {
    used_count: i64,
    lecture_pass: LectureTitle,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultData {
    payment_result: PaymentResult,
}

fn session(s: &Session) -> CohortSession {
    CohortSession {
        id: s.id,
        day: s.day,
        start_date_time: s.start_date_time.clone(),
        end_date_time: s.end_date_time.clone(),
    }
}

fn card(c: &CardInfo) -> CardView {
    CardView {
        issuer_code: c.issuer_code.clone(),
        acquirer_code: c.acquirer_code.clone(),
        number: c.number.clone(),
        installment_plan_months: c.installment_plan_months,
        approve_no: c.approve_no.clone(),
        card_type: c.card_type.clone(),
    }
}

pub(crate) fn account(v: &VirtualAccountInfo) -> AccountView {
    AccountView {
        account_number: v.account_number.clone(),
        bank_code: v.bank_code.clone(),
        customer_name: v.customer_name.clone(),
        due_date: v.due_date.clone(),
        expired: v.expired,
    }
}

fn usage(p: &PaymentRecord) -> Option<CouponUsage> {
    if p.coupon.is_none() && p.stackable_coupon.is_none() {
        return None;
    }
    let field = |c: &Option<SpentCoupon>| c.clone();
    let (regular, stackable) = (field(&p.coupon), field(&p.stackable_coupon));
    Some(CouponUsage {
        coupon_id: regular.as_ref().map(|c| c.id),
        coupon_title: regular.as_ref().map(|c| c.title.clone()),
        coupon_percentage: regular.as_ref().and_then(|c| c.percentage),
        coupon_discount_price: regular.as_ref().and_then(|c| c.discount_price),
        coupon_max_discount_price: regular.as_ref().and_then(|c| c.max_discount_price),
        stackable_coupon_id: stackable.as_ref().map(|c| c.id),
        stackable_coupon_title: stackable.as_ref().map(|c| c.title.clone()),
        stackable_coupon_percentage: stackable.as_ref().and_then(|c| c.percentage),
        stackable_coupon_discount_price: stackable.as_ref().and_then(|c| c.discount_price),
        stackable_coupon_max_discount_price: stackable.as_ref().and_then(|c| c.max_discount_price),
    })
}

impl From<&PaymentRecord> for PaymentResult {
    fn from(p: &PaymentRecord) -> Self {
        let reservation = p.reservation.as_ref().map(|r| {
            let (lecture_schedule, regular_lecture_status) = match &r.unit {
                Unit::Schedule { id, start_date_time, end_date_time } => (
                    Some(SessionView {
                        id: *id,
                        lecture_id: r.lecture_id,
                        start_date_time: start_date_time.clone(),
                        end_date_time: end_date_time.clone(),
                        number_of_participants: r.participants,
                    }),
                    None,
                ),
                Unit::Cohort { id, day, date_time, sessions } => (
                    None,
                    Some(CohortView {
                        id: *id,
                        day: day.clone(),
                        date_time: date_time.clone(),
                        number_of_participants: r.participants,
                        regular_lecture_schedule: sessions.iter().map(session).collect(),
                    }),
                ),
            };
            ReservationView {
                id: r.id,
                representative: r.representative.clone(),
                phone_number: r.phone_number.clone(),
                participants: r.participants,
                requests: r.requests.clone(),
                is_enabled: r.is_enabled,
                lecture_schedule,
                regular_lecture_status,
                lecture: LectureTitle { id: r.lecture_id, title: r.lecture_title.clone() },
            }
        });
        PaymentResult {
            id: p.id,
            order_id: p.order_id.clone(),
            order_name: p.order_name.clone(),
            original_price: p.original_price,
            final_price: p.final_price,
            refundable_date: p.refundable_date.clone(),
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
            payment_product_type: Name { name: p.product.clone() },
            payment_status: Name { name: p.status.clone() },
            payment_method: p.method.clone().map(|name| Name { name }),
            reservation,
            card_payment_info: p.card.as_ref().map(card),
            virtual_account_payment_info: p.virtual_account.as_ref().map(account),
            payment_coupon_usage: usage(p),
            payment_pass_usage: p.pass_usage.as_ref().map(|u| PassUsageView {
                used_count: u.used_count,
                lecture_pass: LectureTitle { id: u.lecture_pass_id, title: u.lecture_pass_title.clone() },
            }),
        }
    }
}

/// My order and what it booked.
#[utoipa::path(get, path = "/payments/{orderId}", tag = "payments", security(("bearer" = [])),
    params(("orderId" = String, Path, description = "The order")),
    responses((status = 200, description = "The order", body = Envelope<ResultData>), (status = "default", description = "The error envelope: 401 refused, 404 not my order (PaymentInfoNotFound)", body = ErrorBody)))]
pub async fn payment_result(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    PathText(order_id): PathText,
) -> Result<Data<ResultData>, ApiError> {
    let payment = own_order(state.core.table.as_ref(), user.id, &order_id).await?;
    Ok(Data(ResultData { payment_result: (&payment).into() }))
}
