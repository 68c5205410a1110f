//! The local stack's sign-in.

use async_trait::async_trait;

use crate::oauth::{OAuthError, OAuthVerifier, Provider, SocialProfile};

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
