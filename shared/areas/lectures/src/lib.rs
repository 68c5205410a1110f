//! The lectures area (api.md §5.1–5.7, 5.17, 5.18, 5.21 and §4.12–4.14): classes with their
//! schedules, drafts, likes, the popular and latest lists, and a lecturer's classes.

mod change;
mod create;
mod drafts;
mod input;
mod likes;
mod lists;
mod read;
mod views;

use axum::Router;
use axum::extract::FromRef;
use connection_http::{ApiError, Core};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use create::NEW_LECTURE_NOTICE;

/// What the lectures area reads from its configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where our uploaded images are served; a class's images must be ours.
    pub image_base: String,
}

/// The ports the lectures area uses.
#[derive(Clone, FromRef)]
pub struct LecturesState {
    pub core: Core,
    pub settings: Settings,
}

/// The route table of the lectures function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<LecturesState> {
    OpenApiRouter::new()
        .routes(routes!(create::create, read::retired_listing))
        .routes(routes!(read::preview))
        .routes(routes!(read::detail))
        .routes(routes!(read::schedules))
        .routes(routes!(change::update, change::delete))
        .routes(routes!(drafts::create, drafts::save, drafts::list))
        .routes(routes!(drafts::read))
        .routes(routes!(drafts::discard))
        .routes(routes!(likes::like, likes::unlike))
        .routes(routes!(likes::liked))
        .routes(routes!(lists::popular))
        .routes(routes!(lists::latest_for_members))
        .routes(routes!(lists::latest_for_guests))
        .routes(routes!(lists::mine))
        .routes(routes!(lists::of_lecturer))
        .routes(routes!(lists::in_progress))
}

/// The lectures function's routes with their state, for the local stack to merge.
pub fn router(state: LecturesState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `lectures` function serves.
pub fn function(state: LecturesState) -> Router {
    connection_http::serve::finish(router(state))
}

fn not_found_lecture() -> ApiError {
    ApiError::not_found("NotFoundLecture", "존재하지 않는 강의입니다.")
}

fn not_author() -> ApiError {
    ApiError::bad_request("NotLectureAuthor", "해당 강의의 접근 권한이 없습니다.")
}
