use connection_http::jwt::Role;
use connection_table::Table;
use connection_tests::{Event, Harness, Reply};
use serde_json::json;

use super::{make_lecturer, signed_in};

const PHONE: &str = "01012345678";

fn send(token: &str) -> Event {
    Event::new("POST", &format!("/auth/sms?userPhoneNumber={PHONE}"), "/auth/sms").bearer(token)
}

fn check(token: &str, code: &str) -> Event {
    Event::new("GET", &format!("/auth/sms?userPhoneNumber={PHONE}&verificationCode={code}"), "/auth/sms")
        .bearer(token)
}

async fn member_token(h: &Harness) -> String {
    signed_in(h, 1).await.data()["userAccessToken"].as_str().unwrap().to_string()
}

/// The code in the newest SMS of the outbox.
fn last_code(h: &Harness) -> String {
    let sent = h.sms.outbox.messages();
    let text = &sent.last().expect("an SMS was sent").text;
    text.split('[').nth(2).and_then(|s| s.split(']').next()).expect("a code in brackets").to_string()
}

fn wrong(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

fn is(r: &Reply, status: u16, code: &str) -> bool {
    r.status == status && r.code() == code
}

#[tokio::test]
async fn a_code_is_sent_checked_once_and_the_success_is_kept() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    let r = h.invoke(send(&token)).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (201, json!({"statusCode": 201, "data": {"message": "인증번호가 발송 되었습니다."}}))
    );
    let sent = h.sms.outbox.messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].phone_number, "+821012345678");
    let code = last_code(&h);
    assert_eq!(code.len(), 6);
    let ok = h.invoke(check(&token, &code)).await;
    assert_eq!(ok.body, json!({"statusCode": 200, "data": {"message": "전화번호 인증에 성공하였습니다."}}));
    let proof = h.table.get(&connection_model::keys::phone_verified(1, PHONE)).await.unwrap();
    assert!(proof.is_some(), "POST /lecturers can require it");
    assert!(is(&h.invoke(check(&token, &code)).await, 401, "SmsCodeExpired"), "a code works once");
}

#[tokio::test]
async fn five_wrong_guesses_kill_the_code() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    h.invoke(send(&token)).await;
    let code = last_code(&h);
    for _ in 0..5 {
        let r = h.invoke(check(&token, &wrong(&code))).await;
        assert!(is(&r, 401, "SmsCodeMismatch"), "{:?}", r.body);
        assert_eq!(r.body["message"], "인증번호가 일치하지 않습니다.");
    }
    assert!(is(&h.invoke(check(&token, &code)).await, 401, "SmsCodeExpired"));
}

#[tokio::test]
async fn a_code_expires_after_three_minutes() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    h.invoke(send(&token)).await;
    let code = last_code(&h);
    h.clock.advance(time::Duration::seconds(181));
    let r = h.invoke(check(&token, &code)).await;
    assert!(is(&r, 401, "SmsCodeExpired"));
    assert_eq!(r.body["message"], "유효시간이 만료되었습니다.");
}

#[tokio::test]
async fn a_new_code_replaces_the_previous_one() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    h.invoke(send(&token)).await;
    let first = last_code(&h);
    h.invoke(send(&token)).await;
    let second = last_code(&h);
    if first != second {
        assert!(is(&h.invoke(check(&token, &first)).await, 401, "SmsCodeMismatch"));
    }
    assert_eq!(h.invoke(check(&token, &second)).await.status, 200);
}

#[tokio::test]
async fn the_daily_limit_resets_at_midnight_in_seoul() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    for _ in 0..5 {
        assert_eq!(h.invoke(send(&token)).await.status, 201);
    }
    let r = h.invoke(send(&token)).await;
    assert!(is(&r, 400, "SmsDailyLimitExceeded"));
    assert_eq!(r.body["message"], "일일 인증 횟수를 초과했습니다.");
    h.clock.advance(time::Duration::days(1));
    assert_eq!(h.invoke(send(&token)).await.status, 201);
}

#[tokio::test]
async fn a_provider_failure_does_not_use_up_the_quota() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    h.sms.failing.store(true, std::sync::atomic::Ordering::SeqCst);
    for _ in 0..3 {
        assert!(is(&h.invoke(send(&token)).await, 502, "SmsSendFailed"));
    }
    h.sms.failing.store(false, std::sync::atomic::Ordering::SeqCst);
    for _ in 0..5 {
        assert_eq!(h.invoke(send(&token)).await.status, 201);
    }
}

#[tokio::test]
async fn sending_needs_a_member_and_a_valid_number() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    assert!(is(&h.invoke(send("x").without_auth()).await, 401, "NoAuthToken"));
    make_lecturer(&h, 1, 7).await;
    assert!(is(&h.invoke(send(&h.token(Role::Lecturer(7)))).await, 401, "InvalidTokenFormat"));
    let bad = Event::new("POST", "/auth/sms?userPhoneNumber=0212345678", "/auth/sms").bearer(&token);
    let r = h.invoke(bad).await;
    assert_eq!((r.status, r.body["message"][0].clone()), (400, json!("유효하지 않은 전화번호 형식입니다.")));
    let missing = h.invoke(Event::new("POST", "/auth/sms", "/auth/sms").bearer(&token)).await;
    assert_eq!(missing.status, 400);
    assert!(h.sms.outbox.messages().is_empty());
}

#[tokio::test]
async fn checking_validates_its_parameters() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    let r = h.invoke(check(&token, "12ab56")).await;
    assert_eq!((r.status, r.body["message"][0].clone()), (400, json!("유효하지 않은 인증번호 형식입니다.")));
    assert!(is(&h.invoke(check(&token, "123456")).await, 401, "SmsCodeExpired"), "no code was sent");
}

#[tokio::test]
async fn a_code_is_checked_only_by_the_member_who_asked_for_it() {
    let h = Harness::new().await;
    let token = member_token(&h).await;
    h.invoke(send(&token)).await;
    let code = last_code(&h);
    let other = signed_in(&h, 2).await.data()["userAccessToken"].as_str().unwrap().to_string();
    assert!(is(&h.invoke(check(&other, &code)).await, 401, "SmsCodeExpired"), "another member has no code");
    assert!(is(&h.invoke(check(&token, &code).without_auth()).await, 401, "NoAuthToken"));
    make_lecturer(&h, 1, 7).await;
    assert!(is(&h.invoke(check(&h.token(Role::Lecturer(7)), &code)).await, 401, "InvalidTokenFormat"));
    let r = h.invoke(check(&token, &code)).await;
    assert_eq!(r.status, 200, "the asker's code still works: {:?}", r.body);
    assert_eq!(h.round_trips(), 3, "guard, code, consume");
}

#[tokio::test]
async fn one_phone_number_gets_a_few_codes_a_day_whoever_asks() {
    let h = Harness::new().await;
    let mut tokens = Vec::new();
    for n in 1..=6 {
        tokens.push(signed_in(&h, n).await.data()["userAccessToken"].as_str().unwrap().to_string());
    }
    for token in &tokens[..5] {
        assert_eq!(h.invoke(send(token)).await.status, 201);
    }
    let r = h.invoke(send(&tokens[5])).await;
    assert!(is(&r, 400, "SmsDailyLimitExceeded"), "{:?}", r.body);
    assert_eq!(r.body["message"], "이 번호로 보낼 수 있는 일일 인증 횟수를 초과했습니다.");
    assert_eq!(h.sms.outbox.messages().len(), 5);
    let other = Event::new("POST", "/auth/sms?userPhoneNumber=01099998888", "/auth/sms").bearer(&tokens[5]);
    assert_eq!(h.invoke(other).await.status, 201, "the asker's own quota is untouched");
    assert_eq!(h.round_trips(), 3, "guard, both quotas in one transaction, the code");
}
