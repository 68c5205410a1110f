//! The auth area (api.md §2): social sign-in, tokens (verify, refresh, switch, logout) and SMS
//! phone verification.

mod session;
mod signin;
mod sms;
mod tokens;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use connection_adapters::{OAuthVerifier, Sms};
use connection_http::Core;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use session::{Issued, start as start_session};
pub use signin::grant_sign_up;
pub use tokens::tokens_reply;

/// The ports the auth area uses.
#[derive(Clone, FromRef)]
pub struct AuthState {
    pub core: Core,
    pub oauth: Arc<dyn OAuthVerifier>,
    pub sms: Arc<dyn Sms>,
    pub settings: Settings,
}

/// The route table of the auth function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<AuthState> {
    OpenApiRouter::new()
        .routes(routes!(signin::sign_in))
        .routes(routes!(tokens::verify_user))
        .routes(routes!(tokens::verify_lecturer))
        .routes(routes!(tokens::switch_to_lecturer))
        .routes(routes!(tokens::switch_to_user))
        .routes(routes!(tokens::refresh))
        .routes(routes!(tokens::logout))
        .routes(routes!(sms::send_code, sms::check_code))
}

/// The auth function's routes with their state, for the local stack to merge with the others.
pub fn router(state: AuthState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `auth` function serves.
pub fn function(state: AuthState) -> Router {
    connection_http::serve::finish(router(state))
}

/// Tunables read from the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long a sign-in lasts at most, however often its tokens are refreshed or its role
    /// switched (`SESSION_MAX_AGE_SECONDS`).
    pub session_max_age: i64,
    /// SMS a user may send per Korean calendar day (`SMS_USAGE_LIMIT`).
    pub sms_daily_limit: i64,
    /// SMS one phone number may receive per Korean calendar day, whoever asks
    /// (`SMS_PHONE_USAGE_LIMIT`).
    pub sms_phone_daily_limit: i64,
    /// How long an SMS code is valid (`SMS_CODE_TTL_SECONDS`).
    pub sms_code_ttl: i64,
    /// Wrong guesses allowed per SMS code.
    pub sms_max_attempts: i64,
    /// How long a verified phone number counts (`PHONE_VERIFICATION_TTL_SECONDS`).
    pub phone_verification_ttl: i64,
    /// How long after sign-in a new member may sign up (`SIGN_UP_WINDOW_SECONDS`).
    pub sign_up_window: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_max_age: 30 * 24 * 60 * 60,
            sms_daily_limit: 5,
            sms_phone_daily_limit: 5,
            sms_code_ttl: 180,
            sms_max_attempts: 5,
            phone_verification_ttl: 24 * 60 * 60,
            sign_up_window: 30 * 60,
        }
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let d = Settings::default();
        let num = |name: &str, default: i64| -> Result<i64, String> {
            match std::env::var(name) {
                Ok(v) => v.parse().map_err(|_| format!("{name} must be a whole number")),
                Err(_) => Ok(default),
            }
        };
        Ok(Settings {
            session_max_age: num("SESSION_MAX_AGE_SECONDS", d.session_max_age)?,
            sms_daily_limit: num("SMS_USAGE_LIMIT", d.sms_daily_limit)?,
            sms_phone_daily_limit: num("SMS_PHONE_USAGE_LIMIT", d.sms_phone_daily_limit)?,
            sms_code_ttl: num("SMS_CODE_TTL_SECONDS", d.sms_code_ttl)?,
            sms_max_attempts: d.sms_max_attempts,
            phone_verification_ttl: num("PHONE_VERIFICATION_TTL_SECONDS", d.phone_verification_ttl)?,
            sign_up_window: num("SIGN_UP_WINDOW_SECONDS", d.sign_up_window)?,
        })
    }
}
