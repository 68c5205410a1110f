use connection_adapters::Clock;
use connection_tests::{Event, Harness};
use serde_json::json;

use super::{get, ok, one_day_body, open, regular_body, teacher_with_class};
use crate::lecturers::lecturer;
use crate::users::member;

fn like(token: &str, id: i64) -> Event {
    Event::new("POST", &format!("/lecture-likes/{id}"), "/lecture-likes/{lectureId}").bearer(token)
}

fn unlike(token: &str, id: i64) -> Event {
    Event::new("DELETE", &format!("/lecture-likes/{id}"), "/lecture-likes/{lectureId}").bearer(token)
}

fn ids(r: &connection_tests::Reply, key: &str) -> Vec<i64> {
    r.data()[key].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn lecture_likes_are_idempotent_counted_and_listed() {
    let h = Harness::new().await;
    let (_, id) = teacher_with_class(&h, 1).await;
    let (user_id, user) = member(&h, 2).await;
    let first = h.invoke(like(&user, id)).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.data()["lectureLike"]["lectureId"], id);
    assert_eq!(first.data()["lectureLike"]["userId"], user_id);
    let again = h.invoke(like(&user, id)).await;
    assert_eq!(again.data()["lectureLike"], first.data()["lectureLike"]);
    let preview =
        ok(&h, get(&format!("/lectures/{id}/previews"), "/lectures/{lectureId}/previews").bearer(&user))
            .await;
    assert_eq!(preview.data()["lecturePreview"]["isLike"], true);
    let liked = ok(&h, get("/lecture-likes/users", "/lecture-likes/users").bearer(&user)).await;
    assert_eq!(liked.data()["likedLecture"][0]["lectureId"], id);
    assert_eq!(liked.data()["likedLecture"][0]["lecture"]["title"], "힙합 기초");
    let item = {
        use connection_table::Table;
        h.table.get(&connection_model::keys::lecture(id)).await.unwrap().unwrap()
    };
    assert_eq!(item["likeCount"], 1);
    assert_eq!(h.invoke(unlike(&user, id)).await.status, 200);
    assert_eq!(h.invoke(unlike(&user, id)).await.status, 200);
    let liked = ok(&h, get("/lecture-likes/users", "/lecture-likes/users").bearer(&user)).await;
    assert_eq!(liked.data()["likedLecture"], json!([]));
    let r = h.invoke(like(&user, 999)).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecture"));
}

#[tokio::test]
async fn popular_and_latest_lists_rank_like_filter_blocks_and_mark_likes() {
    let h = Harness::new().await;
    let (a, first) = teacher_with_class(&h, 1).await;
    let (_, second) = teacher_with_class(&h, 2).await;
    let (_, fan) = member(&h, 3).await;
    let (_, critic) = member(&h, 4).await;
    assert_eq!(h.invoke(like(&fan, first)).await.status, 201);
    let popular = ok(&h, get("/popular-lectures", "/popular-lectures")).await;
    assert_eq!(ids(&popular, "lectures"), vec![first, second]);
    let card = &popular.data()["lectures"][0];
    assert_eq!(card["lecturer"]["nickname"], "강사1");
    assert_eq!(card["stars"], "0");
    assert_eq!(card["lectureMethod"], json!({"id": 1, "name": "원데이"}));
    assert_eq!(card["isLike"], false);
    let for_fan = ok(&h, get("/popular-lectures", "/popular-lectures").bearer(&fan)).await;
    assert_eq!(for_fan.data()["lectures"][0]["isLike"], true);
    assert_eq!(for_fan.data()["lectures"][0]["likedLecture"].as_array().unwrap().len(), 1);
    let latest = ok(&h, get("/latest-lectures/non-members", "/latest-lectures/non-members")).await;
    assert_eq!(ids(&latest, "lectures"), vec![second, first]);
    let block = Event::new("POST", &format!("/lecturer-block/{}", a.id), "/lecturer-block/{lecturerId}")
        .bearer(&critic);
    assert_eq!(h.invoke(block).await.status, 201);
    let for_critic = ok(&h, get("/popular-lectures", "/popular-lectures").bearer(&critic)).await;
    assert_eq!(ids(&for_critic, "lectures"), vec![second]);
    let latest = ok(&h, get("/latest-lectures/users", "/latest-lectures/users").bearer(&critic)).await;
    assert_eq!(ids(&latest, "lectures"), vec![second]);
    let latest = ok(&h, get("/latest-lectures/users", "/latest-lectures/users").bearer(&fan)).await;
    assert_eq!(ids(&latest, "lectures"), vec![second, first]);
    // A lecturer's own page shows all of their classes, even to a member who blocks them.
    let page = ok(
        &h,
        get(&format!("/lecturers/lectures/{}", a.id), "/lecturers/lectures/{lecturerId}").bearer(&critic),
    )
    .await;
    assert_eq!(page.data()["lecture"]["lecture"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn lists_hold_eight_newest_and_five_most_popular() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "다작").await;
    let mut lectures = Vec::new();
    for _ in 0..10 {
        lectures.push(open(&h, &l, &one_day_body()).await);
    }
    let latest = ok(&h, get("/latest-lectures/non-members", "/latest-lectures/non-members")).await;
    let newest: Vec<i64> = lectures.iter().rev().take(8).copied().collect();
    assert_eq!(ids(&latest, "lectures"), newest);
    let (_, fan) = member(&h, 2).await;
    for id in &lectures[..3] {
        assert_eq!(h.invoke(like(&fan, *id)).await.status, 201);
    }
    let popular = ok(&h, get("/popular-lectures", "/popular-lectures")).await;
    let top = ids(&popular, "lectures");
    assert_eq!(top.len(), 5);
    let mut liked: Vec<i64> = top[..3].to_vec();
    liked.sort();
    assert_eq!(liked, lectures[..3].to_vec(), "the liked classes lead");
}

#[tokio::test]
async fn a_lecturer_sees_their_classes_and_their_progress() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "진행").await;
    let one_day = open(&h, &l, &one_day_body()).await;
    let regular = open(&h, &l, &regular_body()).await;
    let mine = ok(&h, get("/lecturers/lectures", "/lecturers/lectures").bearer(&l.token)).await;
    assert_eq!(ids(&mine, "lecture"), vec![regular, one_day]);
    assert_eq!(mine.data()["lecture"][0]["lectureMethod"]["name"], "정기");
    let progress = |kind: &str| {
        get(&format!("/lecturers/in-progress?progressType={kind}"), "/lecturers/in-progress").bearer(&l.token)
    };
    let r = ok(&h, progress("%EC%A7%84%ED%96%89%EC%A4%91")).await;
    let items = r.data()["lectureProgress"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["schedulesCount"], 3);
    assert_eq!(items[1]["completedSchedulesCount"], 0);
    assert_eq!(items[1]["progress"], 0);
    // Between the one-day class's second and third sessions, after every regular session.
    h.clock.advance(
        time::OffsetDateTime::parse("2030-01-02T12:00:00Z", &time::format_description::well_known::Rfc3339)
            .unwrap()
            - h.clock.now(),
    );
    let r = ok(&h, progress("%EC%A7%84%ED%96%89%EC%A4%91")).await;
    let items = r.data()["lectureProgress"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[1]["id"].as_i64(),
            items[1]["completedSchedulesCount"].as_i64(),
            items[1]["progress"].as_i64()
        ),
        (Some(one_day), Some(2), Some(67))
    );
    h.clock.advance(time::Duration::days(30));
    let r = ok(&h, progress("%EB%A7%88%EA%B0%90%EB%90%9C%20%ED%81%B4%EB%9E%98%EC%8A%A4")).await;
    assert_eq!(ids(&r, "lectureProgress"), vec![regular, one_day]);
    assert!(r.data()["lectureProgress"][0].get("progress").is_none());
    assert_eq!(r.data()["lectureProgress"][1]["schedulesCount"], 3, "closed classes carry their counts too");
    assert_eq!(r.data()["lectureProgress"][1]["completedSchedulesCount"], 3);
    let r = h.invoke(progress("soon")).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"));
}
