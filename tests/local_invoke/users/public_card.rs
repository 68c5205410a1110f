use connection_tests::{Event, Harness};
use serde_json::json;

use super::member;

fn card(id: &str) -> Event {
    Event::new("GET", &format!("/users/{id}"), "/users/{userId}")
}

#[tokio::test]
async fn anyone_reads_a_public_card_with_the_fixture_event() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let r = h.invoke(Event::from_fixture("get-user.json")).await;
    assert_eq!(r.status, 200);
    assert_eq!(h.round_trips(), 1);
    assert_eq!(
        r.body,
        json!({"statusCode": 200, "data": {"user": {"id": 1, "nickname": "dancer1", "userProfileImage": null}}})
    );
}

#[tokio::test]
async fn the_card_is_the_same_for_guests_members_and_lecturers() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let lecturer = h.token(connection_http::jwt::Role::Lecturer(3));
    let guest = h.invoke(card("1")).await;
    for t in [token, lecturer] {
        assert_eq!(h.invoke(card("1").bearer(&t)).await.body, guest.body);
    }
}

#[tokio::test]
async fn an_unknown_or_deleted_user_is_404() {
    let h = Harness::new().await;
    let r = h.invoke(card("42")).await;
    assert_eq!((r.status, r.code()), (404, "notFoundUserData"));
    member(&h, 1).await;
    h.soft_delete(connection_model::keys::user(1)).await;
    assert_eq!(h.invoke(card("1")).await.status, 404);
}

#[tokio::test]
async fn a_non_numeric_id_is_400() {
    let h = Harness::new().await;
    for id in ["abc", "-1", "1.5", "0"] {
        let r = h.invoke(card(id)).await;
        assert_eq!(r.status, 400, "{id}");
        assert_eq!(r.body["message"], "Validation failed (numeric string is expected)");
    }
}
