//! The lecturers area (api.md §4.1–4.4, 4.6–4.7, 4.16–4.18): becoming a lecturer, the profile
//! and its nickname, likes and blocks of lecturers, and the popular lecturers.

mod follows;
mod nickname;
mod popular;
mod profile;
mod views;

use axum::Router;
use axum::extract::FromRef;
use connection_http::{ApiError, Core};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What the lecturers area reads from its configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `LECTURER_PHONE_VERIFICATION=required`: becoming a lecturer needs a phone number the user
    /// verified by SMS. Off by default: the web client has no SMS step.
    pub phone_verification_required: bool,
    /// Where our uploaded images are served; profile images must be ours.
    pub image_base: String,
}

impl Settings {
    pub fn from_env(image_base: String) -> Result<Self, String> {
        let phone_verification_required = match std::env::var("LECTURER_PHONE_VERIFICATION").as_deref() {
            Ok("required") => true,
            Ok("off") | Err(_) => false,
            Ok(other) => {
                return Err(format!("LECTURER_PHONE_VERIFICATION must be required or off, not {other}"));
            }
        };
        Ok(Settings { phone_verification_required, image_base })
    }
}

/// The ports the lecturers area uses.
#[derive(Clone, FromRef)]
pub struct LecturersState {
    pub core: Core,
    pub settings: Settings,
}

/// The route table of the lecturers function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<LecturersState> {
    OpenApiRouter::new()
        .routes(routes!(profile::become_lecturer))
        .routes(routes!(profile::update_profile))
        .routes(routes!(profile::public_profile))
        .routes(routes!(profile::my_basic_profile))
        .routes(routes!(nickname::available, nickname::change))
        .routes(routes!(follows::like, follows::unlike))
        .routes(routes!(follows::likes))
        .routes(routes!(follows::block, follows::unblock))
        .routes(routes!(follows::blocks))
        .routes(routes!(popular::popular_lecturers))
}

/// The lecturers function's routes with their state, for the local stack to merge.
pub fn router(state: LecturersState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `lecturers` function serves.
pub fn function(state: LecturersState) -> Router {
    connection_http::serve::finish(router(state))
}

fn not_found_lecturer() -> ApiError {
    ApiError::not_found("NotFoundLecturer", "존재하지 않는 강사입니다.")
}

fn nickname_taken() -> ApiError {
    ApiError::bad_request("duplicatedLecturerNickname", "닉네임 중복입니다.")
}
