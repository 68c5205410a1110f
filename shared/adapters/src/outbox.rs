//! The local stack's SMS: kept in memory, never sent.

use std::sync::Mutex;

use async_trait::async_trait;
use serde::Serialize;

use crate::sms::{Sms, SmsError, e164};

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
