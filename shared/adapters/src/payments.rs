//! The payment gateway port: confirm, cancel and look up payments at the PSP (Toss Payments v1,
//! notes/providers.md §4). Every money-moving call carries an idempotency key chosen by the
//! caller and kept with the operation, so that a retry after a timeout is the same request.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// A payment's state at the PSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PspStatus {
    Ready,
    InProgress,
    WaitingForDeposit,
    Done,
    Canceled,
    PartialCanceled,
    Aborted,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PspCard {
    pub issuer_code: String,
    #[serde(default)]
    pub acquirer_code: Option<String>,
    pub number: String,
    #[serde(default)]
    pub installment_plan_months: i64,
    pub approve_no: String,
    pub card_type: String,
    #[serde(default)]
    pub owner_type: Option<String>,
    #[serde(default)]
    pub is_interest_free: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PspVirtualAccount {
    pub account_number: String,
    pub bank_code: String,
    pub customer_name: String,
    pub due_date: String,
    #[serde(default)]
    pub expired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PspCancel {
    pub transaction_key: String,
    pub cancel_reason: String,
    pub cancel_amount: i64,
    pub canceled_at: String,
}

/// The fields of Toss's `Payment` object (version 2022-11-16) that we keep. Object-valued
/// fields arrive as `null` when they do not apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PspPayment {
    pub payment_key: String,
    pub order_id: String,
    pub status: PspStatus,
    /// A Korean literal: `카드`, `가상계좌`, `간편결제`, …
    #[serde(default)]
    pub method: Option<String>,
    pub total_amount: i64,
    pub balance_amount: i64,
    #[serde(default)]
    pub approved_at: Option<String>,
    #[serde(default)]
    pub last_transaction_key: Option<String>,
    /// Virtual accounts only: what the deposit callback echoes, to be checked against.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub card: Option<PspCard>,
    #[serde(default)]
    pub virtual_account: Option<PspVirtualAccount>,
    #[serde(default)]
    pub cancels: Option<Vec<PspCancel>>,
}

/// Where a refund of a deposited virtual account goes (`bank` is a bank code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundAccount {
    pub bank: String,
    pub account_number: String,
    pub holder_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRequest {
    pub cancel_reason: String,
    /// Absent: all that is left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_receive_account: Option<RefundAccount>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PspError {
    /// The PSP answered with an error: its HTTP status and Toss's `code` and `message`.
    #[error("payment gateway refused ({status} {code}): {message}")]
    Refused { status: u16, code: String, message: String },
    /// No answer, or one we cannot read: the outcome is unknown, so look the payment up.
    #[error("payment gateway unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// Approves a payment the customer authenticated, for exactly `amount` won.
    async fn confirm(
        &self,
        payment_key: &str,
        order_id: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<PspPayment, PspError>;

    /// Cancels all or part of a payment.
    async fn cancel(
        &self,
        payment_key: &str,
        request: &CancelRequest,
        idempotency_key: &str,
    ) -> Result<PspPayment, PspError>;

    async fn payment(&self, payment_key: &str) -> Result<PspPayment, PspError>;

    async fn payment_by_order(&self, order_id: &str) -> Result<PspPayment, PspError>;
}
