use connection_http::jwt::Role;
use connection_table::Table;
use connection_tests::{Event, Harness, IMAGE_BASE};
use serde_json::json;

use super::{lecturer, lecturer_body, post_lecturer, profile, profile_of};
use crate::users::member;

#[tokio::test]
async fn a_member_becomes_a_lecturer_and_the_public_sees_masked_contacts() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "춤선생").await;
    let guest = profile_of(&h, l.id, None).await;
    let p = &guest.data()["lecturerProfile"];
    assert_eq!(p["nickname"], "춤선생");
    assert_eq!(p["email"], "t***@gmail.com");
    assert_eq!(p["phoneNumber"], "010-****-5678");
    assert_eq!(p["isLiked"], false);
    assert_eq!(p["stars"], 0.0);
    assert_eq!(p["reviewCount"], 0);
    assert_eq!(p["introduction"], "<p>안녕하세요</p>");
    assert_eq!(p["lecturerProfileImageUrl"][0]["url"], format!("{IMAGE_BASE}/lecturers/a.png"));
    assert_eq!(p["lecturerInstagramPostUrl"], json!([{"url": "https://instagram.com/p/1"}]));
    assert_eq!(p["lecturerRegion"][0]["region"]["administrativeDistrict"], "서울특별시");
    assert_eq!(p["lecturerRegion"][0]["region"]["district"], "강남구");
    assert_eq!(p["lecturerRegion"][1]["region"]["district"], "전 지역");
    let genres: Vec<_> = p["lecturerDanceGenre"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["danceCategory"]["genre"].as_str().unwrap(), g["name"].clone()))
        .collect();
    assert_eq!(genres, vec![("힙합", json!(null)), ("팝핑", json!(null)), ("기타", json!("탭댄스"))]);
    // Another member sees masked contacts too; the lecturer's own account sees them in full.
    let (_, other) = member(&h, 2).await;
    assert_eq!(
        profile_of(&h, l.id, Some(&other)).await.data()["lecturerProfile"]["phoneNumber"],
        "010-****-5678"
    );
    let own = profile_of(&h, l.id, Some(&l.user)).await;
    assert_eq!(own.data()["lecturerProfile"]["email"], "teacher@gmail.com");
    assert_eq!(own.data()["lecturerProfile"]["phoneNumber"], "01012345678");
    // A lecturer token is not a member's: the public profile takes guests and members only.
    let r = h.invoke(profile(l.id).bearer(&l.token)).await;
    assert_eq!((r.status, r.code()), (401, "InvalidTokenFormat"));
}

#[tokio::test]
async fn my_basic_profile_shows_the_account_behind_the_lecturer() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "기본").await;
    let r = h
        .invoke(
            Event::new("GET", "/lecturers/my-basic-profile", "/lecturers/my-basic-profile").bearer(&l.token),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let p = &r.data()["lecturerBasicProfile"];
    assert_eq!(p["id"], l.id);
    assert_eq!(p["nickname"], "기본");
    assert_eq!(p["email"], "teacher@gmail.com");
    assert_eq!(p["phoneNumber"], "01012345678");
    assert_eq!(p["users"]["name"], "김댄서");
    assert_eq!(p["users"]["auth"], json!({"email": "member1@kakao.com", "type": "KAKAO"}));
}

#[tokio::test]
async fn a_lecturer_profile_is_made_once_per_member_and_nickname() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "하나").await;
    let r = h.invoke(post_lecturer(&l.user, &lecturer_body("둘"))).await;
    assert_eq!((r.status, r.code()), (400, "lecturerAlreadyExists"));
    let (_, other) = member(&h, 2).await;
    let r = h.invoke(post_lecturer(&other, &lecturer_body("하나"))).await;
    assert_eq!((r.status, r.code()), (400, "duplicatedLecturerNickname"));
    // The refused attempt left nothing behind: the member can still become a lecturer.
    assert_eq!(h.invoke(post_lecturer(&other, &lecturer_body("셋"))).await.status, 201);
}

#[tokio::test]
async fn invalid_lecturer_forms_are_refused_with_their_reason() {
    let h = Harness::new().await;
    let (_, user) = member(&h, 1).await;
    let cases = [
        (json!({"email": "not-an-email"}), "Bad Request"),
        (json!({"phoneNumber": "0212345678"}), "Bad Request"),
        (json!({"nickname": "열두글자가넘는긴닉네임이야"}), "Bad Request"),
        (json!({"nickname": "  "}), "Bad Request"),
        (json!({"nickname": "춤선생 "}), "Bad Request"),
        (json!({"homepageUrl": "javascript:alert(1)"}), "Bad Request"),
        (json!({"instagramPostUrls": ["data:text/html,x"]}), "Bad Request"),
        (json!({"genres": ["발레리나"]}), "Bad Request"),
        (json!({"regions": ["서울 강남"]}), "InvalidAddressFormat"),
        (json!({"regions": ["서울특별시 해운대구"]}), "InvalidAddress"),
        (json!({"profileImageUrls": ["https://evil.example.com/x.png"]}), "InvalidImageUrl"),
        (json!({"profileImageUrls": [format!("{IMAGE_BASE}/../secret")]}), "InvalidImageUrl"),
        (json!({"role": "admin"}), "Bad Request"),
        (json!({"regions": "서울특별시 강남구"}), "Bad Request"),
    ];
    for (change, code) in cases {
        let mut body = lecturer_body("폼");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = h.invoke(post_lecturer(&user, &body)).await;
        assert_eq!((r.status, r.code()), (400, code), "{change}: {:?}", r.body);
    }
    let mut body = lecturer_body("폼");
    body.as_object_mut().unwrap().remove("nickname");
    let r = h.invoke(post_lecturer(&user, &body)).await;
    assert_eq!((r.status, r.code()), (400, "Bad Request"));
    assert_eq!(r.body["message"][0], "nickname should not be empty");
}

#[tokio::test]
async fn a_verified_phone_is_required_when_the_setting_says_so() {
    let h = Harness::new().await;
    let mut state = h.lecturers_state.clone();
    state.settings.phone_verification_required = true;
    let strict = connection_lecturers::function(state);
    let (user_id, user) = member(&h, 1).await;
    let r = h.invoke_function(&strict, post_lecturer(&user, &lecturer_body("인증"))).await;
    assert_eq!((r.status, r.code()), (400, "PhoneNotVerified"));
    let proof = connection_model::keys::phone_verified(user_id, "01012345678");
    h.table.put(proof.item(), None).await.unwrap();
    let r = h.invoke_function(&strict, post_lecturer(&user, &lecturer_body("인증"))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}

fn patch(token: &str, body: serde_json::Value) -> Event {
    Event::new("PATCH", "/lecturers/profile", "/lecturers/profile").bearer(token).json(&body)
}

#[tokio::test]
async fn a_profile_update_replaces_what_it_names_and_keeps_the_rest() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "수정").await;
    let r = h
        .invoke(patch(
            &l.token,
            json!({
                "newProfileImageUrls": [format!("{IMAGE_BASE}/lecturer/new.png")],
                "regions": ["온라인"],
                "etcGenres": ["무시됨"],
                "affiliation": "새 크루",
                "instagramPostUrls": []
            }),
        ))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body, json!({"statusCode": 200}));
    let p = profile_of(&h, l.id, None).await.data()["lecturerProfile"].clone();
    assert_eq!(p["affiliation"], "새 크루");
    assert_eq!(p["lecturerProfileImageUrl"], json!([{"url": format!("{IMAGE_BASE}/lecturer/new.png")}]));
    assert_eq!(p["lecturerRegion"][0]["region"]["administrativeDistrict"], "온라인");
    assert_eq!(p["lecturerRegion"].as_array().unwrap().len(), 1);
    assert_eq!(p["lecturerInstagramPostUrl"], json!([]));
    // etcGenres counts only beside genres.
    assert_eq!(p["lecturerDanceGenre"].as_array().unwrap().len(), 3);
    assert_eq!(p["introduction"], "<p>안녕하세요</p>", "untouched fields stay");
    let r = h.invoke(patch(&l.token, json!({"genres": ["K-pop"], "etcGenres": []}))).await;
    assert_eq!(r.status, 200);
    let p = profile_of(&h, l.id, None).await.data()["lecturerProfile"].clone();
    assert_eq!(p["lecturerDanceGenre"][0]["danceCategory"]["genre"], "K-pop");
    assert_eq!(p["lecturerDanceGenre"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn invalid_profile_updates_change_nothing() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "그대로").await;
    for (body, code) in [
        (json!({"regions": ["부산광역시 강남구"]}), "InvalidAddress"),
        (json!({"genres": ["?"]}), "Bad Request"),
        (json!({"profileCardImageUrl": "javascript:alert(1)"}), "InvalidImageUrl"),
        (json!({"nickname": "바꿀수없음"}), "Bad Request"),
        (json!({"affiliation": "x".repeat(101)}), "Bad Request"),
    ] {
        let r = h.invoke(patch(&l.token, body.clone())).await;
        assert_eq!((r.status, r.code()), (400, code), "{body}");
    }
    let p = profile_of(&h, l.id, None).await.data()["lecturerProfile"].clone();
    assert_eq!(p["lecturerRegion"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn unknown_deleted_and_malformed_lecturers_have_no_profile() {
    let h = Harness::new().await;
    let l = lecturer(&h, 1, "사라짐").await;
    let r = h.invoke(profile(999)).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecturer"));
    let r = h.invoke(Event::new("GET", "/lecturers/profile/abc", "/lecturers/profile/{lecturerId}")).await;
    assert_eq!(r.status, 400);
    h.soft_delete(connection_model::keys::lecturer(l.id)).await;
    let r = h.invoke(profile(l.id)).await;
    assert_eq!((r.status, r.code()), (404, "NotFoundLecturer"));
    // A deleted lecturer's token no longer passes the lecturer guard.
    let r = h.invoke(patch(&h.token(Role::Lecturer(l.id)), json!({}))).await;
    assert_eq!((r.status, r.code()), (400, "InvalidLecturerInformation"));
}
