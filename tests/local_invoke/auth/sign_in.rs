use connection_tests::Harness;
use serde_json::json;

use super::{sign_in, signed_in};
use crate::users::{my_page, sign_up_body, sign_up_event};

#[tokio::test]
async fn a_new_email_gets_200_with_status_201_and_may_then_sign_up() {
    let h = Harness::new().await;
    let r = h.invoke(sign_in("KAKAO", "sandbox:member1@kakao.com")).await;
    assert_eq!(r.status, 200, "the web proxy needs HTTP 200");
    assert_eq!(
        r.body,
        json!({"statusCode": 201, "data": {"authEmail": "member1@kakao.com", "signUpType": "KAKAO"}})
    );
    assert!(r.cookies.is_empty());
    assert_eq!(h.invoke(sign_up_event(&sign_up_body(1))).await.status, 201);
}

#[tokio::test]
async fn a_member_gets_tokens_and_a_hardened_refresh_cookie() {
    let h = Harness::new().await;
    let r = signed_in(&h, 1).await;
    let keys: Vec<_> = r.data().as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, vec!["userAccessToken"]);
    assert_eq!(r.cookies.len(), 1);
    let cookie = &r.cookies[0];
    assert!(cookie.starts_with("refreshToken=ey"), "{cookie}");
    assert!(cookie.ends_with("; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=1209600"), "{cookie}");
    let token = r.data()["userAccessToken"].as_str().unwrap();
    let page = h.invoke(my_page().bearer(token)).await;
    assert_eq!(page.data()["myProfile"]["auth"]["email"], "member1@kakao.com");
}

#[tokio::test]
async fn signing_in_an_existing_member_takes_at_most_three_round_trips() {
    let h = Harness::new().await;
    signed_in(&h, 1).await;
    h.invoke(sign_in("KAKAO", "sandbox:member1@kakao.com")).await;
    assert!(h.round_trips() <= 3);
}

#[tokio::test]
async fn the_provider_name_is_accepted_in_any_letter_case() {
    let h = Harness::new().await;
    for name in ["kakao", "KAKAO", "Kakao"] {
        let r = h.invoke(sign_in(name, "sandbox:someone@kakao.com")).await;
        assert_eq!((r.status, r.body["statusCode"].clone()), (200, json!(201)), "{name}");
    }
    let r = h.invoke(sign_in("facebook", "sandbox:someone@kakao.com")).await;
    assert_eq!((r.status, r.code()), (400, "invalidSignUpType"));
}

#[tokio::test]
async fn an_email_bound_to_another_provider_is_refused() {
    let h = Harness::new().await;
    signed_in(&h, 1).await;
    let r = h.invoke(sign_in("GOOGLE", "sandbox:member1@kakao.com")).await;
    assert_eq!((r.status, r.code()), (400, "differentSignUpMethod"));
    assert_eq!(r.body["message"], "다른 방식으로 가입된 이메일 입니다.");
}

#[tokio::test]
async fn provider_failures_map_to_clear_errors() {
    let h = Harness::new().await;
    let r = h.invoke(sign_in("NAVER", "not-a-real-token")).await;
    assert_eq!((r.status, r.code()), (401, "oAuthServerError"));
    let r = h.invoke(sign_in("NAVER", "sandbox:no-email")).await;
    assert_eq!((r.status, r.code()), (401, "oAuthEmailRequired"));
    h.oauth.unavailable.store(true, std::sync::atomic::Ordering::SeqCst);
    let r = h.invoke(sign_in("NAVER", "sandbox:a@naver.com")).await;
    assert_eq!((r.status, r.code()), (502, "oAuthServerError"));
}

#[tokio::test]
async fn the_token_query_parameter_is_required_and_alone() {
    let h = Harness::new().await;
    let e = connection_tests::Event::new("GET", "/auth/oauth/signin/KAKAO", "/auth/oauth/signin/{provider}");
    let r = h.invoke(e).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"][0], "access-token should not be empty");
    let extra = connection_tests::Event::new(
        "GET",
        "/auth/oauth/signin/KAKAO?access-token=sandbox:a@b.cc&role=admin",
        "/auth/oauth/signin/{provider}",
    );
    assert_eq!(h.invoke(extra).await.body["message"][0], "property role should not exist");
}

#[tokio::test]
async fn a_deleted_member_cannot_sign_in() {
    let h = Harness::new().await;
    signed_in(&h, 1).await;
    h.soft_delete(connection_model::keys::user(1)).await;
    let r = h.invoke(sign_in("KAKAO", "sandbox:member1@kakao.com")).await;
    assert_eq!((r.status, r.code()), (400, "InvalidUserInformation"));
}

#[tokio::test]
async fn a_provider_e_mail_too_long_for_a_mailbox_is_refused_before_the_table() {
    let h = Harness::new().await;
    let long = format!("sandbox:{}@kakao.com", "a".repeat(3000));
    let r = h.invoke(sign_in("KAKAO", &long)).await;
    assert_eq!((r.status, r.code()), (401, "oAuthEmailRequired"), "{:?}", r.body);
    assert_eq!(h.round_trips(), 0);
}
