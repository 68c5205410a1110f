//! The lectures area (api.md §5.1–5.7, 5.17, 5.18, 5.21 and §4.12–4.14).

mod change;
mod create;
mod drafts;
mod lists;

use connection_tests::{Event, Harness, IMAGE_BASE, Reply};
use serde_json::{Value, json};

use crate::lecturers::{Lecturer, lecturer};

/// Session starts in 2030, as the browser sends them (ISO, UTC).
pub fn starts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("2030-01-{:02}T10:00:00.000Z", i + 1)).collect()
}

/// A one-day class as the client's wizard publishes it (client.md §4 E6).
pub fn one_day_body() -> Value {
    json!({
        "regions": ["서울특별시 마포구"], "location": null,
        "lectureType": "dance", "lectureMethod": "원데이", "isGroup": true,
        "startDate": "2030-01-01", "endDate": "2030-01-31", "notification": "준비물: 물",
        "genres": ["힙합"], "etcGenres": [], "images": [format!("{IMAGE_BASE}/lectures/cover.png")],
        "title": "힙합 기초", "introduction": "소개", "curriculum": "<p>커리큘럼</p>", "duration": 90,
        "difficultyLevel": "하", "maxCapacity": 10, "minCapacity": 1, "reservationDeadline": 24,
        "reservationComment": "늦지 마세요", "price": 30000, "locationDescription": "2층",
        "holidays": [], "coupons": [],
        "daySchedules": [{"day": ["수"], "dateTime": ["19:00"]}],
        "schedules": starts(3)
    })
}

pub fn regular_body() -> Value {
    let mut body = one_day_body();
    body["lectureMethod"] = json!("정기");
    body.as_object_mut().unwrap().remove("schedules");
    body.as_object_mut().unwrap().remove("daySchedules");
    body["regularSchedules"] = json!([
        {"day": ["월", "수"], "dateTime": "19:00", "startDateTime": ["2030-01-07T10:00:00.000Z", "2030-01-09T10:00:00.000Z"]},
        {"day": ["토"], "dateTime": "10:00", "startDateTime": ["2030-01-05T01:00:00.000Z"]}
    ]);
    body
}

pub fn post_lecture(token: &str, body: &Value) -> Event {
    Event::new("POST", "/lectures", "/lectures").bearer(token).json(body)
}

/// Opens a class for `lecturer` and returns its id.
pub async fn open(h: &Harness, lecturer: &Lecturer, body: &Value) -> i64 {
    let r = h.invoke(post_lecture(&lecturer.token, body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["newLecture"]["id"].as_i64().unwrap()
}

/// A lecturer (member `n`) with one one-day class.
pub async fn teacher_with_class(h: &Harness, n: u32) -> (Lecturer, i64) {
    let l = lecturer(h, n, &format!("강사{n}")).await;
    let id = open(h, &l, &one_day_body()).await;
    (l, id)
}

pub fn get(path: &str, route: &str) -> Event {
    Event::new("GET", path, route)
}

pub async fn ok(h: &Harness, event: Event) -> Reply {
    let r = h.invoke(event).await;
    assert!(r.status == 200 || r.status == 201, "{:?}", r.body);
    r
}

/// Books `n` seats of a session directly, as the payments area will.
pub async fn book(h: &Harness, lecture: i64, start: &str, n: i64) {
    use connection_table::Table;
    let key = connection_model::keys::schedule(lecture, start);
    h.table.update(&key, connection_table::Update::new().add("numberOfParticipants", n), None).await.unwrap();
}
