use connection_adapters::Sms;
use connection_adapters::sns::SnsSms;
use serde_json::Value;

/// The ministack endpoint; a test that needs it fails without it.
pub fn ministack() -> String {
    connection_tests::emulator("CONNECTION_TEST_MINISTACK")
}

#[tokio::test]
#[ignore = "needs SNS (ministack): run by bash tests/run.sh"]
async fn an_sms_is_published_to_the_e164_number_as_transactional() {
    let endpoint = ministack();
    let config = connection_tests::emulator_config(&endpoint).await;
    let sms = SnsSms::new(aws_sdk_sns::Client::new(&config));
    let text = format!("[connection] 인증번호는 [{:06}] 입니다.", std::process::id() % 1_000_000);
    sms.send("01098765432", &text).await.expect("published");
    let url = format!("{endpoint}/_ministack/sns/sms-messages?phoneNumber=%2B821098765432");
    let body: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let messages = body["sms_messages"]["+821098765432"].as_array().cloned().unwrap_or_default();
    let sent = messages.iter().find(|m| m["Message"] == text.as_str()).unwrap_or_else(|| panic!("{body}"));
    assert_eq!(sent["MessageAttributes"]["AWS.SNS.SMS.SMSType"]["StringValue"], "Transactional", "{sent}");
}
