//! The OAuth verifier port: a provider access token in, the verified e-mail of its owner out.
//! One HTTP adapter per provider (Kakao user/me, Google userinfo, Naver nid/me), and a sandbox
//! for the local stack.

use std::sync::OnceLock;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Kakao,
    Google,
    Naver,
}

impl Provider {
    /// The path segment, in any letter case (`kakao`, `KAKAO`).
    pub fn parse(name: &str) -> Option<Provider> {
        match name.to_ascii_lowercase().as_str() {
            "kakao" => Some(Provider::Kakao),
            "google" => Some(Provider::Google),
            "naver" => Some(Provider::Naver),
            _ => None,
        }
    }

    /// The `SignUpType` name.
    pub fn sign_up_type(self) -> &'static str {
        match self {
            Provider::Kakao => "KAKAO",
            Provider::Google => "GOOGLE",
            Provider::Naver => "NAVER",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialProfile {
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// The provider refused the token (invalid, expired, revoked).
    #[error("the provider rejected the token")]
    Rejected,
    /// The profile carries no e-mail, or one the provider has not verified.
    #[error("the profile has no verified e-mail")]
    NoVerifiedEmail,
    /// The provider failed or did not answer in time.
    #[error("the provider is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait OAuthVerifier: Send + Sync {
    async fn verify(&self, provider: Provider, access_token: &str) -> Result<SocialProfile, OAuthError>;
}

/// Where each provider's user-info endpoint lives (overridable for stubs).
#[derive(Debug, Clone)]
pub struct ProviderUrls {
    pub kakao: String,
    pub google: String,
    pub naver: String,
}

impl Default for ProviderUrls {
    fn default() -> Self {
        ProviderUrls {
            kakao: "https://kapi.kakao.com/v2/user/me".into(),
            google: "https://openidconnect.googleapis.com/v1/userinfo".into(),
            naver: "https://openapi.naver.com/v1/nid/me".into(),
        }
    }
}

impl ProviderUrls {
    /// `KAKAO_USER_URL`, `GOOGLE_USER_URL`, `NAVER_USER_URL`, each defaulting to the real one.
    pub fn from_env() -> Self {
        let d = ProviderUrls::default();
        let var = |name: &str, default: String| std::env::var(name).unwrap_or(default);
        ProviderUrls {
            kakao: var("KAKAO_USER_URL", d.kakao),
            google: var("GOOGLE_USER_URL", d.google),
            naver: var("NAVER_USER_URL", d.naver),
        }
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

#[async_trait]
impl OAuthVerifier for HttpOAuth {
    async fn verify(&self, provider: Provider, access_token: &str) -> Result<SocialProfile, OAuthError> {
        if access_token.trim().is_empty() {
            return Err(OAuthError::Rejected);
        }
        let client = self.client()?;
        let request = match provider {
            Provider::Kakao => client.get(&self.urls.kakao),
            Provider::Google => client.get(&self.urls.google),
            Provider::Naver => client.get(&self.urls.naver),
        };
        let response = request
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| OAuthError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(OAuthError::Rejected);
        }
        if !status.is_success() {
            return Err(OAuthError::Unavailable(format!("{provider:?} answered {status}")));
        }
        let body = response.bytes().await.map_err(|e| OAuthError::Unavailable(e.to_string()))?;
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

/// The local stack's provider: a token `sandbox:<email>` belongs to that e-mail, for every
/// provider; any other token is rejected.
pub struct SandboxOAuth;

#[async_trait]
impl OAuthVerifier for SandboxOAuth {
    async fn verify(&self, _provider: Provider, access_token: &str) -> Result<SocialProfile, OAuthError> {
        match access_token.strip_prefix("sandbox:") {
            Some(email) if email.contains('@') => Ok(SocialProfile { email: email.to_string() }),
            Some(_) => Err(OAuthError::NoVerifiedEmail),
            None => Err(OAuthError::Rejected),
        }
    }
}
