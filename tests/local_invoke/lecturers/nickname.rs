use connection_tests::{Event, Harness};

use super::{lecturer, lecturer_body, post_lecturer, profile_of};
use crate::users::member;

fn check(nickname: &str) -> Event {
    Event::new("GET", &format!("/lecturers/nickname/{nickname}"), "/lecturers/nickname/{nickname}")
}

fn change(token: &str, nickname: &str) -> Event {
    Event::new("PATCH", &format!("/lecturers/nickname/{nickname}"), "/lecturers/nickname/{nickname}")
        .bearer(token)
}

async fn available(h: &Harness, nickname: &str) -> bool {
    let r = h.invoke(check(nickname)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.data()["isAvailable"].as_bool().unwrap()
}

#[tokio::test]
async fn a_nickname_change_frees_the_old_one_and_takes_the_new_one() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "old").await;
    assert!(!available(&h, "old").await);
    assert!(available(&h, "new").await);
    let r = h.invoke(change(&l.token, "new")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(available(&h, "old").await);
    assert!(!available(&h, "new").await);
    assert_eq!(profile_of(&h, l.id, None).await.data()["lecturerProfile"]["nickname"], "new");
    // Keeping one's own nickname is no change at all.
    assert_eq!(h.invoke(change(&l.token, "new")).await.status, 200);
    // The freed nickname can be taken by someone else.
    let (_, user) = member(&h, 2).await;
    assert_eq!(h.invoke(post_lecturer(&user, &lecturer_body("old"))).await.status, 201);
}

#[tokio::test]
async fn another_lecturers_nickname_cannot_be_taken() {
    let h = Harness::new().await;
    let first = lecturer(&h, 1, "first").await;
    let second = lecturer(&h, 2, "second").await;
    let r = h.invoke(change(&second.token, "first")).await;
    assert_eq!((r.status, r.code()), (400, "duplicatedLecturerNickname"));
    assert_eq!(profile_of(&h, second.id, None).await.data()["lecturerProfile"]["nickname"], "second");
    assert_eq!(profile_of(&h, first.id, None).await.data()["lecturerProfile"]["nickname"], "first");
}

#[tokio::test]
async fn malformed_nicknames_are_refused_before_any_read() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "ok").await;
    let long = "%EA%B0%80".repeat(12);
    let r = h.invoke(check(&long)).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"));
    assert_eq!(h.round_trips(), 0);
    let r = h.invoke(change(&l.token, &long)).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"));
    let r = h.invoke(change(&l.token, "%20%20")).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"));
}
