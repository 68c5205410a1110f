//! SMS through SNS Publish.

use async_trait::async_trait;
use aws_sdk_sns::types::MessageAttributeValue;

use crate::sms::{Sms, SmsError, e164};

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
