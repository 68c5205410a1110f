//! The Sms port: SNS Publish to a phone number in AWS, an outbox the local stack lists.

use std::sync::Mutex;

use async_trait::async_trait;
use aws_sdk_sns::types::MessageAttributeValue;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
#[error("sending the SMS failed: {0}")]
pub struct SmsError(pub String);

#[async_trait]
pub trait Sms: Send + Sync {
    /// Sends `text` to a Korean mobile number (`010…`).
    async fn send(&self, phone_number: &str, text: &str) -> Result<(), SmsError>;
}

/// `01012345678` → `+821012345678`.
pub fn e164(phone_number: &str) -> String {
    format!("+82{}", phone_number.strip_prefix('0').unwrap_or(phone_number))
}

pub struct SnsSms {
    client: aws_sdk_sns::Client,
}

impl SnsSms {
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        SnsSms { client }
    }
}

#[async_trait]
impl Sms for SnsSms {
    async fn send(&self, phone_number: &str, text: &str) -> Result<(), SmsError> {
        let transactional = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .map_err(|e| SmsError(e.to_string()))?;
        self.client
            .publish()
            .phone_number(e164(phone_number))
            .message(text)
            .message_attributes("AWS.SNS.SMS.SMSType", transactional)
            .send()
            .await
            .map_err(|e| SmsError(aws_sdk_sns::error::DisplayErrorContext(e).to_string()))?;
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SentSms {
    pub phone_number: String,
    pub text: String,
    pub sent_at: String,
}

/// Messages kept in memory, newest last, for the local stack's `GET /_local/sms-messages`.
#[derive(Default)]
pub struct Outbox {
    sent: Mutex<Vec<SentSms>>,
}

impl Outbox {
    pub fn messages(&self) -> Vec<SentSms> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[async_trait]
impl Sms for Outbox {
    async fn send(&self, phone_number: &str, text: &str) -> Result<(), SmsError> {
        let sent = SentSms {
            phone_number: e164(phone_number),
            text: text.to_string(),
            sent_at: crate::iso8601(time::OffsetDateTime::now_utc()),
        };
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).push(sent);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_numbers_become_e164() {
        assert_eq!(e164("01012345678"), "+821012345678");
    }
}
