//! `GET /` — the health check (api.md §1).

use axum::Router;
use axum::routing::get;
use connection_http::Data;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(health))
}

async fn health() -> Data<&'static str> {
    Data("Hello World!")
}
