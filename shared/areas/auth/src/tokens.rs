//! `/auth/token/*`: verify, refresh, switch role, logout.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse, Response};
use connection_http::jwt::{Role, TokenType};
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use serde::Serialize;
use utoipa::ToSchema;

use crate::session::{self, Issued, presented, refresh_cookie};
use connection_http::guards::{LecturerSession, UserGuard, UserSession, invalid_lecturer, invalid_user};
use connection_model::{lecturer, user};

use crate::AuthState;

/// `data` of the routes that hand out a user's tokens.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserTokens {
    /// The access token; the refresh token comes as the `refreshToken` cookie.
    pub user_access_token: String,
}

/// `data` of the routes that hand out a lecturer's tokens.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LecturerTokens {
    /// The access token; the refresh token comes as the `refreshToken` cookie.
    pub lecturer_access_token: String,
}

/// `data` of the routes that hand out an admin's tokens.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminTokens {
    pub admin_access_token: String,
}

/// `data` of a route that hands out tokens: those of the role the session holds.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum RoleTokens {
    User(UserTokens),
    Lecturer(LecturerTokens),
    Admin(AdminTokens),
}

/// `set_cookie` as the answer's refresh cookie, around `body`.
pub fn with_cookie(set_cookie: String, body: impl IntoResponse) -> Response {
    (AppendHeaders([(SET_COOKIE, set_cookie)]), body).into_response()
}

/// 200 while the bearer is a valid access token of an existing user.
#[utoipa::path(get, path = "/auth/token/verify/user-access-token", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "Valid", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn verify_user(_: UserGuard) -> Empty {
    Empty
}

/// 200 while the bearer is a valid access token of an existing lecturer.
#[utoipa::path(get, path = "/auth/token/verify/lecturer-access-token", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "Valid", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn verify_lecturer(_: LecturerSession) -> Empty {
    Empty
}

/// The answer of every route that hands out tokens: one `data` key and the refresh cookie.
pub fn tokens_reply(role: Role, issued: Issued) -> Response {
    let token = issued.access_token;
    let data = match role {
        Role::User(_) => RoleTokens::User(UserTokens { user_access_token: token }),
        Role::Lecturer(_) => RoleTokens::Lecturer(LecturerTokens { lecturer_access_token: token }),
        Role::Admin(_) => RoleTokens::Admin(AdminTokens { admin_access_token: token }),
    };
    with_cookie(issued.set_cookie, Data(data))
}

/// The signed-in user continues as their lecturer profile: new tokens, the old session ends.
#[utoipa::path(get, path = "/auth/token/switch-user-to-lecturer", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The lecturer's tokens and refresh cookie", body = Envelope<LecturerTokens>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn switch_to_lecturer(
    State(state): State<AuthState>,
    UserSession(user, claims): UserSession,
) -> Result<Response, ApiError> {
    let lecturer_id = user.lecturer_id.ok_or_else(invalid_lecturer)?;
    let lecturer =
        lecturer::find_active(state.core.table.as_ref(), lecturer_id).await?.ok_or_else(invalid_lecturer)?;
    let role = Role::Lecturer(lecturer.id);
    let issued = session::switch(&state, &claims, role).await?;
    Ok(tokens_reply(role, issued))
}

/// The signed-in lecturer continues as their user: new tokens, the old session ends.
#[utoipa::path(get, path = "/auth/token/switch-lecturer-to-user", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The user's tokens and refresh cookie", body = Envelope<UserTokens>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn switch_to_user(
    State(state): State<AuthState>,
    LecturerSession(lecturer, claims): LecturerSession,
) -> Result<Response, ApiError> {
    let user =
        user::find_active(state.core.table.as_ref(), lecturer.user_id).await?.ok_or_else(invalid_user)?;
    let role = Role::User(user.id);
    let issued = session::switch(&state, &claims, role).await?;
    Ok(tokens_reply(role, issued))
}

fn no_token() -> ApiError {
    ApiError::unauthorized("NoAuthToken", "No auth token")
}

/// Rotates the refresh cookie and hands out a new access token; a replayed cookie ends the session.
#[utoipa::path(get, path = "/auth/token/refresh", tag = "auth", security(("refreshCookie" = [])),
    responses((status = 200, description = "New tokens and refresh cookie", body = Envelope<RoleTokens>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn refresh(State(state): State<AuthState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = presented(&headers).ok_or_else(no_token)?;
    let claims = state.core.tokens.verify(&token, TokenType::Refresh)?;
    let role = match claims.role() {
        Some(Role::User(id)) => {
            user::find_active(state.core.table.as_ref(), id).await?.ok_or_else(invalid_user)?;
            Role::User(id)
        }
        Some(Role::Lecturer(id)) => {
            lecturer::find_active(state.core.table.as_ref(), id).await?.ok_or_else(invalid_lecturer)?;
            Role::Lecturer(id)
        }
        _ => return Err(ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다.")),
    };
    let issued = session::rotate(&state, &claims, role).await?;
    Ok(tokens_reply(role, issued))
}

/// Ends the session of the presented refresh token and clears the cookie.
/// Ends the session of the refresh cookie and clears the cookie.
#[utoipa::path(post, path = "/auth/token/logout", tag = "auth", security(("refreshCookie" = [])),
    responses((status = 201, description = "Signed out", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn logout(State(state): State<AuthState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = presented(&headers).ok_or_else(no_token)?;
    let claims = state.core.tokens.verify(&token, TokenType::Refresh)?;
    let family =
        claims.fam.ok_or_else(|| ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다."))?;
    session::revoke(&state, &family).await?;
    Ok((AppendHeaders([(SET_COOKIE, refresh_cookie("", 0))]), Empty).into_response())
}
