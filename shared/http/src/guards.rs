//! Route guards of api.md §0.4 as extractors. A guard verifies the bearer token and loads the
//! principal in one table round trip; handlers receive the loaded record (and the claims, for
//! routes that act on the caller's session). Every area's state holds a [`Core`], so the guards
//! serve every area.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use connection_adapters::Clock;
use connection_model::lecturer::{self, LecturerRecord};
use connection_model::user::{self, UserRecord};
use connection_table::Table;

use crate::ApiError;
use crate::jwt::{Claims, Tokens};

/// What every area needs: the table, the token keys and the clock.
#[derive(Clone)]
pub struct Core {
    pub table: Arc<dyn Table>,
    pub tokens: Arc<Tokens>,
    pub clock: Arc<dyn Clock>,
}

fn bearer(parts: &Parts, core: &Core) -> Result<Claims, ApiError> {
    let header = parts.headers.get(AUTHORIZATION).and_then(|h| h.to_str().ok());
    core.tokens.verify_bearer(header)
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

impl<S: Send + Sync> FromRequestParts<S> for UserSession
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let core = Core::from_ref(state);
        let claims = bearer(parts, &core)?;
        let id = claims.user_id.ok_or_else(wrong_format)?;
        let user = user::find_active(core.table.as_ref(), id).await?.ok_or_else(invalid_user)?;
        Ok(UserSession(user, claims))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for UserGuard
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        UserSession::from_request_parts(parts, state).await.map(|UserSession(user, _)| UserGuard(user))
    }
}

/// The `lecturer` guard, keeping the token's claims.
pub struct LecturerSession(pub LecturerRecord, pub Claims);

impl<S: Send + Sync> FromRequestParts<S> for LecturerSession
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let core = Core::from_ref(state);
        let claims = bearer(parts, &core)?;
        let id = claims.lecturer_id.ok_or_else(wrong_format)?;
        let lecturer = lecturer::find_active(core.table.as_ref(), id).await?.ok_or_else(invalid_lecturer)?;
        Ok(LecturerSession(lecturer, claims))
    }
}

/// The `user|lecturer` guard: a valid access token of an existing, active user or lecturer.
pub enum Member {
    User(UserRecord),
    Lecturer(LecturerRecord),
}

impl<S: Send + Sync> FromRequestParts<S> for Member
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let core = Core::from_ref(state);
        let claims = bearer(parts, &core)?;
        let table = core.table.as_ref();
        match (claims.user_id, claims.lecturer_id) {
            (Some(id), _) => Ok(Member::User(user::find_active(table, id).await?.ok_or_else(invalid_user)?)),
            (None, Some(id)) => {
                Ok(Member::Lecturer(lecturer::find_active(table, id).await?.ok_or_else(invalid_lecturer)?))
            }
            (None, None) => Err(ApiError::unauthorized("Unauthorized", "Unauthorized")),
        }
    }
}

/// Who a `user` or `guest|user` token names, verified but not yet read: for routes that read
/// the member's profile in the same batch as their own data and then check it with
/// [`active_user`], saving the guard's round trip.
fn user_claim(parts: &Parts, core: &Core) -> Result<i64, ApiError> {
    bearer(parts, core)?.user_id.ok_or_else(wrong_format)
}

/// The token half of [`UserGuard`]; the route must pass the profile it reads to [`active_user`].
pub struct UserToken(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for UserToken
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        user_claim(parts, &Core::from_ref(state)).map(UserToken)
    }
}

/// The `guest|user` guard, token half: no `Authorization` header is a guest (`None`); a header
/// must carry a valid user token (a lecturer token is refused, as api.md §0.4 says). The route
/// must pass the profile it reads to [`active_user`].
pub struct GuestOrUserToken(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for GuestOrUserToken
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if !parts.headers.contains_key(AUTHORIZATION) {
            return Ok(GuestOrUserToken(None));
        }
        user_claim(parts, &Core::from_ref(state)).map(|id| GuestOrUserToken(Some(id)))
    }
}

/// The other half of [`UserToken`]: the profile item the route read must be an existing,
/// active user.
pub fn active_user(item: Option<connection_table::Item>) -> Result<UserRecord, ApiError> {
    let user: Option<UserRecord> = item.map(connection_model::decode).transpose()?;
    user.filter(|u| u.deleted_at.is_none()).ok_or_else(invalid_user)
}
