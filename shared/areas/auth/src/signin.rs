//! `GET /auth/oauth/signin/{provider}?access-token=` (flows §1.1).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use connection_adapters::{OAuthError, Provider};
use connection_domain::lookups::sign_up_type_id;
use connection_http::ApiError;
use connection_http::envelope::DataWithCode;
use connection_http::extract::{PathText, QueryParams};
use connection_http::jwt::Role;
use connection_table::Table;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::session;
use crate::tokens::tokens_reply;
use connection_http::guards::invalid_user;
use connection_model::{keys, user};

use crate::AuthState;

#[derive(Deserialize)]
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
    let table = state.core.table.as_ref();
    let Some(binding) = table.get(&keys::auth_email(&profile.email)).await? else {
        let now = state.core.clock.now().unix_timestamp();
        grant_sign_up(table, &profile.email, sign_up_type, now, state.settings.sign_up_window).await?;
        let data = json!({"authEmail": profile.email, "signUpType": provider.sign_up_type()});
        return Ok(DataWithCode(201, data).into_response());
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
    Ok(tokens_reply(role, issued))
}
