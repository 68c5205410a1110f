//! The auth area (api.md §2, flows §1–§3).

mod sign_in;
mod sms;
mod tokens;

use connection_table::{Table, Update};
use connection_tests::{Event, Harness, Reply};
use serde_json::json;

pub fn sign_in(provider: &str, token: &str) -> Event {
    Event::new(
        "GET",
        &format!("/auth/oauth/signin/{provider}?access-token={token}"),
        "/auth/oauth/signin/{provider}",
    )
}

pub fn refresh(cookie: &str) -> Event {
    Event::new("GET", "/auth/token/refresh", "/auth/token/refresh").cookie(&format!("refreshToken={cookie}"))
}

/// Signs up member `n` with Kakao through the real sign-in, then signs in: the session reply.
pub async fn signed_in(h: &Harness, n: u32) -> Reply {
    let email = format!("member{n}@kakao.com");
    let first = h.invoke(sign_in("KAKAO", &format!("sandbox:{email}"))).await;
    assert_eq!(first.body["statusCode"], 201, "{:?}", first.body);
    let body = crate::users::sign_up_body(n);
    assert_eq!(h.invoke(crate::users::sign_up_event(&body)).await.status, 201);
    let r = h.invoke(sign_in("KAKAO", &format!("sandbox:{email}"))).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r
}

/// Makes user `user_id` a lecturer with id `lecturer_id` (as the lecturers area will).
pub async fn make_lecturer(h: &Harness, user_id: i64, lecturer_id: i64) {
    let item = connection_model::keys::lecturer(lecturer_id)
        .item_with(json!({"entity": "Lecturer", "id": lecturer_id, "userId": user_id, "nickname": "강사"}));
    h.table.put(item, None).await.unwrap();
    let user = connection_model::keys::user(user_id);
    h.table.update(&user, Update::new().set("lecturerId", lecturer_id), None).await.unwrap();
}
