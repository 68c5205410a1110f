use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::any;
use connection_adapters::{HttpOAuth, OAuthError, OAuthVerifier, Provider, ProviderUrls, SocialProfile};
use serde_json::{Value, json};

/// A provider stub: every request gets `status` and `body` after `delay`; it records the
/// `Authorization` headers it saw.
struct Stub {
    urls: ProviderUrls,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn stub(status: u16, body: Value, delay: Duration) -> Stub {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new().route(
        "/{*path}",
        any(move |headers: HeaderMap| {
            let (log, body) = (log.clone(), body.clone());
            async move {
                let auth = headers.get("authorization").and_then(|h| h.to_str().ok()).unwrap_or_default();
                log.lock().unwrap().push(auth.to_string());
                tokio::time::sleep(delay).await;
                (StatusCode::from_u16(status).unwrap(), axum::Json(body))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let urls = ProviderUrls {
        kakao: format!("{base}/v2/user/me"),
        google: format!("{base}/v1/userinfo"),
        naver: format!("{base}/v1/nid/me"),
    };
    Stub { urls, seen }
}

async fn verify(provider: Provider, status: u16, body: Value) -> Result<SocialProfile, OAuthError> {
    let stub = stub(status, body, Duration::ZERO).await;
    let oauth = HttpOAuth::new(stub.urls.clone(), Duration::from_secs(2));
    let result = oauth.verify(provider, "provider-token").await;
    assert_eq!(stub.seen.lock().unwrap().as_slice(), ["Bearer provider-token"]);
    result
}

fn profile(email: &str) -> Result<SocialProfile, OAuthError> {
    Ok(SocialProfile { email: email.into() })
}

#[tokio::test]
async fn kakao_profiles_give_a_verified_email_or_nothing() {
    let ok = json!({"id": 3141592653u64, "connected_at": "2024-03-02T05:11:09Z", "kakao_account": {
        "profile_nickname_needs_agreement": false, "profile": {"nickname": "춤추는곰", "is_default_nickname": false},
        "email_needs_agreement": false, "is_email_valid": true, "is_email_verified": true, "email": "dancer@kakao.com"}});
    assert_eq!(verify(Provider::Kakao, 200, ok.clone()).await, profile("dancer@kakao.com"));
    let no_consent = json!({"id": 3141592653u64, "connected_at": "2024-03-02T05:11:09Z", "kakao_account": {
        "profile_nickname_needs_agreement": false, "profile": {"nickname": "춤추는곰"}, "email_needs_agreement": true}});
    assert_eq!(verify(Provider::Kakao, 200, no_consent).await, Err(OAuthError::NoVerifiedEmail));
    let mut unverified = ok;
    unverified["kakao_account"]["is_email_verified"] = json!(false);
    assert_eq!(verify(Provider::Kakao, 200, unverified).await, Err(OAuthError::NoVerifiedEmail));
    let expired = json!({"msg": "this access token is already expired", "code": -401});
    assert_eq!(verify(Provider::Kakao, 401, expired).await, Err(OAuthError::Rejected));
}

#[tokio::test]
async fn google_userinfo_needs_email_verified() {
    let ok = json!({"sub": "110248495921238986420", "name": "Kim Minji", "picture": "https://lh3.googleusercontent.com/a/x",
        "email": "minji@gmail.com", "email_verified": true, "locale": "ko"});
    assert_eq!(verify(Provider::Google, 200, ok.clone()).await, profile("minji@gmail.com"));
    let mut unverified = ok.clone();
    unverified["email_verified"] = json!(false);
    assert_eq!(verify(Provider::Google, 200, unverified).await, Err(OAuthError::NoVerifiedEmail));
    let mut no_email = ok;
    no_email.as_object_mut().unwrap().remove("email");
    assert_eq!(verify(Provider::Google, 200, no_email).await, Err(OAuthError::NoVerifiedEmail));
    let invalid = json!({"error": "invalid_request", "error_description": "Invalid Credentials"});
    assert_eq!(verify(Provider::Google, 401, invalid).await, Err(OAuthError::Rejected));
}

#[tokio::test]
async fn naver_answers_with_a_result_code() {
    let ok = json!({"resultcode": "00", "message": "success", "response": {"id": "32742776", "nickname": "OpenAPI",
        "name": "오픈 API", "email": "openapi@naver.com", "gender": "F", "mobile": "010-0000-0000"}});
    assert_eq!(verify(Provider::Naver, 200, ok).await, profile("openapi@naver.com"));
    let no_email = json!({"resultcode": "00", "message": "success", "response": {"id": "32742776"}});
    assert_eq!(verify(Provider::Naver, 200, no_email).await, Err(OAuthError::NoVerifiedEmail));
    let failed = json!({"resultcode": "024", "message": "Authentication failed"});
    assert_eq!(verify(Provider::Naver, 401, failed).await, Err(OAuthError::Rejected));
}

#[tokio::test]
async fn server_errors_and_garbage_are_unavailability() {
    for provider in [Provider::Kakao, Provider::Google, Provider::Naver] {
        let r = verify(provider, 503, json!({"msg": "internal error", "code": -1})).await;
        assert!(matches!(r, Err(OAuthError::Unavailable(_))), "{provider:?}: {r:?}");
        let r = verify(provider, 200, json!("not a profile")).await;
        assert!(matches!(r, Err(OAuthError::Unavailable(_))), "{provider:?}: {r:?}");
    }
}

#[tokio::test]
async fn a_slow_provider_times_out() {
    let stub = stub(200, json!({}), Duration::from_secs(5)).await;
    let oauth = HttpOAuth::new(stub.urls, Duration::from_millis(200));
    let started = std::time::Instant::now();
    let r = oauth.verify(Provider::Google, "token").await;
    assert!(matches!(r, Err(OAuthError::Unavailable(_))), "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn an_unreachable_provider_is_unavailable_and_an_empty_token_is_rejected() {
    let dead = ProviderUrls {
        kakao: "http://127.0.0.1:9/v2/user/me".into(),
        google: "http://127.0.0.1:9/v1/userinfo".into(),
        naver: "http://127.0.0.1:9/v1/nid/me".into(),
    };
    let oauth = HttpOAuth::new(dead, Duration::from_millis(500));
    assert!(matches!(oauth.verify(Provider::Kakao, "t").await, Err(OAuthError::Unavailable(_))));
    assert_eq!(oauth.verify(Provider::Kakao, " ").await, Err(OAuthError::Rejected));
}
