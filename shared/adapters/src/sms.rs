//! The Sms port: SNS Publish to a phone number in AWS, an outbox the local stack lists.

use async_trait::async_trait;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_numbers_become_e164() {
        assert_eq!(e164("01012345678"), "+821012345678");
    }
}
