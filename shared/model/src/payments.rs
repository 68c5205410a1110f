//! Orders and what they book (domain.md §9): one item per order, keyed by the order id the
//! browser generates (so the key itself makes it unique), holding the payment, its reservation
//! and the coupons it spent; and a learner row per (lecturer, learner).

use connection_table::{Item, TableError};
use serde::{Deserialize, Serialize};

use crate::{encode, keys};

/// Payment statuses (the `PaymentStatus` lookup names).
pub const READY: &str = "READY";
pub const WAITING_FOR_DEPOSIT: &str = "WAITING_FOR_DEPOSIT";
pub const DONE: &str = "DONE";
pub const CANCELED: &str = "CANCELED";

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
        Ok(item)
    }

    /// Coupons the order spent, in slot order.
    pub fn coupons(&self) -> impl Iterator<Item = &SpentCoupon> {
        self.coupon.iter().chain(self.stackable_coupon.iter())
    }
}
