//! Route guards of api.md §0.4 as extractors. A guard verifies the bearer token and loads the
//! principal in one table round trip; handlers receive the loaded record (and the claims, for
//! routes that act on the caller's session).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use connection_http::ApiError;
use connection_http::jwt::Claims;

use crate::AppState;
use crate::lecturers::{self, LecturerRecord};
use crate::users::store::{self, UserRecord};

fn bearer(parts: &Parts, state: &AppState) -> Result<Claims, ApiError> {
    let header = parts.headers.get(AUTHORIZATION).and_then(|h| h.to_str().ok());
    state.tokens.verify_bearer(header)
}

fn wrong_format() -> ApiError {
    ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다.")
}

pub fn invalid_user() -> ApiError {
    ApiError::bad_request("InvalidUserInformation", "유효하지 않은 유저 정보 요청입니다.")
}

pub fn invalid_lecturer() -> ApiError {
    ApiError::bad_request("InvalidLecturerInformation", "유효하지 않은 강사 정보 요청입니다.")
}

/// The `user` guard: a valid access token with a `userId` of an existing, active user.
pub struct UserGuard(pub UserRecord);

/// The `user` guard, keeping the token's claims.
pub struct UserSession(pub UserRecord, pub Claims);

impl FromRequestParts<AppState> for UserSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let claims = bearer(parts, state)?;
        let id = claims.user_id.ok_or_else(wrong_format)?;
        let user = store::find_active(state.table.as_ref(), id).await?.ok_or_else(invalid_user)?;
        Ok(UserSession(user, claims))
    }
}

impl FromRequestParts<AppState> for UserGuard {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        UserSession::from_request_parts(parts, state).await.map(|UserSession(user, _)| UserGuard(user))
    }
}

/// The `lecturer` guard, keeping the token's claims.
pub struct LecturerSession(pub LecturerRecord, pub Claims);

impl FromRequestParts<AppState> for LecturerSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let claims = bearer(parts, state)?;
        let id = claims.lecturer_id.ok_or_else(wrong_format)?;
        let lecturer =
            lecturers::find_active(state.table.as_ref(), id).await?.ok_or_else(invalid_lecturer)?;
        Ok(LecturerSession(lecturer, claims))
    }
}
