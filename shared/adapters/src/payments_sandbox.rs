//! The local stack's payment gateway: no money moves, but it answers like Toss. A payment key
//! starting `sandbox_va_` confirms as a virtual account waiting for its deposit (with a
//! `secret`), any other `sandbox_` key as an approved card payment, and any other key has no
//! session (404 `NOT_FOUND_PAYMENT_SESSION`), as a stale widget session would. Confirm and
//! cancel replay their first answer for a repeated idempotency key, as Toss does.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use crate::clock::iso8601;
use crate::payments::{
    CancelRequest, PaymentGateway, PspCancel, PspCard, PspError, PspPayment, PspStatus, PspVirtualAccount,
};

/// The longer prefix wins: these keys open a virtual account.
pub const VIRTUAL_ACCOUNT_PREFIX: &str = "sandbox_va_";
pub const CARD_PREFIX: &str = "sandbox_";

#[derive(Default)]
pub struct SandboxPayments {
    payments: Mutex<HashMap<String, PspPayment>>,
    /// First answers by (idempotency key, operation).
    replies: Mutex<HashMap<(String, String), Result<PspPayment, PspError>>>,
}

fn refused(status: u16, code: &str, message: &str) -> PspError {
    PspError::Refused { status, code: code.into(), message: message.into() }
}

fn now() -> String {
    iso8601(time::OffsetDateTime::now_utc())
}

impl SandboxPayments {
    /// The customer deposits into the virtual account of `order_id`: the payment is done.
    /// Answers the account's secret, which the deposit callback carries.
    pub fn deposit(&self, order_id: &str) -> Option<String> {
        let mut payments = self.payments.lock().unwrap_or_else(|e| e.into_inner());
        let payment = payments
            .values_mut()
            .find(|p| p.order_id == order_id && p.status == PspStatus::WaitingForDeposit)?;
        payment.status = PspStatus::Done;
        payment.approved_at = Some(now());
        payment.secret.clone()
    }

    fn remembered<F>(&self, key: &str, operation: String, run: F) -> Result<PspPayment, PspError>
    where
        F: FnOnce(&mut HashMap<String, PspPayment>) -> Result<PspPayment, PspError>,
    {
        let mut replies = self.replies.lock().unwrap_or_else(|e| e.into_inner());
        let slot = (key.to_string(), operation);
        if let Some(reply) = replies.get(&slot) {
            return reply.clone();
        }
        let reply = run(&mut self.payments.lock().unwrap_or_else(|e| e.into_inner()));
        replies.insert(slot, reply.clone());
        reply
    }

    fn find(&self, matches: impl Fn(&PspPayment) -> bool) -> Result<PspPayment, PspError> {
        let payments = self.payments.lock().unwrap_or_else(|e| e.into_inner());
        payments
            .values()
            .find(|p| matches(p))
            .cloned()
            .ok_or_else(|| refused(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 입니다."))
    }
}

fn approved(payment_key: &str, order_id: &str, amount: i64) -> PspPayment {
    let at = now();
    let mut payment = PspPayment {
        payment_key: payment_key.into(),
        order_id: order_id.into(),
        status: PspStatus::Done,
        method: Some("카드".into()),
        total_amount: amount,
        balance_amount: amount,
        approved_at: Some(at),
        last_transaction_key: Some(format!("tx_{payment_key}")),
        secret: None,
        card: Some(PspCard {
            issuer_code: "61".into(),
            acquirer_code: Some("31".into()),
            number: "43301234****123*".into(),
            installment_plan_months: 0,
            approve_no: "00000000".into(),
            card_type: "신용".into(),
            owner_type: Some("개인".into()),
            is_interest_free: false,
        }),
        virtual_account: None,
        cancels: None,
    };
    if payment_key.starts_with(VIRTUAL_ACCOUNT_PREFIX) {
        payment.status = PspStatus::WaitingForDeposit;
        payment.method = Some("가상계좌".into());
        payment.approved_at = None;
        payment.card = None;
        payment.secret = Some(format!("ps_{payment_key}"));
        payment.virtual_account = Some(PspVirtualAccount {
            account_number: "X6516417041010".into(),
            bank_code: "20".into(),
            customer_name: "샌드박스".into(),
            due_date: iso8601(time::OffsetDateTime::now_utc() + time::Duration::days(7)),
            expired: false,
        });
    }
    payment
}

#[async_trait]
impl PaymentGateway for SandboxPayments {
    async fn confirm(
        &self,
        payment_key: &str,
        order_id: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<PspPayment, PspError> {
        self.remembered(idempotency_key, format!("confirm {payment_key}"), |payments| {
            if !payment_key.starts_with(CARD_PREFIX) {
                return Err(refused(
                    404,
                    "NOT_FOUND_PAYMENT_SESSION",
                    "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.",
                ));
            }
            if amount <= 0 {
                return Err(refused(400, "INVALID_REQUEST", "잘못된 요청입니다."));
            }
            if payments.contains_key(payment_key) || payments.values().any(|p| p.order_id == order_id) {
                return Err(refused(400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다."));
            }
            let payment = approved(payment_key, order_id, amount);
            payments.insert(payment_key.into(), payment.clone());
            Ok(payment)
        })
    }

    async fn cancel(
        &self,
        payment_key: &str,
        request: &CancelRequest,
        idempotency_key: &str,
    ) -> Result<PspPayment, PspError> {
        self.remembered(idempotency_key, format!("cancel {payment_key}"), |payments| {
            let Some(payment) = payments.get_mut(payment_key) else {
                return Err(refused(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 입니다."));
            };
            if payment.status == PspStatus::Canceled {
                return Err(refused(400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다."));
            }
            let amount = request.cancel_amount.unwrap_or(payment.balance_amount);
            if amount <= 0 || amount > payment.balance_amount {
                return Err(refused(403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다."));
            }
            payment.balance_amount -= amount;
            payment.status =
                if payment.balance_amount == 0 { PspStatus::Canceled } else { PspStatus::PartialCanceled };
            let cancels = payment.cancels.get_or_insert_with(Vec::new);
            let transaction_key = format!("cancel_{}_{}", payment_key, cancels.len() + 1);
            cancels.push(PspCancel {
                transaction_key: transaction_key.clone(),
                cancel_reason: request.cancel_reason.clone(),
                cancel_amount: amount,
                canceled_at: now(),
            });
            payment.last_transaction_key = Some(transaction_key);
            Ok(payment.clone())
        })
    }

    async fn payment(&self, payment_key: &str) -> Result<PspPayment, PspError> {
        self.find(|p| p.payment_key == payment_key)
    }

    async fn payment_by_order(&self, order_id: &str) -> Result<PspPayment, PspError> {
        self.find(|p| p.order_id == order_id)
    }
}
