//! What every function's router shares around its area's routes: the envelopes, the 404 answer,
//! request logs and the health check.

use axum::Router;
use axum::middleware::from_fn;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::Data;
use crate::envelope::{envelope, not_found};
use crate::logging::log_requests;
use crate::openapi::{Envelope, ErrorBody};

/// An area's routes (state already applied), ready to serve.
pub fn finish(routes: Router) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(from_fn(envelope))
        .layer(from_fn(log_requests))
}

/// `GET /` — the health check (api.md §1).
pub fn health<S: Clone + Send + Sync + 'static>() -> OpenApiRouter<S> {
    OpenApiRouter::new().routes(routes!(hello))
}

/// Says hello: the API is up.
#[utoipa::path(get, path = "/", tag = "health", responses(
    (status = 200, description = "The API is up", body = Envelope<String>),
    (status = "default", description = "An error", body = ErrorBody),
))]
async fn hello() -> Data<&'static str> {
    Data("Hello World!")
}
