//! The passes area (api.md §7): lecturers sell passes (several classes paid at once) and stop
//! selling them; learners see the passes they bought and which of them a class accepts.

mod held;
mod issue;
mod read;
mod views;

use axum::Router;
use axum::extract::FromRef;
use connection_http::{ApiError, Core};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The ports the passes area uses.
#[derive(Clone, FromRef)]
pub struct PassesState {
    pub core: Core,
}

/// The route table of the passes function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<PassesState> {
    OpenApiRouter::new()
        .routes(routes!(issue::create))
        .routes(routes!(issue::deactivate))
        .routes(routes!(read::pass))
        .routes(routes!(read::issued))
        .routes(routes!(read::issued_one))
        .routes(routes!(read::lecture_passes))
        .routes(routes!(read::lecturer_passes))
        .routes(routes!(held::user_passes))
        .routes(routes!(held::user_pass))
        .routes(routes!(held::usable_passes))
}

/// The passes function's routes with their state, for the local stack to merge.
pub fn router(state: PassesState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `passes` function serves.
pub fn function(state: PassesState) -> Router {
    connection_http::serve::finish(router(state))
}

fn pass_not_found() -> ApiError {
    ApiError::not_found("PassNotFound", "패스권이 존재하지 않습니다.")
}
