use connection_tests::{Event, Harness, IMAGE_BASE};
use serde_json::json;

use crate::lecturers::lecturer;

fn create(token: &str) -> Event {
    Event::new("POST", "/lecture-temporarily-save", "/lecture-temporarily-save").bearer(token)
}

fn save(token: &str, body: serde_json::Value) -> Event {
    Event::new("PATCH", "/lecture-temporarily-save", "/lecture-temporarily-save").bearer(token).json(&body)
}

fn read(token: &str, id: i64) -> Event {
    Event::new("GET", &format!("/lecture-temporarily-save/{id}"), "/lecture-temporarily-save/{lectureId}")
        .bearer(token)
}

fn discard(token: &str, id: i64) -> Event {
    Event::new("DELETE", &format!("/lecture-temporarily-save/{id}"), "/lecture-temporarily-save/{lectureId}")
        .bearer(token)
}

#[tokio::test]
async fn the_wizard_saves_each_step_and_reads_the_draft_back() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "초안").await;
    let r = h.invoke(create(&l.token)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.data()["id"].as_i64().unwrap();
    assert_eq!(r.data()["title"], json!(null));
    let steps = [
        json!({"lectureId": id.to_string(), "step": "0", "images": [format!("{IMAGE_BASE}/lectures/a.png")], "title": "초안 수업",
            "genres": ["팝핑"], "etcGenres": ["탭댄스"], "difficultyLevel": "중", "lectureMethod": "원데이", "isGroup": true,
            "minCapacity": 1, "maxCapacity": 8}),
        json!({"lectureId": id, "step": 1, "notification": "공지", "introduction": "소개", "curriculum": "<p>c</p>"}),
        json!({"lectureId": id, "step": 2, "holidays": ["Fri Jan 04 2030 00:00:00 GMT+0900 (Korean Standard Time)"],
            "startDate": "2030-01-01", "endDate": "2030-01-31", "duration": 60,
            "schedules": [{"date": "2030-01-02T10:00:00.000Z", "dateTime": ["19:00", "20:00"]}],
            "reservationComment": "", "reservationDeadline": 3}),
        json!({"lectureId": id, "step": 3, "regions": ["서울특별시 강남구"], "locationDescription": "협의",
            "location": {"detailAddress": null, "address": null, "buildingName": null, "administrativeDistrict": null, "district": null}}),
        json!({"lectureId": id, "step": 4, "maxCapacity": 10, "price": 20000, "coupons": []}),
    ];
    for body in steps {
        let r = h.invoke(save(&l.token, body.clone())).await;
        assert_eq!(r.status, 200, "{body}: {:?}", r.body);
    }
    let r = h.invoke(read(&l.token, id)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let d = &r.data()["temporaryLecture"];
    assert_eq!(d["step"], 4);
    assert_eq!(d["title"], "초안 수업");
    assert_eq!(d["maxCapacity"], 10);
    assert_eq!(d["price"], 20000);
    assert_eq!(d["lectureMethod"], json!({"name": "원데이"}));
    assert_eq!(d["temporaryLecturenotification"], json!({"notification": "공지"}));
    assert_eq!(d["temporaryLectureImage"], json!([{"imageUrl": format!("{IMAGE_BASE}/lectures/a.png")}]));
    assert_eq!(
        d["temporaryLectureToRegion"],
        json!([{"region": {"administrativeDistrict": "서울특별시", "district": "강남구"}}])
    );
    assert_eq!(
        d["temporaryLectureToDanceGenre"][1],
        json!({"name": "탭댄스", "danceCategory": {"genre": "기타"}})
    );
    assert_eq!(d["temporaryLectureHoliday"], json!([{"holiday": "2030-01-03T15:00:00.000Z"}]));
    assert_eq!(d["temporaryLectureCouponTarget"], json!([]));
    assert_eq!(
        r.data()["schedules"],
        json!([{"date": "2030-01-02T10:00:00.000Z", "dateTime": ["19:00", "20:00"]}])
    );
    assert_eq!(r.data()["location"]["address"], json!(null));
    let list = h
        .invoke(Event::new("GET", "/lecture-temporarily-save", "/lecture-temporarily-save").bearer(&l.token))
        .await;
    assert_eq!(list.data()["temporaryLectures"][0]["title"], "초안 수업");
    assert_eq!(list.data()["temporaryLectures"][0]["step"], 4);
}

#[tokio::test]
async fn a_lecturer_holds_five_drafts_and_reaches_only_their_own() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "다섯").await;
    let other = lecturer(&h, 2, "남의").await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(h.invoke(create(&l.token)).await.data()["id"].as_i64().unwrap());
    }
    let r = h.invoke(create(&l.token)).await;
    assert_eq!((r.status, r.code()), (400, "TooManyTemporaryLectures"));
    for event in [
        read(&other.token, ids[0]),
        save(&other.token, json!({"lectureId": ids[0], "step": 1})),
        discard(&other.token, ids[0]),
    ] {
        let r = h.invoke(event).await;
        assert_eq!((r.status, r.code()), (404, "NotFoundTemporaryLecture"));
    }
    let r = h.invoke(discard(&l.token, ids[0])).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["temporaryLecture"]["id"], ids[0]);
    assert_eq!(h.invoke(discard(&l.token, ids[0])).await.status, 404);
    assert_eq!(h.invoke(create(&l.token)).await.status, 201, "a discarded draft frees its place");
}

#[tokio::test]
async fn invalid_draft_steps_are_refused() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "검증").await;
    let id = h.invoke(create(&l.token)).await.data()["id"].as_i64().unwrap();
    for (body, code) in [
        (json!({"step": 0}), "Bad Request"),
        (json!({"lectureId": id, "step": 0, "lectureMethod": "?"}), "InvalidLectureMethod"),
        (json!({"lectureId": id, "step": 0, "regions": ["x"]}), "InvalidAddressFormat"),
        (json!({"lectureId": id, "step": 0, "title": "가".repeat(31)}), "Bad Request"),
        (json!({"lectureId": id, "step": 0, "startDate": "soon"}), "Bad Request"),
        (
            json!({"lectureId": id, "step": 0, "schedules": [{"date": "never", "dateTime": []}]}),
            "Bad Request",
        ),
        (json!({"lectureId": "x", "step": 0}), "Bad Request"),
        (json!({"lectureId": id, "step": 0, "unknown": 1}), "Bad Request"),
    ] {
        let r = h.invoke(save(&l.token, body.clone())).await;
        assert_eq!((r.status, r.code()), (400, code), "{body}: {:?}", r.body);
    }
}
