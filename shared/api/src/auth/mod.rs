//! The auth area (api.md §2): social sign-in, tokens (verify, refresh, switch, logout) and SMS
//! phone verification.

mod session;
mod signin;
mod sms;
mod tokens;

use axum::Router;
use axum::routing::{get, post};

pub use session::{Issued, start as start_session};
pub use signin::grant_sign_up;
pub use tokens::tokens_reply;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/oauth/signin/{provider}", get(signin::sign_in))
        .route("/auth/token/verify/user-access-token", get(tokens::verify_user))
        .route("/auth/token/verify/lecturer-access-token", get(tokens::verify_lecturer))
        .route("/auth/token/switch-user-to-lecturer", get(tokens::switch_to_lecturer))
        .route("/auth/token/switch-lecturer-to-user", get(tokens::switch_to_user))
        .route("/auth/token/refresh", get(tokens::refresh))
        .route("/auth/token/logout", post(tokens::logout))
        .route("/auth/sms", post(sms::send_code).get(sms::check_code))
}
