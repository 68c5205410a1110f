use connection_tests::{Harness, IMAGE_BASE};
use serde_json::json;

use super::{get, ok, one_day_body, open, post_lecture, regular_body, starts, teacher_with_class};
use crate::lecturers::lecturer;

#[tokio::test]
async fn a_one_day_class_is_opened_and_shown_as_the_client_reads_it() {
    let h = Harness::new().await;
    let (l, id) = teacher_with_class(&h, 1).await;
    let p = ok(&h, get(&format!("/lectures/{id}/previews"), "/lectures/{lectureId}/previews")).await;
    let p = &p.data()["lecturePreview"];
    assert_eq!(p["lecturerId"], l.id);
    assert_eq!(p["title"], "힙합 기초");
    assert_eq!(p["stars"], "0");
    assert_eq!(p["isLike"], false);
    assert_eq!(p["maxCapacity"], 10);
    assert_eq!(p["lectureImage"], json!([{"id": 1, "imageUrl": format!("{IMAGE_BASE}/lectures/cover.png")}]));
    assert_eq!(p["lectureToRegion"][0]["region"]["district"], "마포구");
    assert_eq!(p["lectureToDanceGenre"][0]["danceCategory"]["genre"], "힙합");
    let d = ok(&h, get(&format!("/lectures/{id}/detail"), "/lectures/{lectureId}/detail")).await;
    let d = &d.data()["lectureDetail"];
    assert_eq!(d["lecturer"], json!({"id": l.id, "nickname": "강사1", "profileCardImageUrl": null}));
    assert_eq!(d["reservationComment"], "늦지 마세요");
    assert_eq!(d["notification"]["content"], "준비물: 물");
    assert_eq!(d["location"], json!(null));
    assert_eq!(d["startDate"], "2030-01-01T00:00:00.000Z");
    let s = ok(&h, get(&format!("/lectures/{id}/schedules"), "/lectures/{lectureId}/schedules")).await;
    let s = s.data();
    let listed: Vec<_> =
        s["schedules"].as_array().unwrap().iter().map(|x| x["startDateTime"].clone()).collect();
    assert_eq!(listed, starts(3).iter().map(|t| json!(t)).collect::<Vec<_>>());
    assert_eq!(s["schedules"][0]["endDateTime"], "2030-01-01T11:30:00.000Z");
    assert_eq!(s["schedules"][0]["numberOfParticipants"], 0);
    assert_eq!(s["schedules"][0]["maxCapacity"], 10);
    assert_eq!(s["schedules"][0]["day"], 2, "Tuesday in Seoul");
    assert_eq!(s["schedule"], s["schedules"], "the edit page's spelling");
    assert_eq!(s["holidayArr"], json!([]));
    assert_eq!(s["holidays"], json!([]));
    assert_eq!(s["daySchedules"][0]["day"], json!(["수"]));
    assert!(s.get("regularLectureStatus").is_none());
}

#[tokio::test]
async fn a_regular_class_has_cohorts_with_their_sessions() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "정기강사").await;
    let id = open(&h, &l, &regular_body()).await;
    let s = ok(&h, get(&format!("/lectures/{id}/schedules"), "/lectures/{lectureId}/schedules")).await;
    let cohorts = s.data()["regularLectureStatus"].as_array().unwrap().clone();
    assert_eq!(cohorts.len(), 2);
    assert_eq!(cohorts[0]["day"], json!(["월", "수"]));
    assert_eq!(cohorts[0]["dateTime"], "19:00");
    assert_eq!(cohorts[0]["numberOfParticipants"], 0);
    let sessions = cohorts[0]["regularLectureSchedule"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["startDateTime"], "2030-01-07T10:00:00.000Z");
    assert_eq!(sessions[0]["endDateTime"], "2030-01-07T11:30:00.000Z");
    assert!(s.data().get("schedules").is_none());
    assert_eq!(s.data()["schedule"], s.data()["regularLectureStatus"]);
}

#[tokio::test]
async fn the_clients_strings_and_a_real_address_are_accepted() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "주소").await;
    let mut body = one_day_body();
    body["isGroup"] = json!("false");
    body["duration"] = json!("60");
    body["price"] = json!("15000");
    body["maxCapacity"] = json!(null);
    body["regions"] = json!(null);
    body["location"] = json!({"address": "서울 마포구 양화로 1", "detailAddress": "3층", "buildingName": "댄스홀",
        "administrativeDistrict": "서울특별시", "district": "마포구"});
    body["schedules"] = json!(["Tue Jan 01 2030 19:00:00 GMT+0900 (Korean Standard Time)"]);
    let id = open(&h, &l, &body).await;
    let d = ok(&h, get(&format!("/lectures/{id}/detail"), "/lectures/{lectureId}/detail")).await;
    let d = &d.data()["lectureDetail"];
    assert_eq!(d["location"]["buildingName"], "댄스홀");
    assert_eq!(d["price"], 15000);
    assert_eq!(d["maxCapacity"], json!(null), "unlimited seats");
    let s = ok(&h, get(&format!("/lectures/{id}/schedules"), "/lectures/{lectureId}/schedules")).await;
    assert_eq!(s.data()["schedules"][0]["startDateTime"], "2030-01-01T10:00:00.000Z");
    assert_eq!(s.data()["schedules"][0]["maxCapacity"], json!(null));
    let p = ok(&h, get(&format!("/lectures/{id}/previews"), "/lectures/{lectureId}/previews")).await;
    assert_eq!(p.data()["lecturePreview"]["lectureToRegion"][0]["region"]["district"], "마포구");
    assert_eq!(p.data()["lecturePreview"]["isGroup"], false);
}

#[tokio::test]
async fn invalid_classes_are_refused_with_their_reason_and_leave_nothing() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "검사").await;
    let cases = [
        (json!({"lectureMethod": "매일"}), 400, "InvalidLectureMethod"),
        (json!({"lectureType": "yoga"}), 400, "InvalidLectureType"),
        (json!({"schedules": []}), 400, "Bad Request"),
        (
            json!({"schedules": ["2030-01-01T10:00:00Z", "2030-01-01T19:00:00+09:00"]}),
            409,
            "DuplicateSchedule",
        ),
        (json!({"schedules": ["someday"]}), 400, "Bad Request"),
        (json!({"schedules": ["9999-12-31T23:00:00Z"]}), 400, "Bad Request"),
        (
            json!({"schedules": ["2030-01-01T10:00:00.0001Z", "2030-01-01T10:00:00.0002Z"]}),
            409,
            "DuplicateSchedule",
        ),
        (json!({"daySchedules": [{"day": vec!["월"; 8], "dateTime": ["19:00"]}]}), 400, "Bad Request"),
        (json!({"regions": ["마포구"]}), 400, "InvalidAddressFormat"),
        (json!({"regions": []}), 400, "Bad Request"),
        (json!({"coupons": [3]}), 400, "CouponNotFound"),
        (json!({"images": ["https://elsewhere.example/x.png"]}), 400, "InvalidImageUrl"),
        (json!({"images": []}), 400, "Bad Request"),
        (json!({"title": "가".repeat(31)}), 400, "Bad Request"),
        (json!({"endDate": "2029-12-31"}), 400, "Bad Request"),
        (json!({"duration": "an hour"}), 400, "Bad Request"),
        (json!({"duration": 0}), 400, "Bad Request"),
        (json!({"price": -1}), 400, "Bad Request"),
        (json!({"minCapacity": 5, "maxCapacity": 2}), 400, "Bad Request"),
        (json!({"genres": ["탭"]}), 400, "Bad Request"),
        (json!({"isGroup": "yes"}), 400, "Bad Request"),
        (json!({"owner": 1}), 400, "Bad Request"),
    ];
    for (change, status, code) in cases {
        let mut body = one_day_body();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = h.invoke(post_lecture(&l.token, &body)).await;
        assert_eq!((r.status, r.code()), (status, code), "{change}: {:?}", r.body);
    }
    let mut body = regular_body();
    body["regularSchedules"] = json!([]);
    let r = h.invoke(post_lecture(&l.token, &body)).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"));
    let mine = ok(&h, get("/lecturers/lectures", "/lecturers/lectures").bearer(&l.token)).await;
    assert_eq!(mine.data()["lecture"], json!([]), "no refused class was stored");
}

#[tokio::test]
async fn a_class_with_more_sessions_than_a_transaction_holds_is_written_whole() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "많은일정").await;
    let mut body = one_day_body();
    let many: Vec<String> =
        (0..150).map(|i| format!("2030-{:02}-{:02}T10:00:00.000Z", 1 + i / 28, 1 + i % 28)).collect();
    body["schedules"] = json!(many);
    let id = open(&h, &l, &body).await;
    let s = ok(&h, get(&format!("/lectures/{id}/schedules"), "/lectures/{lectureId}/schedules")).await;
    assert_eq!(s.data()["schedules"].as_array().unwrap().len(), 150);
    let ids: std::collections::BTreeSet<i64> =
        s.data()["schedules"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 150, "every session has its own id");
}

#[tokio::test]
async fn followers_hear_of_a_new_class() {
    use connection_table::{Query, Table};
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "알림").await;
    let (fan_id, fan) = crate::users::member(&h, 2).await;
    let like = connection_tests::Event::new(
        "POST",
        &format!("/lecturer-likes/{}", l.id),
        "/lecturer-likes/{lecturerId}",
    );
    assert_eq!(h.invoke(like.bearer(&fan)).await.status, 201);
    let id = open(&h, &l, &one_day_body()).await;
    let notices = h.table.query(Query::partition(format!("NOTIFICATIONS#USER#{fan_id}"))).await.unwrap();
    assert_eq!(notices.items.len(), 1);
    assert_eq!(notices.items[0]["lectureId"], id);
    assert_eq!(notices.items[0]["description"], connection_lectures::NEW_LECTURE_NOTICE);
}

#[tokio::test]
async fn the_legacy_listing_is_retired_and_unknown_classes_are_404() {
    let h = Harness::new().await;
    let r = h.invoke(get("/lectures?orderBy=최신순&page=0&pageSize=10", "/lectures")).await;
    assert_eq!((r.status, r.code()), (410, "Gone"));
    for route in ["previews", "detail", "schedules"] {
        let r = h
            .invoke(get(&format!("/lectures/404/{route}"), &format!("/lectures/{{lectureId}}/{route}")))
            .await;
        assert_eq!((r.status, r.code()), (404, "NotFoundLecture"), "{route}");
        let r =
            h.invoke(get(&format!("/lectures/x/{route}"), &format!("/lectures/{{lectureId}}/{route}"))).await;
        assert_eq!(r.status, 400, "{route}");
    }
}
