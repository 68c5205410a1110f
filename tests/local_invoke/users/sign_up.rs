use connection_adapters::Clock;
use connection_table::{Key, Table};
use connection_tests::Harness;
use serde_json::json;

use super::{member, sign_up_body, sign_up_event};

#[tokio::test]
async fn a_new_member_signs_up_with_the_fixture_event() {
    let h = Harness::new().await;
    h.grant_sign_up("kim@kakao.com", "KAKAO").await;
    let r = h.invoke(connection_tests::Event::from_fixture("post-users.json")).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["statusCode"], 201);
    let user = &r.data()["createUser"];
    assert_eq!(user["id"], 1);
    assert_eq!(user["nickname"], "dancer");
    assert_eq!(user["name"], "김댄서");
    assert_eq!(user["isProfileOpen"], false);
    assert_eq!(user["phoneNumber"], "01012345678");
    assert_eq!(user["createdAt"], connection_adapters::iso8601(h.clock.now()));
    assert_eq!(user["deletedAt"], json!(null));
    assert_eq!(user["uuid"].as_str().unwrap().len(), 36);
    let auth = &r.data()["createAuth"];
    assert_eq!(auth["userId"], 1);
    assert_eq!(auth["email"], "kim@kakao.com");
    assert_eq!(auth["signUpTypeId"], 1);
}

#[tokio::test]
async fn sign_up_takes_two_round_trips_and_records_the_accepted_consents() {
    let h = Harness::new().await;
    h.grant_sign_up("member1@kakao.com", "KAKAO").await;
    let r = h.invoke(sign_up_event(&sign_up_body(1))).await;
    assert_eq!(r.status, 201);
    assert_eq!(h.round_trips(), 2, "id allocation + one transaction");
    let table = h.table.as_ref();
    for (consent, accepted) in [(1, true), (2, true), (3, false), (4, false), (5, true)] {
        let key = Key::new("USER#1", format!("CONSENT#{consent:06}"));
        assert_eq!(table.get(&key).await.unwrap().is_some(), accepted, "consent {consent}");
    }
}

#[tokio::test]
async fn ids_are_allocated_in_order() {
    let h = Harness::new().await;
    assert_eq!(member(&h, 1).await.0, 1);
    assert_eq!(member(&h, 2).await.0, 2);
}

async fn refused(h: &Harness, body: serde_json::Value) -> connection_tests::Reply {
    let r = h.invoke(sign_up_event(&body)).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(r.body["message"].is_array(), "the sign-up page reads message[0]: {:?}", r.body);
    r
}

#[tokio::test]
async fn a_taken_email_nickname_phone_or_social_email_is_refused_with_its_message() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let cases = [
        ("email", json!("MEMBER1@example.com"), "사용 중인 이메일입니다.", "DuplicateEmail"),
        ("nickname", json!("dancer1"), "사용 중인 닉네임입니다.", "DuplicateNickname"),
        ("phoneNumber", json!("01000000001"), "사용 중인 번호입니다.", "DuplicatePhoneNumber"),
        ("authEmail", json!("member1@kakao.com"), "이미 가입된 이메일입니다.", "AlreadyRegisteredEmail"),
    ];
    for (field, value, message, code) in cases {
        let mut body = sign_up_body(2);
        body[field] = value;
        let r = refused(&h, body).await;
        assert_eq!(r.body["message"][0], message, "{field}");
        assert_eq!(r.code(), code);
    }
    // Nothing of the refused sign-ups was kept: member 2 can still sign up.
    assert_eq!(member(&h, 2).await.0, 6, "ids of refused sign-ups are not reused");
}

#[tokio::test]
async fn sign_up_needs_a_sign_in_with_that_social_email_and_provider() {
    let h = Harness::new().await;
    let r = refused(&h, sign_up_body(1)).await;
    assert_eq!(r.code(), "SignUpNotAllowed");
    h.grant_sign_up("member1@kakao.com", "NAVER").await;
    assert_eq!(refused(&h, sign_up_body(1)).await.code(), "SignUpNotAllowed", "granted for another provider");
    h.grant_sign_up("member1@kakao.com", "KAKAO").await;
    assert_eq!(h.invoke(sign_up_event(&sign_up_body(1))).await.status, 201);
    // The grant is used up: the same social e-mail cannot sign up twice, even with new details.
    let mut again = sign_up_body(2);
    again["authEmail"] = json!("member1@kakao.com");
    assert_eq!(refused(&h, again).await.code(), "AlreadyRegisteredEmail");
}

#[tokio::test]
async fn conflicts_are_reported_in_the_order_email_nickname_phone() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let mut body = sign_up_body(1);
    body["authEmail"] = json!("other@kakao.com");
    let r = refused(&h, body).await;
    assert_eq!(r.body["message"][0], "사용 중인 이메일입니다.");
}

#[tokio::test]
async fn invalid_fields_are_listed() {
    let h = Harness::new().await;
    let cases = [
        ("email", json!("not-an-email"), "잘못된 이메일 형식입니다."),
        ("phoneNumber", json!("010-1234-5678"), "유효하지 않은 전화번호 형식입니다."),
        ("provider", json!("FACEBOOK"), "잘못된 SignUpType 입니다."),
        ("authEmail", json!("nope"), "authEmail: 잘못된 이메일 형식입니다."),
        ("name", json!(""), "name should not be empty"),
        ("name", json!("열한글자가넘는아주긴이름"), "name must be shorter than or equal to 10 characters"),
        ("nickname", json!(42), "nickname must be a string"),
        ("isProfileOpen", json!("yes"), "isProfileOpen must be a boolean value"),
    ];
    for (field, value, message) in cases {
        let mut body = sign_up_body(1);
        body[field] = value;
        let r = refused(&h, body).await;
        assert_eq!(r.body["message"][0], message, "{field}");
        assert_eq!(r.code(), "Bad Request");
    }
}

#[tokio::test]
async fn missing_and_unknown_fields_are_refused() {
    let h = Harness::new().await;
    let mut body = sign_up_body(1);
    body.as_object_mut().unwrap().remove("nickname");
    assert_eq!(refused(&h, body).await.body["message"][0], "nickname should not be empty");

    let mut body = sign_up_body(1);
    body["role"] = json!("admin");
    assert_eq!(refused(&h, body).await.body["message"][0], "property role should not exist");

    let mut body = sign_up_body(1);
    body["registerConsents"]["marketing"].as_object_mut().unwrap().remove("marketingEmail");
    assert_eq!(
        refused(&h, body).await.body["message"][0],
        "registerConsents.marketing.marketingEmail should not be empty"
    );
}

#[tokio::test]
async fn required_consents_must_be_accepted() {
    let h = Harness::new().await;
    let mut body = sign_up_body(1);
    body["registerConsents"]["termsOfService"] = json!(false);
    assert_eq!(refused(&h, body).await.body["message"][0], "필수 약관에 동의해야 합니다.");
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_a_400() {
    let h = Harness::new().await;
    for text in ["not json", "[1,2]", "\"text\""] {
        let r = h.invoke(sign_up_event(&sign_up_body(1)).raw_body(text)).await;
        assert_eq!(r.status, 400, "{text}");
        assert!(r.body["message"].is_array());
    }
}

#[tokio::test]
async fn sign_up_is_open_to_guests_and_signed_in_callers_alike() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    h.grant_sign_up("member2@kakao.com", "KAKAO").await;
    let r = h.invoke(sign_up_event(&sign_up_body(2)).bearer(&token)).await;
    assert_eq!(r.status, 201);
}
