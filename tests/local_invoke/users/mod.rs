//! The users area (api.md §3).

mod images;
mod my_page;
mod nickname;
mod public_card;
mod sign_up;
mod update;

use connection_http::jwt::Role;
use connection_tests::{Event, Harness};
use serde_json::{Value, json};

/// A complete sign-up body; tests change the fields they are about.
pub fn sign_up_body(n: u32) -> Value {
    json!({
        "provider": "KAKAO",
        "email": format!("member{n}@example.com"),
        "authEmail": format!("member{n}@kakao.com"),
        "name": "김댄서",
        "nickname": format!("dancer{n}"),
        "phoneNumber": format!("010{:08}", n),
        "registerConsents": {
            "termsOfService": true,
            "talk": true,
            "email": false,
            "marketing": {"marketingChannelTalk": false, "marketingEmail": true}
        }
    })
}

pub fn sign_up_event(body: &Value) -> Event {
    Event::from_fixture("post-users.json").json(body)
}

/// Signs member `n` up (after the sign-in that allows it) and returns its id and an access token.
pub async fn member(h: &Harness, n: u32) -> (i64, String) {
    h.grant_sign_up(&format!("member{n}@kakao.com"), "KAKAO").await;
    let r = h.invoke(sign_up_event(&sign_up_body(n))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.data()["createUser"]["id"].as_i64().unwrap();
    (id, h.token(Role::User(id)))
}

pub fn my_page() -> Event {
    Event::new("GET", "/users/my-pages", "/users/my-pages")
}

pub async fn nickname_of(h: &Harness, token: &str) -> String {
    let r = h.invoke(my_page().bearer(token)).await;
    r.data()["myProfile"]["nickname"].as_str().unwrap().to_string()
}
