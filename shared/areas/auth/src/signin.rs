//! `GET /auth/oauth/signin/{provider}?access-token=` (flows §1.1).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use connection_adapters::{OAuthError, Provider};
use connection_domain::lookups::sign_up_type_id;
use connection_domain::validate::EMAIL_MAX;
use connection_http::envelope::DataWithCode;
use connection_http::extract::{PathText, QueryParams};
use connection_http::jwt::Role;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_table::Table;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::session;
use crate::tokens::{UserTokens, with_cookie};
use connection_http::guards::invalid_user;
use connection_model::{keys, user};

use crate::AuthState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SignInQuery {
    #[serde(rename = "access-token")]
    access_token: String,
}

fn oauth_error(e: OAuthError) -> ApiError {
    match e {
        OAuthError::Rejected => ApiError::unauthorized("oAuthServerError", "OAuth 서버 요청 오류입니다."),
        OAuthError::NoVerifiedEmail => {
            ApiError::unauthorized("oAuthEmailRequired", "인증된 이메일을 제공하는 계정으로 로그인해 주세요.")
        }
        OAuthError::Disabled => {
            ApiError::bad_request("signUpTypeDisabled", "현재 지원하지 않는 로그인 방식입니다.")
        }
        OAuthError::Unavailable(cause) => {
            tracing::warn!(%cause, "OAuth provider unavailable");
            ApiError::new(StatusCode::BAD_GATEWAY, "oAuthServerError", "OAuth 서버 요청 오류입니다.")
        }
    }
}

/// Lets exactly `email` sign up with `sign_up_type` for the next `window` seconds.
pub async fn grant_sign_up(
    table: &dyn Table,
    email: &str,
    sign_up_type: i64,
    now: i64,
    window: i64,
) -> Result<(), ApiError> {
    let item = keys::sign_up_grant(email).item_with(
        json!({"entity": "SignUpGrant", "email": email, "signUpTypeId": sign_up_type, "ttl": now + window}),
    );
    Ok(table.put(item, None).await?)
}

/// `data` for an e-mail with no account yet (the body's `statusCode` is 201): sign up with it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignUpAllowed {
    pub auth_email: String,
    /// `KAKAO`, `GOOGLE` or `NAVER`.
    pub sign_up_type: String,
}

/// `data` of a sign-in: a member's tokens, or permission to sign up.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum SignInData {
    Member(UserTokens),
    NewMember(SignUpAllowed),
}

/// Signs in with a provider's access token: a member gets tokens (and the refresh cookie); a new
/// e-mail gets HTTP 200 with `statusCode` 201 and may sign up for the next 30 minutes.
#[utoipa::path(get, path = "/auth/oauth/signin/{provider}", tag = "auth",
    params(("provider" = String, Path, description = "kakao, google or naver, in any letter case"), SignInQuery),
    responses((status = 200, description = "Signed in, or allowed to sign up", body = Envelope<SignInData>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AuthState>,
    PathText(provider): PathText,
    QueryParams(query): QueryParams<SignInQuery>,
) -> Result<Response, ApiError> {
    let provider = Provider::parse(&provider)
        .ok_or_else(|| ApiError::bad_request("invalidSignUpType", "잘못된 SignUpType 입니다."))?;
    let sign_up_type =
        sign_up_type_id(provider.sign_up_type()).ok_or_else(|| ApiError::internal("unknown provider"))?;
    let profile = state.oauth.verify(provider, &query.access_token).await.map_err(oauth_error)?;
    // The e-mail becomes a key; one no mailbox could have is refused before it reaches the table.
    if profile.email.len() > EMAIL_MAX {
        return Err(oauth_error(OAuthError::NoVerifiedEmail));
    }
    let table = state.core.table.as_ref();
    let Some(binding) = table.get(&keys::auth_email(&profile.email)).await? else {
        let now = state.core.clock.now().unix_timestamp();
        grant_sign_up(table, &profile.email, sign_up_type, now, state.settings.sign_up_window).await?;
        let allowed =
            SignUpAllowed { auth_email: profile.email, sign_up_type: provider.sign_up_type().into() };
        return Ok(DataWithCode(201, SignInData::NewMember(allowed)).into_response());
    };
    if binding.get("signUpTypeId").and_then(Value::as_i64) != Some(sign_up_type) {
        return Err(ApiError::bad_request("differentSignUpMethod", "다른 방식으로 가입된 이메일 입니다."));
    }
    let user_id = binding
        .get("userId")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::internal("binding without user"))?;
    user::find_active(table, user_id).await?.ok_or_else(invalid_user)?;
    let role = Role::User(user_id);
    let issued = session::start(&state, role).await?;
    let tokens = UserTokens { user_access_token: issued.access_token };
    Ok(with_cookie(issued.set_cookie, Data(SignInData::Member(tokens))))
}
