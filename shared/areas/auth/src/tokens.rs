//! `/auth/token/*`: verify, refresh, switch role, logout.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse, Response};
use connection_http::jwt::{Role, TokenType};
use connection_http::{ApiError, Data, Empty};
use serde_json::json;

use crate::session::{self, Issued, presented, refresh_cookie};
use connection_http::guards::{LecturerSession, UserGuard, UserSession, invalid_lecturer, invalid_user};
use connection_model::{lecturer, user};

use crate::AuthState;

pub async fn verify_user(_: UserGuard) -> Empty {
    Empty
}

pub async fn verify_lecturer(_: LecturerSession) -> Empty {
    Empty
}

/// The answer of every route that hands out tokens: one `data` key and the refresh cookie.
pub fn tokens_reply(role: Role, issued: Issued) -> Response {
    let key = match role {
        Role::User(_) => "userAccessToken",
        Role::Lecturer(_) => "lecturerAccessToken",
        Role::Admin(_) => "adminAccessToken",
    };
    (AppendHeaders([(SET_COOKIE, issued.set_cookie)]), Data(json!({ key: issued.access_token })))
        .into_response()
}

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
pub async fn logout(State(state): State<AuthState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = presented(&headers).ok_or_else(no_token)?;
    let claims = state.core.tokens.verify(&token, TokenType::Refresh)?;
    let family =
        claims.fam.ok_or_else(|| ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다."))?;
    session::revoke(&state, &family).await?;
    Ok((AppendHeaders([(SET_COOKIE, refresh_cookie("", 0))]), Empty).into_response())
}
