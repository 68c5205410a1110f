use connection_tests::{Event, Harness};
use serde_json::json;

use super::{member, sign_up_body, sign_up_event};

fn check(nickname: &str) -> Event {
    Event::new("GET", &format!("/users/nicknames/{nickname}"), "/users/nicknames/{nickname}")
}

#[tokio::test]
async fn a_free_nickname_is_200_and_a_taken_one_403() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let r = h.invoke(check("free-name")).await;
    assert_eq!((r.status, r.body.clone()), (200, json!({"statusCode": 200})));
    assert_eq!(h.round_trips(), 1);
    let r = h.invoke(check("dancer1")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.body["message"], "duplicated nickname");
}

#[tokio::test]
async fn korean_nicknames_arrive_uri_encoded() {
    let h = Harness::new().await;
    let mut body = sign_up_body(1);
    body["nickname"] = json!("춤꾼");
    h.grant_sign_up("member1@kakao.com", "KAKAO").await;
    assert_eq!(h.invoke(sign_up_event(&body)).await.status, 201);
    let r = h.invoke(check("%EC%B6%A4%EA%BE%BC")).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_nickname_too_long_to_exist_is_a_400_not_a_store_error() {
    let h = Harness::new().await;
    let r = h.invoke(check(&"a".repeat(3000))).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"), "{:?}", r.body);
    assert_eq!(h.round_trips(), 0);
}
