use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::any;
use connection_adapters::oauth_http::{HttpOAuth, ProviderUrls};
use connection_adapters::{OAuthError, OAuthVerifier, Provider, SocialProfile};
use serde_json::{Value, json};

const KAKAO_APP: i64 = 1_234_567;
const GOOGLE_CLIENT: &str = "1234-abc.apps.googleusercontent.com";

/// A provider stub: each path answers its `(status, body)` after `delay`; it records the path
/// and `Authorization` header of every request.
struct Stub {
    urls: ProviderUrls,
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

async fn stub(answers: Vec<(&'static str, u16, Value)>, delay: Duration) -> Stub {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new().route(
        "/{*path}",
        any(move |uri: Uri, headers: HeaderMap| {
            let (log, answers) = (log.clone(), answers.clone());
            async move {
                let auth = headers.get("authorization").and_then(|h| h.to_str().ok()).unwrap_or_default();
                log.lock().unwrap().push((uri.to_string(), auth.to_string()));
                tokio::time::sleep(delay).await;
                let (status, body) = answers
                    .iter()
                    .find(|(path, ..)| uri.path() == *path)
                    .map(|(_, status, body)| (*status, body.clone()))
                    .unwrap_or((404, json!({})));
                (StatusCode::from_u16(status).unwrap(), axum::Json(body))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let urls = ProviderUrls {
        kakao: format!("{base}/v2/user/me"),
        kakao_token_info: format!("{base}/v1/user/access_token_info"),
        kakao_app_id: Some(KAKAO_APP),
        google: format!("{base}/v1/userinfo"),
        google_token_info: format!("{base}/tokeninfo"),
        google_client_id: Some(GOOGLE_CLIENT.into()),
        naver: format!("{base}/v1/nid/me"),
        naver_enabled: true,
    };
    Stub { urls, seen }
}

fn kakao_info(app_id: i64) -> (&'static str, u16, Value) {
    ("/v1/user/access_token_info", 200, json!({"id": 3141592653u64, "expires_in": 7199, "app_id": app_id}))
}

/// Google's tokeninfo: every value a string.
fn google_info(aud: &str) -> (&'static str, u16, Value) {
    let info = json!({"azp": aud, "aud": aud, "sub": "110248495921238986420", "scope": "openid email profile",
        "exp": "1735689600", "expires_in": "3599", "email": "minji@gmail.com", "email_verified": "true"});
    ("/tokeninfo", 200, info)
}

fn profile_path(provider: Provider) -> &'static str {
    match provider {
        Provider::Kakao => "/v2/user/me",
        Provider::Google => "/v1/userinfo",
        Provider::Naver => "/v1/nid/me",
    }
}

/// Verifies a token against a stub whose profile endpoint answers `status` and `body`, with
/// token info that says the token is ours.
async fn verify(provider: Provider, status: u16, body: Value) -> Result<SocialProfile, OAuthError> {
    let answers =
        vec![(profile_path(provider), status, body), kakao_info(KAKAO_APP), google_info(GOOGLE_CLIENT)];
    verify_with(provider, answers).await
}

async fn verify_with(
    provider: Provider,
    answers: Vec<(&'static str, u16, Value)>,
) -> Result<SocialProfile, OAuthError> {
    let stub = stub(answers, Duration::ZERO).await;
    let oauth = HttpOAuth::new(stub.urls.clone(), Duration::from_secs(2));
    let result = oauth.verify(provider, "provider-token").await;
    let seen = stub.seen.lock().unwrap().clone();
    let profile =
        seen.iter().find(|(uri, _)| uri == profile_path(provider)).expect("the profile was fetched");
    assert_eq!(profile.1, "Bearer provider-token");
    result
}

fn profile(email: &str) -> Result<SocialProfile, OAuthError> {
    Ok(SocialProfile { email: email.into() })
}

fn kakao_ok() -> Value {
    json!({"id": 3141592653u64, "connected_at": "2024-03-02T05:11:09Z", "kakao_account": {
        "email_needs_agreement": false, "is_email_valid": true, "is_email_verified": true, "email": "dancer@kakao.com"}})
}

#[tokio::test]
async fn a_token_issued_to_another_app_is_rejected() {
    let answers = vec![(profile_path(Provider::Kakao), 200, kakao_ok()), kakao_info(999)];
    assert_eq!(verify_with(Provider::Kakao, answers).await, Err(OAuthError::Rejected));
    let google = json!({"email": "minji@gmail.com", "email_verified": true, "sub": "1"});
    let answers = vec![(profile_path(Provider::Google), 200, google.clone()), google_info("someone-else")];
    assert_eq!(verify_with(Provider::Google, answers).await, Err(OAuthError::Rejected));
    let invalid =
        ("/tokeninfo", 400, json!({"error": "invalid_token", "error_description": "Invalid Value"}));
    let answers = vec![(profile_path(Provider::Google), 200, google), invalid];
    assert_eq!(verify_with(Provider::Google, answers).await, Err(OAuthError::Rejected));
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
    let stub = stub(vec![google_info(GOOGLE_CLIENT)], Duration::from_secs(5)).await;
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
        kakao_token_info: "http://127.0.0.1:9/v1/user/access_token_info".into(),
        google: "http://127.0.0.1:9/v1/userinfo".into(),
        google_token_info: "http://127.0.0.1:9/tokeninfo".into(),
        naver: "http://127.0.0.1:9/v1/nid/me".into(),
        naver_enabled: true,
        ..ProviderUrls::default()
    };
    let oauth = HttpOAuth::new(dead, Duration::from_millis(500));
    assert!(matches!(oauth.verify(Provider::Kakao, "t").await, Err(OAuthError::Unavailable(_))));
    assert_eq!(oauth.verify(Provider::Kakao, " ").await, Err(OAuthError::Rejected));
}

#[tokio::test]
async fn naver_sign_in_is_off_unless_turned_on_and_never_asks_naver() {
    let ok = json!({"resultcode": "00", "message": "success", "response": {"id": "x", "email": "openapi@naver.com"}});
    let stub = stub(vec![("/v1/nid/me", 200, ok)], Duration::ZERO).await;
    let oauth = HttpOAuth::new(ProviderUrls { naver_enabled: false, ..stub.urls }, Duration::from_secs(2));
    assert_eq!(oauth.verify(Provider::Naver, "another-apps-token").await, Err(OAuthError::Disabled));
    assert!(stub.seen.lock().unwrap().is_empty(), "Naver was called");
    assert!(!ProviderUrls::default().naver_enabled, "off by default");
}

#[tokio::test]
async fn provider_errors_do_not_carry_the_url_or_its_token() {
    let oauth = HttpOAuth::new(
        ProviderUrls {
            google: "http://127.0.0.1:9/v1/userinfo".into(),
            google_token_info: "http://127.0.0.1:9/tokeninfo".into(),
            google_client_id: Some(GOOGLE_CLIENT.into()),
            ..ProviderUrls::default()
        },
        Duration::from_millis(500),
    );
    let Err(OAuthError::Unavailable(cause)) = oauth.verify(Provider::Google, "secret-token-123").await else {
        panic!("an unreachable Google is unavailable");
    };
    assert!(!cause.contains("secret-token-123") && !cause.contains("127.0.0.1"), "{cause}");
}
