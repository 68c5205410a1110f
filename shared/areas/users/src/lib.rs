//! The users area (api.md §3): sign-up, nickname check, my page, public card, first image.

mod images;
mod profile;
mod signup;
mod store;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use connection_adapters::Blobs;
use connection_http::error::Message;
use connection_http::{ApiError, Core};
use store::Taken;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// The ports the users area uses.
#[derive(Clone, FromRef)]
pub struct UsersState {
    pub core: Core,
    /// Profile images; `PATCH /users/my-pages` accepts only URLs of objects stored here.
    pub blobs: Arc<dyn Blobs>,
}

/// The route table of the users function: the health check and the users area, each route
/// with its OpenAPI description.
pub fn routes() -> OpenApiRouter<UsersState> {
    OpenApiRouter::new()
        .merge(connection_http::serve::health())
        .routes(routes!(signup::sign_up))
        .routes(routes!(signup::nickname_available))
        .routes(routes!(profile::my_page, profile::update_my_page))
        .routes(routes!(images::upload_first_image).layer(DefaultBodyLimit::max(images::REQUEST_LIMIT)))
        .routes(routes!(profile::public_card))
}

/// The users function's routes with their state, for the local stack to merge with the others.
pub fn router(state: UsersState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `users` function serves.
pub fn function(state: UsersState) -> Router {
    connection_http::serve::finish(router(state))
}

/// A unique value already in use. The sign-up page shows `message[0]`, so the message is a list.
fn taken(what: Taken) -> ApiError {
    let (code, message) = match what {
        Taken::Email => ("DuplicateEmail", "사용 중인 이메일입니다."),
        Taken::Nickname => ("DuplicateNickname", "사용 중인 닉네임입니다."),
        Taken::Phone => ("DuplicatePhoneNumber", "사용 중인 번호입니다."),
        Taken::AuthEmail => ("AlreadyRegisteredEmail", "이미 가입된 이메일입니다."),
    };
    let mut e = ApiError::bad_request(code, message);
    e.message = Message::List(vec![message.to_string()]);
    e
}
