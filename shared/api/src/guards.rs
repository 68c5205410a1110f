//! Route guards of api.md §0.4 as extractors. A guard verifies the bearer token and loads the
//! principal in one table round trip; handlers receive the loaded record.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use connection_http::ApiError;

use crate::AppState;
use crate::users::store::{self, UserRecord};

/// The `user` guard: a valid access token with a `userId` of an existing, active user.
pub struct UserGuard(pub UserRecord);

impl FromRequestParts<AppState> for UserGuard {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|h| h.to_str().ok());
        let claims = state.tokens.verify_bearer(header)?;
        let id = claims.user_id.ok_or_else(|| {
            ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다.")
        })?;
        let user = store::find_active(state.table.as_ref(), id)
            .await?
            .ok_or_else(|| {
                ApiError::bad_request(
                    "InvalidUserInformation",
                    "유효하지 않은 유저 정보 요청입니다.",
                )
            })?;
        Ok(UserGuard(user))
    }
}
