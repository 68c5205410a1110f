//! The uploads area (api.md §14): anonymous but narrow image uploads, deletion of recent
//! unclaimed uploads only, and presigned uploads for members.

use connection_http::jwt::Role;
use connection_tests::{Event, Harness, IMAGE_BASE};
use serde_json::json;

use crate::lecturers::{lecturer_body, post_lecturer};
use crate::users::member;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x00\x00\x00";

fn one(folder: &str, files: &[(&str, &str, &[u8])]) -> Event {
    Event::new("POST", &format!("/uploads/{folder}/image"), "/uploads/{folder}/image").multipart(files)
}

fn many(folder: &str, files: &[(&str, &str, &[u8])]) -> Event {
    Event::new("POST", &format!("/uploads/{folder}/images"), "/uploads/{folder}/images").multipart(files)
}

fn delete(url: &str) -> Event {
    Event::new("DELETE", "/uploads", "/uploads").json(&json!({"imageUrl": url}))
}

fn stored(h: &Harness, url: &str) -> bool {
    h.images.join(url.strip_prefix(&format!("{IMAGE_BASE}/")).unwrap()).exists()
}

#[tokio::test]
async fn a_guest_uploads_images_under_keys_we_choose() {
    let h = Harness::new().await;
    let r = h.invoke(one("lectures", &[("image", "내 사진 (1).png", PNG)])).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let url = r.data()["imageUrl"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{IMAGE_BASE}/lectures/")) && url.ends_with(".png"), "{url}");
    assert!(!url.contains("사진"), "the client's file name is not used");
    assert!(stored(&h, &url));
    let r = h.invoke(many("lecturers", &[("images", "a.png", PNG), ("images", "b.gif", GIF)])).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let urls = r.data()["imageUrls"].as_array().unwrap();
    assert_eq!(urls.len(), 2);
    assert!(urls[1].as_str().unwrap().ends_with(".gif"));
    let r = h.invoke(one("lecturer", &[("image", "x.gif", GIF)])).await;
    assert_eq!(r.status, 201, "the profile editor's folder");
}

#[tokio::test]
async fn what_is_not_a_small_image_in_a_known_folder_is_refused() {
    let h = Harness::new().await;
    let big = {
        let mut b = PNG.to_vec();
        b.resize(10 * 1024 * 1024 + 1, 0);
        b
    };
    let six: Vec<(&str, &str, &[u8])> = (0..6).map(|_| ("images", "a.png", PNG)).collect();
    let cases = [
        (
            one("lectures", &[("image", "a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")]),
            "InvalidImageType",
        ),
        (one("lectures", &[("image", "a.png", b"%PDF-1.7")]), "InvalidImageType"),
        (one("lectures", &[("image", "a.png", &big)]), "FileTooLarge"),
        (one("users", &[("image", "a.png", PNG)]), "InvalidFolder"),
        (one("etc", &[("image", "a.png", PNG)]), "InvalidFolder"),
        (one("lectures", &[("file", "a.png", PNG)]), "Bad Request"),
        (one("lectures", &[("image", "a.png", PNG), ("image", "b.png", PNG)]), "Bad Request"),
        (one("lectures", &[]), "Bad Request"),
        (many("lectures", &six), "Bad Request"),
        (many("lectures", &[("images", "a.png", PNG), ("images", "b.txt", b"text")]), "InvalidImageType"),
    ];
    for (event, code) in cases {
        let route = event.0["rawPath"].clone();
        let r = h.invoke(event).await;
        assert_eq!((r.status, r.code()), (400, code), "{route}: {:?}", r.body);
    }
    let r = h
        .invoke(Event::new("POST", "/uploads/lectures/image", "/uploads/{folder}/image").json(&json!({})))
        .await;
    assert_eq!(r.status, 400, "not multipart");
    assert!(
        !h.images.join("lectures").exists()
            || std::fs::read_dir(h.images.join("lectures")).unwrap().count() == 0,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn only_a_recent_upload_that_nothing_shows_can_be_deleted() {
    let h = Harness::new().await;
    let spare = upload(&h).await;
    let r = h.invoke(delete(&spare)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(!stored(&h, &spare));
    let r = h.invoke(delete(&spare)).await;
    assert_eq!((r.status, r.code()), (403, "ImageNotDeletable"));
    // An image a lecturer profile shows is claimed: it stays.
    let shown = upload(&h).await;
    let (_, user) = member(&h, 1).await;
    let mut body = lecturer_body("사진");
    body["profileImageUrls"] = json!([shown.clone()]);
    assert_eq!(h.invoke(post_lecturer(&user, &body)).await.status, 201);
    let r = h.invoke(delete(&shown)).await;
    assert_eq!((r.status, r.code()), (403, "ImageNotDeletable"));
    assert!(stored(&h, &shown));
    // So is an image a class's curriculum shows.
    let embedded = upload(&h).await;
    crate::auth::make_lecturer(&h, 1, 7).await;
    let mut class = crate::lectures::one_day_body();
    class["curriculum"] = json!(format!("<p>동작</p><img src=\"{embedded}\">"));
    let teacher = h.token(Role::Lecturer(7));
    assert_eq!(h.invoke(crate::lectures::post_lecture(&teacher, &class)).await.status, 201);
    let r = h.invoke(delete(&embedded)).await;
    assert_eq!((r.status, r.code()), (403, "ImageNotDeletable"));
    // A day later, an unclaimed upload is no longer ours to delete.
    let old = upload(&h).await;
    {
        use connection_table::{Table, Update};
        let key = connection_model::keys::upload(old.strip_prefix(&format!("{IMAGE_BASE}/")).unwrap());
        let expired = connection_tests::now_epoch() - 1;
        h.table.update(&key, Update::new().set("ttl", expired), None).await.unwrap();
    }
    let r = h.invoke(delete(&old)).await;
    assert_eq!((r.status, r.code()), (403, "ImageNotDeletable"));
    for url in [
        "https://evil.example.com/lectures/a.png",
        &format!("{IMAGE_BASE}/users/1/a.png"),
        &format!("{IMAGE_BASE}/../x"),
    ] {
        let r = h.invoke(delete(url)).await;
        assert_eq!((r.status, r.code()), (400, "InvalidImageUrl"), "{url}");
    }
}

async fn upload(h: &Harness) -> String {
    let r = h.invoke(one("lecturers", &[("image", "a.png", PNG)])).await;
    r.data()["imageUrl"].as_str().unwrap().to_string()
}

fn presign(folder: &str, body: serde_json::Value) -> Event {
    Event::new("POST", &format!("/uploads/{folder}/presigned"), "/uploads/{folder}/presigned").json(&body)
}

#[tokio::test]
async fn members_get_presigned_uploads_bound_to_a_type_and_size() {
    let h = Harness::new().await;
    let (_, user) = member(&h, 1).await;
    let body = json!({"contentType": "image/png", "contentLength": "2048"});
    let r = h.invoke(presign("lectures", body.clone()).bearer(&user)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let d = r.data();
    assert_eq!(d["method"], "PUT");
    assert_eq!(
        d["headers"],
        json!({"content-type": "image/png", "content-length": "2048", "x-amz-tagging": "upload=unclaimed"})
    );
    assert!(d["imageUrl"].as_str().unwrap().starts_with(&format!("{IMAGE_BASE}/lectures/")));
    assert!(d["uploadUrl"].as_str().unwrap().contains("/_local/uploads/"));
    assert_eq!(d["expiresIn"], 900);
    // The local folder takes the PUT it signed, once, with the signed type and size only.
    let token = d["uploadUrl"].as_str().unwrap().rsplit('/').next().unwrap();
    assert!(h.blobs.redeem(token, "image/png", 100).is_none(), "another size");
    assert!(h.blobs.redeem(token, "image/gif", 2048).is_none(), "another type");
    assert!(h.blobs.redeem(token, "image/png", 2048).is_some());
    assert!(h.blobs.redeem(token, "image/png", 2048).is_none(), "a second PUT");
    assert!(h.blobs.redeem("forged", "image/png", 2048).is_none());
    let lecturer = {
        crate::auth::make_lecturer(&h, 1, 7).await;
        h.token(Role::Lecturer(7))
    };
    assert_eq!(h.invoke(presign("lecturers", body.clone()).bearer(&lecturer)).await.status, 201);
    for (payload, code) in [
        (json!({"contentType": "image/svg+xml", "contentLength": 10}), "InvalidImageType"),
        (json!({"contentType": "image/png", "contentLength": 10 * 1024 * 1024 + 1}), "FileTooLarge"),
        (json!({"contentType": "image/png", "contentLength": 0}), "FileTooLarge"),
        (json!({"contentType": "image/png"}), "Bad Request"),
    ] {
        let r = h.invoke(presign("lectures", payload.clone()).bearer(&user)).await;
        assert_eq!((r.status, r.code()), (400, code), "{payload}");
    }
    let r = h.invoke(presign("secrets", body.clone()).bearer(&user)).await;
    assert_eq!((r.status, r.code()), (400, "InvalidFolder"));
    let r = h.invoke(presign("lectures", body.clone())).await;
    assert_eq!((r.status, r.code()), (401, "NoAuthToken"));
    let r = h.invoke(presign("lectures", body).bearer(&h.token(Role::User(999)))).await;
    assert_eq!((r.status, r.code()), (400, "InvalidUserInformation"));
}

#[tokio::test]
async fn an_image_whose_deletion_started_cannot_be_shown() {
    use connection_table::{Table, Update};
    let h = Harness::new().await;
    let going = upload(&h).await;
    let key = connection_model::keys::upload(going.strip_prefix(&format!("{IMAGE_BASE}/")).unwrap());
    // `DELETE /uploads` has marked the record and is deleting the object.
    h.table.update(&key, Update::new().set(connection_model::DELETING, true), None).await.unwrap();
    let (user_id, user) = member(&h, 1).await;
    let mut body = lecturer_body("지우는중");
    body["profileImageUrls"] = json!([going.clone()]);
    let r = h.invoke(post_lecturer(&user, &body)).await;
    assert_eq!((r.status, r.code()), (400, "ImageDeleted"));
    let account = connection_model::user::find(h.table.as_ref(), user_id).await.unwrap().unwrap();
    assert_eq!(account.lecturer_id, None, "nothing was saved");
    crate::auth::make_lecturer(&h, user_id, 7).await;
    let mut class = crate::lectures::one_day_body();
    class["images"] = json!([going]);
    let r = h.invoke(crate::lectures::post_lecture(&h.token(Role::Lecturer(7)), &class)).await;
    assert_eq!((r.status, r.code()), (400, "ImageDeleted"));
}
