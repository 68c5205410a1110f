//! Every API area as one axum router. A Lambda function runs its area's router with
//! `lambda_http::run`; the local stack merges them all. The same code serves both.
//!
//! Where to find a route: `<area>/mod.rs` holds the area's route table.

pub mod app;
pub mod auth;
pub mod guards;
pub mod keys;
pub mod lecturers;
pub mod lookups;
pub mod state;
pub mod users;

use axum::Router;
use axum::middleware::from_fn;
use connection_http::envelope::{envelope, not_found};
use connection_http::logging::log_requests;

pub use state::AppState;

/// Adds what every area shares: the envelopes, the 404 answer and request logs.
fn finish(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(from_fn(envelope))
        .layer(from_fn(log_requests))
        .with_state(state)
}

/// The `users` function: the health check and the users area.
pub fn users_function(state: AppState) -> Router {
    finish(app::routes().merge(users::routes()), state)
}

/// The `auth` function: sign-in, tokens and SMS verification.
pub fn auth_function(state: AppState) -> Router {
    finish(auth::routes(), state)
}

/// Every area on one router (the local stack), plus `extra` routes of its own.
pub fn all_areas(state: AppState, extra: Router<AppState>) -> Router {
    finish(app::routes().merge(users::routes()).merge(auth::routes()).merge(extra), state)
}
