//! Orders and what they book (domain.md §9): one item per order, keyed by the order id the
//! browser generates (so the key itself makes it unique), holding the payment, its reservation
//! and the coupons it spent; and a learner row per (lecturer, learner).

use connection_table::{Cond, Item, Key, TableError, TxOp, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{encode, keys};

/// Payment statuses (the `PaymentStatus` lookup names).
pub const READY: &str = "READY";
pub const WAITING_FOR_DEPOSIT: &str = "WAITING_FOR_DEPOSIT";
pub const DONE: &str = "DONE";
pub const CANCELED: &str = "CANCELED";
pub const EXPIRED: &str = "EXPIRED";

/// The method of a booking paid with a pass.
pub const PASS_METHOD: &str = "패스권";

/// The `rank` partition of orders not yet confirmed, by creation (epoch seconds): the expiry
/// job reads the oldest first. An order leaves it when it is confirmed or released.
pub const PENDING_ORDERS: &str = "PENDING_ORDERS";

/// The bookable unit an order holds seats of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Unit {
    /// A one-day session, keyed in its lecture by its start.
    Schedule { id: i64, start_date_time: String, end_date_time: String },
    /// A regular cohort, with its pattern and sessions as they were when booked.
    Cohort { id: i64, day: Vec<String>, date_time: String, sessions: Vec<crate::lecture::Session> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    pub id: i64,
    pub lecture_id: i64,
    pub lecture_title: String,
    pub unit: Unit,
    pub participants: i64,
    pub representative: String,
    pub phone_number: String,
    pub requests: Option<String>,
    /// True once the payment is done.
    pub is_enabled: bool,
}

/// The uses of a pass copy a booking spent (`PaymentPassUsage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassUsage {
    pub user_pass_id: i64,
    pub lecture_pass_id: i64,
    pub lecture_pass_title: String,
    pub used_count: i64,
}

/// One coupon as an order spent it (a snapshot: later edits of the coupon do not change it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpentCoupon {
    pub id: i64,
    pub title: String,
    pub percentage: Option<i64>,
    pub discount_price: Option<i64>,
    pub max_discount_price: Option<i64>,
    /// The coupon had a use limit: releasing it gives a use back.
    pub limited: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardInfo {
    pub issuer_code: String,
    pub acquirer_code: Option<String>,
    pub number: String,
    pub installment_plan_months: i64,
    pub approve_no: String,
    pub card_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualAccountInfo {
    pub account_number: String,
    pub bank_code: String,
    pub customer_name: String,
    pub due_date: String,
    pub expired: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentRecord {
    pub id: i64,
    pub order_id: String,
    pub order_name: String,
    pub user_id: i64,
    pub lecturer_id: i64,
    /// `클래스` or `패스권`.
    pub product: String,
    pub status: String,
    /// `카드`, `가상계좌`, … once confirmed.
    pub method: Option<String>,
    pub original_price: i64,
    pub final_price: i64,
    pub refundable_date: String,
    pub payment_key: Option<String>,
    /// When the gateway approved it (a refund's grace window starts here).
    pub approved_at: Option<String>,
    /// A virtual account's deposit secret, checked by the deposit callback.
    pub secret: Option<String>,
    pub card: Option<CardInfo>,
    pub virtual_account: Option<VirtualAccountInfo>,
    pub coupon: Option<SpentCoupon>,
    pub stackable_coupon: Option<SpentCoupon>,
    pub reservation: Option<Reservation>,
    /// A pass purchase: the pass and the purchased copy (its id is the payment's).
    pub pass_id: Option<i64>,
    /// A class booked with a pass: which copy and how many of its uses.
    pub pass_usage: Option<PassUsage>,
    pub created_at: String,
    pub updated_at: String,
}

impl PaymentRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::order(&self.order_id), "Payment", self)?;
        item.insert("gsi1pk".into(), keys::user_payments(self.user_id).into());
        item.insert("gsi1sk".into(), keys::id_sort(self.id).into());
        item.insert("gsi2pk".into(), keys::lecturer_payments(self.lecturer_id).into());
        item.insert("gsi2sk".into(), keys::id_sort(self.id).into());
        if self.status == READY {
            let created = connection_domain::schedule::parse_instant(&self.created_at)
                .ok_or_else(|| TableError::Invalid("an order without its creation time".into()))?;
            item.insert("rankpk".into(), PENDING_ORDERS.into());
            item.insert("ranksk".into(), created.unix_timestamp().into());
        }
        Ok(item)
    }

    /// Coupons the order spent, in slot order.
    pub fn coupons(&self) -> impl Iterator<Item = &SpentCoupon> {
        self.coupon.iter().chain(self.stackable_coupon.iter())
    }
}

impl Reservation {
    /// The session or cohort item holding the booking's seats.
    pub fn unit_key(&self) -> Key {
        match &self.unit {
            Unit::Schedule { start_date_time, .. } => keys::schedule(self.lecture_id, start_date_time),
            Unit::Cohort { id, .. } => keys::cohort(self.lecture_id, *id),
        }
    }

    /// The booking's seats given back.
    pub fn seats_back(&self) -> TxOp {
        TxOp::Update {
            key: self.unit_key(),
            update: Update::new().add("numberOfParticipants", -self.participants),
            cond: Some(Cond::Ge("numberOfParticipants".into(), self.participants.into())),
        }
    }
}

/// The learner row of (lecturer, learner) with one more booking (created by the first).
pub fn enroll(lecturer_id: i64, user_id: i64) -> TxOp {
    let update = Update::new()
        .add("enrollmentCount", 1)
        .set("entity", "LecturerLearner")
        .set("userId", user_id)
        .set("lecturerId", lecturer_id);
    TxOp::Update { key: keys::learner(lecturer_id, user_id), update, cond: None }
}

/// The learner row with one booking less.
pub fn unenroll(lecturer_id: i64, user_id: i64) -> TxOp {
    TxOp::Update {
        key: keys::learner(lecturer_id, user_id),
        update: Update::new().add("enrollmentCount", -1),
        cond: Some(Cond::Ge("enrollmentCount".into(), 1.into())),
    }
}

/// `delta` paid bookings more on a lecture or lecturer: its count and its popularity.
pub fn booking_count(delta: i64) -> Update {
    Update::new()
        .add("bookingCount", delta)
        .add("ranksk", delta * connection_domain::catalog::BOOKING_POPULARITY)
}

/// The writes that end a pending order with `status`: only if it is still as read, the seats,
/// coupon uses, holdings and the learner's enrollment go back, and it leaves the pending
/// orders. The status condition makes a release happen once, whoever else tries.
pub fn release_ops(payment: &PaymentRecord, status: &str, now: &str) -> Vec<TxOp> {
    let mut reservation = payment.reservation.clone();
    if let Some(r) = reservation.as_mut() {
        r.is_enabled = false;
    }
    let mut ops = vec![TxOp::Update {
        key: keys::order(&payment.order_id),
        update: Update::new()
            .set("status", status)
            .set("updatedAt", now)
            .set("reservation", json!(reservation))
            .remove("rankpk")
            .remove("ranksk"),
        cond: Some(Cond::Eq("status".into(), payment.status.clone().into())),
    }];
    if let Some(r) = &payment.reservation {
        ops.push(r.seats_back());
        ops.push(unenroll(payment.lecturer_id, payment.user_id));
    }
    if let Some(pass_id) = payment.pass_id {
        // The copy was never paid for: it and the guard against a second purchase go.
        ops.push(TxOp::Delete {
            key: keys::user_pass(payment.user_id, payment.id),
            cond: Some(Cond::Or(vec![Cond::NotExists, Cond::Eq("isEnabled".into(), false.into())])),
        });
        ops.push(TxOp::Delete { key: keys::pass_guard(payment.user_id, pass_id), cond: None });
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
