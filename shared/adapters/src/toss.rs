//! The Toss Payments v1 adapter (notes/providers.md §4): Basic auth with the secret key as the
//! user name, JSON bodies, an `Idempotency-Key` on confirm and cancel, and Toss's error body
//! `{code, message}` mapped to [`PspError::Refused`].

use std::sync::OnceLock;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use crate::payments::{CancelRequest, PaymentGateway, PspError, PspPayment};

/// Where Toss serves its payments API.
pub const TOSS_PAYMENTS_URL: &str = "https://api.tosspayments.com/v1/payments";

pub struct TossPayments {
    base: String,
    secret_key: String,
    timeout: Duration,
    client: OnceLock<Result<reqwest::Client, String>>,
}

#[derive(Deserialize)]
struct TossError {
    code: String,
    message: String,
}

impl TossPayments {
    /// `base` is [`TOSS_PAYMENTS_URL`] in production (a stub's URL in tests).
    pub fn new(base: impl Into<String>, secret_key: impl Into<String>, timeout: Duration) -> Self {
        TossPayments {
            base: base.into().trim_end_matches('/').to_string(),
            secret_key: secret_key.into(),
            timeout,
            client: OnceLock::new(),
        }
    }

    fn client(&self) -> Result<&reqwest::Client, PspError> {
        self.client
            .get_or_init(|| {
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.timeout)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| PspError::Unavailable(e.clone()))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<PspPayment, PspError> {
        let unavailable = |e: reqwest::Error| PspError::Unavailable(e.without_url().to_string());
        // The secret key is the user name; the password is empty (the colon is required).
        let response = request.basic_auth(&self.secret_key, Some("")).send().await.map_err(unavailable)?;
        let status = response.status();
        let body = response.bytes().await.map_err(unavailable)?;
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| PspError::Unavailable(format!("unreadable payment from Toss: {e}")));
        }
        match serde_json::from_slice::<TossError>(&body) {
            Ok(e) => Err(PspError::Refused { status: status.as_u16(), code: e.code, message: e.message }),
            Err(_) => Err(PspError::Unavailable(format!("Toss answered {status} without an error body"))),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }
}

/// A path segment as Toss expects it: keys and order ids hold letters, digits, `-`, `_` and `.`
/// only (and not dots alone, which would climb the path), so anything else is refused before a
/// request is made.
fn segment(value: &str) -> Result<&str, PspError> {
    let fits = !value.is_empty()
        && value.len() <= 200
        && value.bytes().any(|b| b != b'.')
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if fits {
        Ok(value)
    } else {
        Err(PspError::Refused {
            status: 400,
            code: "INVALID_REQUEST".into(),
            message: "잘못된 요청입니다.".into(),
        })
    }
}

#[async_trait]
impl PaymentGateway for TossPayments {
    async fn confirm(
        &self,
        payment_key: &str,
        order_id: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<PspPayment, PspError> {
        let body =
            json!({"paymentKey": segment(payment_key)?, "orderId": segment(order_id)?, "amount": amount});
        let request =
            self.client()?.post(self.url("confirm")).header("Idempotency-Key", idempotency_key).json(&body);
        self.send(request).await
    }

    async fn cancel(
        &self,
        payment_key: &str,
        request: &CancelRequest,
        idempotency_key: &str,
    ) -> Result<PspPayment, PspError> {
        let url = self.url(&format!("{}/cancel", segment(payment_key)?));
        let request = self.client()?.post(url).header("Idempotency-Key", idempotency_key).json(request);
        self.send(request).await
    }

    async fn payment(&self, payment_key: &str) -> Result<PspPayment, PspError> {
        self.send(self.client()?.get(self.url(segment(payment_key)?))).await
    }

    async fn payment_by_order(&self, order_id: &str) -> Result<PspPayment, PspError> {
        self.send(self.client()?.get(self.url(&format!("orders/{}", segment(order_id)?)))).await
    }
}
