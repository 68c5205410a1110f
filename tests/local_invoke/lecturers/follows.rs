use connection_table::Table;
use connection_tests::{Event, Harness};
use serde_json::json;

use super::{Lecturer, lecturer, profile_of};
use crate::users::member;

fn like(token: &str, id: i64) -> Event {
    Event::new("POST", &format!("/lecturer-likes/{id}"), "/lecturer-likes/{lecturerId}").bearer(token)
}

fn unlike(token: &str, id: i64) -> Event {
    Event::new("DELETE", &format!("/lecturer-likes/{id}"), "/lecturer-likes/{lecturerId}").bearer(token)
}

fn block(token: &str, id: i64) -> Event {
    Event::new("POST", &format!("/lecturer-block/{id}"), "/lecturer-block/{lecturerId}").bearer(token)
}

fn unblock(token: &str, id: i64) -> Event {
    Event::new("DELETE", &format!("/lecturer-block/{id}"), "/lecturer-block/{lecturerId}").bearer(token)
}

fn list(path: &str, token: &str) -> Event {
    Event::new("GET", path, path).bearer(token)
}

async fn like_count(h: &Harness, id: i64) -> i64 {
    let item = h.table.get(&connection_model::keys::lecturer(id)).await.unwrap().unwrap();
    item.get("likeCount").and_then(|v| v.as_i64()).unwrap_or(0)
}

#[tokio::test]
async fn likes_are_idempotent_and_counted_once() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "인기").await;
    let (user_id, user) = member(&h, 2).await;
    let first = h.invoke(like(&user, l.id)).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let pair = first.data()["lecturerLike"].clone();
    assert_eq!((pair["lecturerId"].as_i64(), pair["userId"].as_i64()), (Some(l.id), Some(user_id)));
    let again = h.invoke(like(&user, l.id)).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.data()["lecturerLike"], pair, "a second like answers the first");
    assert_eq!(like_count(&h, l.id).await, 1);
    assert_eq!(profile_of(&h, l.id, Some(&user)).await.data()["lecturerProfile"]["isLiked"], true);
    assert_eq!(h.invoke(unlike(&user, l.id)).await.status, 200);
    assert_eq!(h.invoke(unlike(&user, l.id)).await.body, json!({"statusCode": 200}));
    assert_eq!(like_count(&h, l.id).await, 0);
    assert_eq!(profile_of(&h, l.id, Some(&user)).await.data()["lecturerProfile"]["isLiked"], false);
    let r = h.invoke(like(&user, 999)).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecturer"));
    let r = h.invoke(like(&user, 0)).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn my_liked_lecturers_come_newest_first_without_deleted_ones() {
    let h = Harness::new().await;
    let a = lecturer(&h, 1, "에이").await;
    let b = lecturer(&h, 2, "비").await;
    let c = lecturer(&h, 3, "씨").await;
    let (_, user) = member(&h, 4).await;
    for l in [&a, &b, &c] {
        assert_eq!(h.invoke(like(&user, l.id)).await.status, 201);
    }
    h.soft_delete(connection_model::keys::lecturer(b.id)).await;
    let r = h.invoke(list("/lecturer-likes", &user)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["count"], 2);
    let items = r.data()["lecturerLike"].as_array().unwrap();
    let ids: Vec<_> = items.iter().map(|i| i["lecturerId"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![c.id, a.id]);
    let first = &items[0]["lecturer"];
    assert_eq!(first["nickname"], "씨");
    assert_eq!(first["affiliation"], "크루");
    assert_eq!(first["stars"], 0.0);
    assert_eq!(first["lecturerRegion"][0]["region"]["district"], "강남구");
    assert!(first["lecturerRegion"][0]["region"]["id"].is_i64());
    assert_eq!(first["lecturerDanceGenre"][0]["danceCategory"]["genre"], "힙합");
    assert_eq!(first["lecturerProfileImageUrl"].as_array().unwrap().len(), 2);
    // Another member's list is their own.
    let (_, other) = member(&h, 5).await;
    assert_eq!(h.invoke(list("/lecturer-likes", &other)).await.data()["count"], 0);
}

async fn popular(h: &Harness, token: Option<&str>) -> Vec<i64> {
    let mut event = Event::new("GET", "/popular-lecturers", "/popular-lecturers");
    if let Some(t) = token {
        event = event.bearer(t);
    }
    let r = h.invoke(event).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.data()["lecturers"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn blocks_hide_a_lecturer_from_my_popular_list_only() {
    let h = Harness::new().await;
    let star = lecturer(&h, 1, "스타").await;
    let other = lecturer(&h, 2, "보통").await;
    let (_, fan) = member(&h, 3).await;
    let (_, critic) = member(&h, 4).await;
    assert_eq!(h.invoke(like(&fan, star.id)).await.status, 201);
    assert_eq!(popular(&h, None).await, vec![star.id, other.id]);
    let first = h.invoke(block(&critic, star.id)).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let again = h.invoke(block(&critic, star.id)).await;
    assert_eq!(again.data()["lecturerBlock"], first.data()["lecturerBlock"]);
    assert_eq!(popular(&h, Some(&critic)).await, vec![other.id]);
    assert_eq!(popular(&h, Some(&fan)).await, vec![star.id, other.id]);
    assert_eq!(popular(&h, None).await, vec![star.id, other.id]);
    let blocks = h.invoke(list("/lecturer-block", &critic)).await;
    assert_eq!(blocks.data()["count"], 1);
    let item = &blocks.data()["lecturerBlock"][0];
    assert_eq!(item["lecturerId"], star.id);
    assert_eq!(item["lecturer"]["nickname"], "스타");
    assert_eq!(
        item["lecturer"]["lecturerProfileImageUrl"].as_array().unwrap().len(),
        1,
        "the main image only"
    );
    assert_eq!(h.invoke(unblock(&critic, star.id)).await.status, 200);
    assert_eq!(h.invoke(unblock(&critic, star.id)).await.status, 200);
    assert_eq!(popular(&h, Some(&critic)).await, vec![star.id, other.id]);
    assert_eq!(h.invoke(list("/lecturer-block", &critic)).await.data()["count"], 0);
    let r = h.invoke(block(&critic, 999)).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecturer"));
}

#[tokio::test]
async fn popular_lecturers_follow_their_likes_and_leave_when_deleted() {
    let h = Harness::new().await;
    let mut lecturers: Vec<Lecturer> = Vec::new();
    for n in 1..=10 {
        lecturers.push(lecturer(&h, n, &format!("강사{n}")).await);
    }
    // Lecturer k gets k likes (from members 11..): the ranking is the reverse order.
    for n in 11..=20u32 {
        let (_, fan) = member(&h, n).await;
        for l in lecturers.iter().skip((n - 11) as usize) {
            assert_eq!(h.invoke(like(&fan, l.id)).await.status, 201);
        }
    }
    let expected: Vec<i64> = lecturers.iter().rev().take(8).map(|l| l.id).collect();
    assert_eq!(popular(&h, None).await, expected);
    // A deletion takes the lecturer out of the ranking.
    h.soft_delete(connection_model::keys::lecturer(lecturers[9].id)).await;
    h.table
        .update(
            &connection_model::keys::lecturer(lecturers[9].id),
            connection_table::Update::new().remove("rankpk"),
            None,
        )
        .await
        .unwrap();
    let expected: Vec<i64> = lecturers.iter().rev().skip(1).take(8).map(|l| l.id).collect();
    assert_eq!(popular(&h, None).await, expected);
    let card = h.invoke(Event::new("GET", "/popular-lecturers", "/popular-lecturers")).await;
    let first = &card.data()["lecturers"][0];
    assert_eq!(first["nickname"], "강사9");
    assert_eq!(first["lecturerProfileImageUrl"].as_array().unwrap().len(), 2);
    assert!(first.get("email").is_none(), "a card carries no contacts");
}
