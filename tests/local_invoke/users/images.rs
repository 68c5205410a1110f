use connection_http::jwt::Role;
use connection_tests::{Event, Harness};

use super::{member, my_page};

fn png() -> Vec<u8> {
    let mut bytes =
        vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

fn upload(token: &str, fields: &[(&str, &str, &[u8])]) -> Event {
    Event::new("POST", "/users/images", "/users/images").bearer(token).multipart(fields)
}

#[tokio::test]
async fn the_first_image_is_stored_and_shown_on_my_page() {
    let h = Harness::new().await;
    let (id, token) = member(&h, 1).await;
    // The fixture is a real base64 multipart event; only its token is ours.
    let r = h.invoke(Event::from_fixture("post-users-images.json").bearer(&token)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(h.round_trips(), 2, "guard read + conditional write");
    let image = &r.data()["newUserImage"];
    assert_eq!(image["userId"], id);
    let url = image["imageUrl"].as_str().unwrap();
    let key = url.strip_prefix("http://127.0.0.1:8080/images/").expect("served by the local stack");
    assert!(key.starts_with(&format!("users/{id}/")) && key.ends_with(".png"));
    let stored = std::fs::read(h.images.join(key)).expect("the file was written");
    assert_eq!(&stored[..4], b"\x89PNG");
    let profile = h.invoke(my_page().bearer(&token)).await;
    assert_eq!(profile.data()["myProfile"]["userProfileImage"]["imageUrl"], url);
}

#[tokio::test]
async fn a_second_image_is_refused() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    assert_eq!(h.invoke(upload(&token, &[("image", "a.png", &png())])).await.status, 201);
    let r = h.invoke(upload(&token, &[("image", "b.png", &png())])).await;
    assert_eq!((r.status, r.code()), (400, "ProfileImageAlreadyExists"));
    assert_eq!(r.body["message"], "이미 프로필 사진이 존재하는 유저입니다");
}

#[tokio::test]
async fn only_real_images_are_accepted_whatever_the_file_name() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let r = h.invoke(upload(&token, &[("image", "evil.png", b"<script>alert(1)</script>")])).await;
    assert_eq!((r.status, r.code()), (400, "InvalidImageType"));
}

#[tokio::test]
async fn an_image_over_5_mb_is_refused() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let mut big = png();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let r = h.invoke(upload(&token, &[("image", "big.png", &big)])).await;
    assert_eq!((r.status, r.code()), (400, "FileTooLarge"));
    let mut exact = png();
    exact.resize(5 * 1024 * 1024, 0);
    assert_eq!(h.invoke(upload(&token, &[("image", "ok.png", &exact)])).await.status, 201);
}

#[tokio::test]
async fn a_missing_or_extra_field_is_a_400() {
    let h = Harness::new().await;
    let (_, token) = member(&h, 1).await;
    let r = h.invoke(upload(&token, &[("photo", "a.png", &png())])).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"][0], "property photo should not exist");
    let r = h.invoke(upload(&token, &[])).await;
    assert_eq!(r.body["message"][0], "image should not be empty");
    let r = h
        .invoke(
            Event::new("POST", "/users/images", "/users/images").bearer(&token).json(&serde_json::json!({})),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn guests_and_lecturers_cannot_upload() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let guest = h.invoke(upload("x", &[("image", "a.png", &png())]).without_auth()).await;
    assert_eq!((guest.status, guest.code()), (401, "NoAuthToken"));
    let lecturer = h.invoke(upload(&h.token(Role::Lecturer(1)), &[("image", "a.png", &png())])).await;
    assert_eq!((lecturer.status, lecturer.code()), (401, "InvalidTokenFormat"));
}

#[tokio::test]
async fn each_member_uploads_to_their_own_profile() {
    let h = Harness::new().await;
    let (_, one) = member(&h, 1).await;
    let (two_id, two) = member(&h, 2).await;
    let r = h.invoke(upload(&two, &[("image", "a.png", &png())])).await;
    assert_eq!(r.data()["newUserImage"]["userId"], two_id);
    let page = h.invoke(my_page().bearer(&one)).await;
    assert!(page.data()["myProfile"]["userProfileImage"].is_null());
}
