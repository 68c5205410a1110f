use connection_tests::{Event, Harness};
use serde_json::json;

use super::{book, get, ok, starts, teacher_with_class};

fn patch(token: &str, id: i64, body: serde_json::Value) -> Event {
    Event::new("PATCH", &format!("/lectures/{id}"), "/lectures/{lectureId}").bearer(token).json(&body)
}

fn delete(token: &str, id: i64) -> Event {
    Event::new("DELETE", &format!("/lectures/{id}"), "/lectures/{lectureId}").bearer(token)
}

async fn schedules(h: &Harness, id: i64) -> serde_json::Value {
    ok(h, get(&format!("/lectures/{id}/schedules"), "/lectures/{lectureId}/schedules")).await.data().clone()
}

#[tokio::test]
async fn the_owner_updates_fields_seats_sessions_and_holidays_at_once() {
    let h = Harness::new().await;
    let (l, id) = teacher_with_class(&h, 1).await;
    let r = h
        .invoke(patch(
            &l.token,
            id,
            json!({
                "maxCapacity": "4", "price": 25000, "endDate": "2030-03-01",
                "schedules": ["2030-02-01T10:00:00.000Z"],
                "holidays": ["2030-01-02"],
                "notification": "변경된 공지"
            }),
        ))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let updated = &r.data()["updatedLecture"];
    assert_eq!(updated["price"], 25000);
    assert_eq!(updated["maxCapacity"], 4);
    assert_eq!(updated["endDate"], "2030-03-01T00:00:00.000Z");
    assert_eq!(updated["lectureNotification"]["notification"], "변경된 공지");
    let s = schedules(&h, id).await;
    let listed: Vec<_> = s["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["startDateTime"].as_str().unwrap().to_string())
        .collect();
    // Jan 2 (Seoul) is now a holiday: its session went; Feb 1 was added.
    assert_eq!(
        listed,
        vec![starts(3)[0].clone(), starts(3)[2].clone(), "2030-02-01T10:00:00.000Z".to_string()]
    );
    assert!(s["schedules"].as_array().unwrap().iter().all(|x| x["maxCapacity"] == 4));
    assert_eq!(s["holidayArr"], json!(["2030-01-02T00:00:00.000Z"]));
    // An update without a notification leaves it.
    let r = h.invoke(patch(&l.token, id, json!({"introduction": "새 소개"}))).await;
    assert_eq!(r.data()["updatedLecture"]["lectureNotification"]["notification"], "변경된 공지");
}

#[tokio::test]
async fn booked_sessions_hold_their_seats_and_dates() {
    let h = Harness::new().await;
    let (l, id) = teacher_with_class(&h, 1).await;
    book(&h, id, &starts(3)[1], 6).await;
    let r = h.invoke(patch(&l.token, id, json!({"maxCapacity": 5}))).await;
    assert_eq!((r.status, r.code()), (400, "maxCapacityIsSmallerThanParticipants"));
    assert_eq!(r.body["message"], "maxCapacityIsSmallerThanParticipants 6");
    let r = h.invoke(patch(&l.token, id, json!({"maxCapacity": 6}))).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = h.invoke(patch(&l.token, id, json!({"holidays": ["2030-01-02"]}))).await;
    assert_eq!((r.status, r.code()), (400, "existReservation"));
    assert_eq!(schedules(&h, id).await["schedules"].as_array().unwrap().len(), 3, "nothing removed");
    let r = h.invoke(patch(&l.token, id, json!({"schedules": [starts(3)[0].clone()]}))).await;
    assert_eq!((r.status, r.code()), (409, "DuplicateSchedule"));
    let r = h.invoke(patch(&l.token, id, json!({"endDate": "2029-12-01"}))).await;
    assert_eq!((r.status, r.code()), (400, "InvalidEndDate"));
    let r = h.invoke(delete(&l.token, id)).await;
    assert_eq!((r.status, r.code()), (400, "existReservation"));
    let p = h.invoke(get(&format!("/lectures/{id}/previews"), "/lectures/{lectureId}/previews")).await;
    assert_eq!(p.status, 200, "a refused withdrawal leaves the class up");
}

#[tokio::test]
async fn only_the_author_changes_or_withdraws_a_class() {
    let h = Harness::new().await;
    let (_, id) = teacher_with_class(&h, 1).await;
    let (other, _) = teacher_with_class(&h, 2).await;
    let r = h.invoke(patch(&other.token, id, json!({"price": 1}))).await;
    assert_eq!((r.status, r.code()), (400, "NotLectureAuthor"));
    let r = h.invoke(delete(&other.token, id)).await;
    assert_eq!((r.status, r.code()), (400, "NotLectureAuthor"));
    let r = h.invoke(patch(&other.token, 999, json!({"price": 1}))).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecture"));
    let d = ok(&h, get(&format!("/lectures/{id}/detail"), "/lectures/{lectureId}/detail")).await;
    assert_eq!(d.data()["lectureDetail"]["price"], 30000);
}

#[tokio::test]
async fn invalid_updates_are_refused() {
    let h = Harness::new().await;
    let (l, id) = teacher_with_class(&h, 1).await;
    for (body, code) in [
        (json!({"maxCapacity": 0}), "Bad Request"),
        (json!({"coupons": ["7"]}), "CouponNotFound"),
        (json!({"images": ["http://evil/x.png"]}), "InvalidImageUrl"),
        (json!({"images": []}), "Bad Request"),
        (json!({"holidays": ["not a day"]}), "Bad Request"),
        (json!({"title": "제목은 못 바꿈"}), "Bad Request"),
        (json!({"notification": "가".repeat(201)}), "Bad Request"),
    ] {
        let r = h.invoke(patch(&l.token, id, body.clone())).await;
        assert_eq!((r.status, r.code()), (400, code), "{body}: {:?}", r.body);
    }
}

#[tokio::test]
async fn a_withdrawn_class_disappears_everywhere() {
    let h = Harness::new().await;
    let (l, id) = teacher_with_class(&h, 1).await;
    let r = h.invoke(delete(&l.token, id)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.data()["lecture"]["deletedAt"].is_string());
    for route in ["previews", "detail", "schedules"] {
        let r = h
            .invoke(get(&format!("/lectures/{id}/{route}"), &format!("/lectures/{{lectureId}}/{route}")))
            .await;
        assert_eq!((r.status, r.code()), (404, "NotFoundLecture"), "{route}");
    }
    let popular = ok(&h, get("/popular-lectures", "/popular-lectures")).await;
    assert_eq!(popular.data()["lectures"], json!([]));
    let latest = ok(&h, get("/latest-lectures/non-members", "/latest-lectures/non-members")).await;
    assert_eq!(latest.data()["lectures"], json!([]));
    let mine = ok(&h, get("/lecturers/lectures", "/lecturers/lectures").bearer(&l.token)).await;
    assert_eq!(mine.data()["lecture"], json!([]));
    let r = h.invoke(delete(&l.token, id)).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecture"));
    let r = h.invoke(patch(&l.token, id, json!({"price": 1}))).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecture"));
}
