//! What every function's router shares around its area's routes: the envelopes, the 404 answer,
//! request logs and the health check.

use axum::Router;
use axum::middleware::from_fn;
use axum::routing::get;

use crate::Data;
use crate::envelope::{envelope, not_found};
use crate::logging::log_requests;

/// An area's routes (state already applied), ready to serve.
pub fn finish(routes: Router) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(from_fn(envelope))
        .layer(from_fn(log_requests))
}

/// `GET /` — the health check (api.md §1).
pub fn health() -> Router {
    Router::new().route("/", get(|| async { Data("Hello World!") }))
}
