//! The lecturers area (api.md §4.1–4.4, 4.6–4.7, 4.16–4.18).

mod follows;
mod nickname;
mod profile;

use connection_http::jwt::Role;
use connection_table::Table;
use connection_tests::{Event, Harness, IMAGE_BASE, Reply};
use serde_json::{Value, json};

use crate::users::member;

/// A complete `POST /lecturers` body, as the client's lecturer form sends it.
pub fn lecturer_body(nickname: &str) -> Value {
    json!({
        "profileImageUrls": [format!("{IMAGE_BASE}/lecturers/a.png"), format!("{IMAGE_BASE}/lecturers/b.png")],
        "nickname": nickname,
        "email": "teacher@gmail.com",
        "phoneNumber": "01012345678",
        "youtubeUrl": "https://youtube.com/@teacher",
        "instagramUrl": null,
        "affiliation": "크루",
        "introduction": "<p>안녕하세요</p>",
        "regions": ["서울특별시 강남구", "경기도 전 지역"],
        "genres": ["힙합", "팝핑"],
        "etcGenres": ["탭댄스"],
        "instagramPostUrls": ["https://instagram.com/p/1", "", ""]
    })
}

pub fn post_lecturer(token: &str, body: &Value) -> Event {
    Event::new("POST", "/lecturers", "/lecturers").bearer(token).json(body)
}

/// A lecturer made through the route: (user id, user token, lecturer id, lecturer token).
pub struct Lecturer {
    pub user: String,
    pub id: i64,
    pub token: String,
}

pub async fn lecturer(h: &Harness, n: u32, nickname: &str) -> Lecturer {
    let (user_id, user) = member(h, n).await;
    let r = h.invoke(post_lecturer(&user, &lecturer_body(nickname))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let account = h.table.get(&connection_model::keys::user(user_id)).await.unwrap().unwrap();
    let id = account["lecturerId"].as_i64().expect("the user holds its lecturer id");
    Lecturer { user, id, token: h.token(Role::Lecturer(id)) }
}

pub fn profile(id: i64) -> Event {
    Event::new("GET", &format!("/lecturers/profile/{id}"), "/lecturers/profile/{lecturerId}")
}

pub async fn profile_of(h: &Harness, id: i64, token: Option<&str>) -> Reply {
    let event = match token {
        Some(t) => profile(id).bearer(t),
        None => profile(id),
    };
    let r = h.invoke(event).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r
}
