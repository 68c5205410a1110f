//! The providers' HTTP APIs: Kakao user/me, Google userinfo, Naver nid/me, each with the check
//! that the token was issued to our app.

use std::sync::OnceLock;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;

use crate::oauth::{OAuthError, OAuthVerifier, Provider, SocialProfile};

/// Where each provider's endpoints live (overridable for stubs), and which app a token must
/// have been issued to. Without an app id, a provider's audience is not checked.
#[derive(Debug, Clone)]
pub struct ProviderUrls {
    pub kakao: String,
    pub kakao_token_info: String,
    pub kakao_app_id: Option<i64>,
    pub google: String,
    pub google_token_info: String,
    pub google_client_id: Option<String>,
    pub naver: String,
    /// Naver offers no documented way to tell which app a token was issued to (`nid/me` and
    /// `nid/verify` answer for any app's token), so Naver sign-in is off unless `NAVER_SIGN_IN=on`
    /// accepts that risk.
    pub naver_enabled: bool,
}

impl Default for ProviderUrls {
    fn default() -> Self {
        ProviderUrls {
            kakao: "https://kapi.kakao.com/v2/user/me".into(),
            kakao_token_info: "https://kapi.kakao.com/v1/user/access_token_info".into(),
            kakao_app_id: None,
            google: "https://openidconnect.googleapis.com/v1/userinfo".into(),
            google_token_info: "https://oauth2.googleapis.com/tokeninfo".into(),
            google_client_id: None,
            naver: "https://openapi.naver.com/v1/nid/me".into(),
            naver_enabled: false,
        }
    }
}

impl ProviderUrls {
    /// `KAKAO_APP_ID` and `GOOGLE_CLIENT_ID` are required: a token issued to another app must
    /// never sign anyone in. The URLs (`KAKAO_USER_URL`, `KAKAO_TOKEN_INFO_URL`,
    /// `GOOGLE_USER_URL`, `GOOGLE_TOKEN_INFO_URL`, `NAVER_USER_URL`) default to the real ones.
    pub fn from_env() -> Result<Self, String> {
        let d = ProviderUrls::default();
        let var = |name: &str, default: String| std::env::var(name).unwrap_or(default);
        let required = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        let kakao_app_id = required("KAKAO_APP_ID")?.parse().map_err(|_| "KAKAO_APP_ID must be a number")?;
        Ok(ProviderUrls {
            kakao: var("KAKAO_USER_URL", d.kakao),
            kakao_token_info: var("KAKAO_TOKEN_INFO_URL", d.kakao_token_info),
            kakao_app_id: Some(kakao_app_id),
            google: var("GOOGLE_USER_URL", d.google),
            google_token_info: var("GOOGLE_TOKEN_INFO_URL", d.google_token_info),
            google_client_id: Some(required("GOOGLE_CLIENT_ID")?),
            naver: var("NAVER_USER_URL", d.naver),
            naver_enabled: match std::env::var("NAVER_SIGN_IN").as_deref() {
                Ok("on") => true,
                Ok("off") | Err(_) => false,
                Ok(_) => return Err("NAVER_SIGN_IN must be on or off".into()),
            },
        })
    }
}

pub struct HttpOAuth {
    /// Built on first use: loading the TLS roots costs milliseconds of cold start, which
    /// functions that never sign anyone in should not pay.
    client: OnceLock<Result<reqwest::Client, String>>,
    timeout: Duration,
    urls: ProviderUrls,
}

impl HttpOAuth {
    pub fn new(urls: ProviderUrls, timeout: Duration) -> Self {
        HttpOAuth { client: OnceLock::new(), timeout, urls }
    }

    fn client(&self) -> Result<&reqwest::Client, OAuthError> {
        let built = self.client.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.timeout)
                .build()
                .map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|e| OAuthError::Unavailable(e.clone()))
    }
}

#[derive(Deserialize)]
struct KakaoTokenInfo {
    app_id: i64,
}

/// Google's tokeninfo answers every value as a string.
#[derive(Deserialize)]
struct GoogleTokenInfo {
    aud: Option<String>,
    azp: Option<String>,
}

#[derive(Deserialize)]
struct KakaoAccount {
    email: Option<String>,
    is_email_valid: Option<bool>,
    is_email_verified: Option<bool>,
}

#[derive(Deserialize)]
struct KakaoUser {
    kakao_account: Option<KakaoAccount>,
}

#[derive(Deserialize)]
struct GoogleUser {
    email: Option<String>,
    email_verified: Option<bool>,
}

#[derive(Deserialize)]
struct NaverProfile {
    email: Option<String>,
}

#[derive(Deserialize)]
struct NaverUser {
    resultcode: String,
    response: Option<NaverProfile>,
}

fn verified(email: Option<String>, verified: bool) -> Result<SocialProfile, OAuthError> {
    match email.filter(|e| !e.trim().is_empty()) {
        Some(email) if verified => Ok(SocialProfile { email }),
        _ => Err(OAuthError::NoVerifiedEmail),
    }
}

/// Statuses by which providers refuse a token.
const REFUSED: &[u16] = &[401, 403];
/// Google's tokeninfo also answers 400 for an invalid, expired or revoked token.
const TOKENINFO_REFUSED: &[u16] = &[400, 401, 403];

/// Sends a provider request: the body of a 2xx, `Rejected` for a `refused` status,
/// `Unavailable` for anything else.
async fn fetch(
    request: reqwest::RequestBuilder,
    provider: Provider,
    refused: &[u16],
) -> Result<bytes::Bytes, OAuthError> {
    // Errors are logged: keep URLs (Google's carries the token in its query) out of them.
    let unavailable = |e: reqwest::Error| OAuthError::Unavailable(e.without_url().to_string());
    let response = request.send().await.map_err(unavailable)?;
    let status = response.status();
    if refused.contains(&status.as_u16()) {
        return Err(OAuthError::Rejected);
    }
    if !status.is_success() {
        return Err(OAuthError::Unavailable(format!("{provider:?} answered {status}")));
    }
    response.bytes().await.map_err(unavailable)
}

impl HttpOAuth {
    /// Checks that the token was issued to our app (Kakao app id, Google client id). Naver has
    /// no such endpoint; its tokens only work with the app's own client secret.
    async fn audience(
        &self,
        client: &reqwest::Client,
        provider: Provider,
        token: &str,
    ) -> Result<(), OAuthError> {
        let malformed =
            |e: serde_json::Error| OAuthError::Unavailable(format!("{provider:?} token info: {e}"));
        match provider {
            Provider::Kakao => {
                let Some(app_id) = self.urls.kakao_app_id else { return Ok(()) };
                let request = client.get(&self.urls.kakao_token_info).bearer_auth(token);
                let body = fetch(request, provider, REFUSED).await?;
                let info: KakaoTokenInfo = serde_json::from_slice(&body).map_err(malformed)?;
                if info.app_id != app_id {
                    return Err(OAuthError::Rejected);
                }
            }
            Provider::Google => {
                let Some(client_id) = &self.urls.google_client_id else { return Ok(()) };
                let request = client.get(&self.urls.google_token_info).query(&[("access_token", token)]);
                let body = fetch(request, provider, TOKENINFO_REFUSED).await?;
                let info: GoogleTokenInfo = serde_json::from_slice(&body).map_err(malformed)?;
                let ours = |v: &Option<String>| v.as_deref().is_none_or(|v| v == client_id);
                if info.aud.as_deref() != Some(client_id.as_str()) || !ours(&info.azp) {
                    return Err(OAuthError::Rejected);
                }
            }
            Provider::Naver => {}
        }
        Ok(())
    }
}

#[async_trait]
impl OAuthVerifier for HttpOAuth {
    async fn verify(&self, provider: Provider, access_token: &str) -> Result<SocialProfile, OAuthError> {
        if provider == Provider::Naver && !self.urls.naver_enabled {
            return Err(OAuthError::Disabled);
        }
        if access_token.trim().is_empty() {
            return Err(OAuthError::Rejected);
        }
        let client = self.client()?;
        let url = match provider {
            Provider::Kakao => &self.urls.kakao,
            Provider::Google => &self.urls.google,
            Provider::Naver => &self.urls.naver,
        };
        // The audience check and the profile are fetched together.
        let (audience, body) = tokio::join!(
            self.audience(client, provider, access_token),
            fetch(client.get(url).bearer_auth(access_token), provider, REFUSED)
        );
        audience?;
        let body = body?;
        let malformed = |e: serde_json::Error| OAuthError::Unavailable(format!("{provider:?} profile: {e}"));
        match provider {
            Provider::Kakao => {
                let account = serde_json::from_slice::<KakaoUser>(&body).map_err(malformed)?.kakao_account;
                let account = account.ok_or(OAuthError::NoVerifiedEmail)?;
                let ok = account.is_email_valid == Some(true) && account.is_email_verified == Some(true);
                verified(account.email, ok)
            }
            Provider::Google => {
                let user = serde_json::from_slice::<GoogleUser>(&body).map_err(malformed)?;
                verified(user.email, user.email_verified == Some(true))
            }
            Provider::Naver => {
                let user = serde_json::from_slice::<NaverUser>(&body).map_err(malformed)?;
                if user.resultcode != "00" {
                    return Err(OAuthError::Rejected);
                }
                // Naver only hands out e-mails it has verified.
                verified(user.response.and_then(|p| p.email), true)
            }
        }
    }
}
