use connection_adapters::Blobs;
use connection_adapters::s3::S3Blobs;

use crate::sns::ministack;

#[tokio::test]
#[ignore = "needs S3 (ministack): run by bash tests/run.sh"]
async fn an_image_is_stored_served_and_deleted() {
    let endpoint = ministack();
    let config = connection_tests::emulator_config(&endpoint).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build(),
    );
    let bucket = format!("images-{}", std::process::id());
    s3.create_bucket().bucket(&bucket).send().await.expect("bucket");
    let blobs = S3Blobs::new(s3.clone(), bucket.clone(), format!("{endpoint}/{bucket}"));
    let png = b"\x89PNG\r\n\x1a\n0000IHDR fake pixels".to_vec();
    let url = blobs.put("users/1/a.png", png.clone().into(), "image/png").await.expect("stored");
    assert_eq!(url, format!("{endpoint}/{bucket}/users/1/a.png"));
    assert_eq!(blobs.key_of(&url).as_deref(), Some("users/1/a.png"));
    assert!(blobs.exists("users/1/a.png").await.expect("head"));
    assert!(!blobs.exists("users/1/b.png").await.expect("head"));
    let object = s3.get_object().bucket(&bucket).key("users/1/a.png").send().await.expect("readable");
    assert_eq!(object.content_type(), Some("image/png"));
    assert_eq!(object.body.collect().await.unwrap().into_bytes().as_ref(), png.as_slice());
    blobs.delete("users/1/a.png").await.expect("deleted");
    assert!(!blobs.exists("users/1/a.png").await.expect("head"));
    assert!(s3.get_object().bucket(&bucket).key("users/1/a.png").send().await.is_err());
}

#[tokio::test]
#[ignore = "needs S3 (ministack): run by bash tests/run.sh"]
async fn a_presigned_put_we_sign_is_taken_and_a_forged_one_is_refused() {
    let endpoint = ministack();
    let config = connection_tests::emulator_config(&endpoint).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build(),
    );
    let bucket = format!("presigned-{}", std::process::id());
    s3.create_bucket().bucket(&bucket).send().await.expect("bucket");
    let blobs = S3Blobs::new(s3.clone(), bucket.clone(), format!("{endpoint}/{bucket}"));
    let png = b"\x89PNG\r\n\x1a\n0000IHDR presigned".to_vec();
    let ttl = std::time::Duration::from_secs(300);
    let url = blobs.presign_put("lectures/p.png", "image/png", png.len() as u64, ttl).await.expect("signed");
    let http = reqwest::Client::new();
    let put = |url: String, body: Vec<u8>| {
        http.put(url)
            .header("content-type", "image/png")
            .header("content-length", body.len())
            .header("x-amz-tagging", connection_adapters::blobs::UNCLAIMED_TAGGING)
            .body(body)
            .send()
    };
    // A forged signature, and a URL signed for another key, are refused.
    let forged = url.replace("X-Amz-Signature=", "X-Amz-Signature=0");
    assert_eq!(put(forged, png.clone()).await.unwrap().status(), 403);
    let other = url.replace("lectures/p.png", "lectures/q.png");
    assert_eq!(put(other, png.clone()).await.unwrap().status(), 403);
    assert!(!blobs.exists("lectures/q.png").await.unwrap());
    let r = put(url, png.clone()).await.unwrap();
    let status = r.status();
    assert!(status.is_success(), "{status}: {}", r.text().await.unwrap_or_default());
    let object = s3.get_object().bucket(&bucket).key("lectures/p.png").send().await.expect("stored");
    assert_eq!(object.body.collect().await.unwrap().into_bytes().as_ref(), png.as_slice());
    let tag = |s3: aws_sdk_s3::Client, bucket: String| async move {
        let tags = s3.get_object_tagging().bucket(bucket).key("lectures/p.png").send().await.expect("tags");
        tags.tag_set().iter().find(|t| t.key() == "upload").map(|t| t.value().to_string())
    };
    assert_eq!(tag(s3.clone(), bucket.clone()).await.as_deref(), Some("unclaimed"));
    blobs.keep("lectures/p.png").await.expect("kept");
    assert_eq!(tag(s3.clone(), bucket.clone()).await.as_deref(), Some("claimed"));
    blobs.keep("lectures/gone.png").await.expect("keeping a deleted upload is no error");
}
