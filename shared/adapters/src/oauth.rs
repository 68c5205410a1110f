//! The OAuth verifier port: a provider access token in, the verified e-mail of its owner out.
//! Adapters: `oauth_http` (the providers' APIs) and `sandbox` (the local stack).

use async_trait::async_trait;

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
    /// Sign-in with this provider is turned off.
    #[error("sign-in with this provider is turned off")]
    Disabled,
    /// The provider failed or did not answer in time.
    #[error("the provider is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait OAuthVerifier: Send + Sync {
    async fn verify(&self, provider: Provider, access_token: &str) -> Result<SocialProfile, OAuthError>;
}
