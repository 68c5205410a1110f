use connection_http::jwt::Role;
use connection_tests::{Event, Harness};
use serde_json::{Value, json};

use super::{member, my_page, nickname_of};

fn patch(body: Value) -> Event {
    Event::new("PATCH", "/users/my-pages", "/users/my-pages").json(&body)
}

fn check(nickname: &str) -> Event {
    Event::new("GET", &format!("/users/nicknames/{nickname}"), "/users/nicknames/{nickname}")
}

#[tokio::test]
async fn a_member_changes_nickname_and_the_old_one_becomes_free() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let r = h.invoke(patch(json!({"nickname": "newname", "name": "새이름"})).bearer(&token)).await;
    assert_eq!((r.status, r.body.clone()), (200, json!({"statusCode": 200})));
    assert_eq!(h.round_trips(), 2, "guard read + one transaction");
    assert_eq!(nickname_of(&h, &token).await, "newname");
    assert_eq!(h.invoke(check("dancer1")).await.status, 200);
    assert_eq!(h.invoke(check("newname")).await.status, 403);
}

#[tokio::test]
async fn resubmitting_ones_own_values_is_not_a_conflict() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let own = json!({"nickname": "dancer1", "email": "member1@example.com", "phoneNumber": "01000000001"});
    let r = h.invoke(patch(own).bearer(&token)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(nickname_of(&h, &token).await, "dancer1");
}

#[tokio::test]
async fn a_value_another_member_holds_is_refused_and_nothing_changes() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    member(&h, 2).await;
    let r = h.invoke(patch(json!({"nickname": "fresh", "phoneNumber": "01000000002"})).bearer(&token)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"][0], "사용 중인 번호입니다.");
    assert_eq!(nickname_of(&h, &token).await, "dancer1");
    assert_eq!(h.invoke(check("fresh")).await.status, 200, "the new nickname was not reserved");
}

#[tokio::test]
async fn the_image_url_and_contact_email_are_updated() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let url = h.stored_image("lectures/one.png").await;
    let body =
        json!({"imageUrl": url, "email": "new@example.com", "provider": "KAKAO", "authEmail": "x@y.zz"});
    assert_eq!(h.invoke(patch(body).bearer(&token)).await.status, 200);
    let profile = h.invoke(my_page().bearer(&token)).await.data()["myProfile"].clone();
    assert_eq!(profile["email"], "new@example.com");
    assert_eq!(profile["userProfileImage"]["imageUrl"], url);
    assert_eq!(profile["auth"]["email"], "member1@kakao.com", "the social binding never changes");
}

#[tokio::test]
async fn only_urls_of_images_we_store_become_a_profile_picture() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let ours = h.stored_image("lectures/real.png").await;
    let base = connection_tests::IMAGE_BASE;
    for url in [
        "javascript:alert(document.cookie)".to_string(),
        "https://evil.example/me.png".to_string(),
        format!("{base}/lectures/never-uploaded.png"),
        format!("{base}/../connection.sqlite3"),
        format!("{ours}?v=1"),
    ] {
        let r = h.invoke(patch(json!({"imageUrl": url})).bearer(&token)).await;
        assert_eq!((r.status, r.code()), (400, "InvalidImageUrl"), "{url}");
    }
    let profile = h.invoke(my_page().bearer(&token)).await.data()["myProfile"].clone();
    assert_eq!(profile["userProfileImage"], json!(null), "nothing was stored");
}

#[tokio::test]
async fn invalid_or_unknown_fields_are_400() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let cases = [
        (json!({"phoneNumber": "123"}), "유효하지 않은 전화번호 형식입니다."),
        (json!({"email": "x"}), "잘못된 이메일 형식입니다."),
        (json!({"nickname": ""}), "nickname should not be empty"),
        (json!({"isAdmin": true}), "property isAdmin should not exist"),
    ];
    for (body, message) in cases {
        let r = h.invoke(patch(body).bearer(&token)).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.body["message"][0], message);
    }
}

#[tokio::test]
async fn only_the_token_holder_is_changed() {
    let h = Harness::new().await;
    let (_, one) = member(&h, 1).await;
    let (_, two) = member(&h, 2).await;
    assert_eq!(h.invoke(patch(json!({"nickname": "renamed"})).bearer(&two)).await.status, 200);
    assert_eq!(nickname_of(&h, &one).await, "dancer1");
    assert_eq!(nickname_of(&h, &two).await, "renamed");
}

#[tokio::test]
async fn guests_and_lecturers_cannot_patch() {
    let h = Harness::new().await;
    member(&h, 1).await;
    assert_eq!(h.invoke(patch(json!({"name": "x"}))).await.code(), "NoAuthToken");
    let r = h.invoke(patch(json!({"name": "x"})).bearer(&h.token(Role::Lecturer(1)))).await;
    assert_eq!((r.status, r.code()), (401, "InvalidTokenFormat"));
}
