//! `POST /users` (sign-up) and `GET /users/nicknames/{nickname}`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use connection_adapters::iso8601;
use connection_domain::lookups::sign_up_type_id;
use connection_domain::users::{RegisterConsents, SignUpFields, check_nickname, check_sign_up};
use connection_http::extract::{JsonBody, PathText};
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_table::next_id;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use connection_model::user::{AuthRecord, UserRecord};

use crate::UsersState;
use crate::store::{self, CreateError};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignUpBody {
    name: String,
    nickname: String,
    #[serde(default)]
    is_profile_open: Option<bool>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    gender: Option<i64>,
    email: String,
    provider: String,
    auth_email: String,
    register_consents: RegisterConsents,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CreatedUser<'a> {
    id: i64,
    uuid: &'a str,
    name: &'a str,
    nickname: &'a str,
    email: &'a str,
    is_profile_open: bool,
    phone_number: Option<&'a str>,
    gender: Option<i64>,
    created_at: &'a str,
    updated_at: &'a str,
    deleted_at: Option<&'a str>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CreatedAuth<'a> {
    id: i64,
    user_id: i64,
    email: &'a str,
    sign_up_type_id: i64,
    created_at: &'a str,
    deleted_at: Option<&'a str>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignUpReply<'a> {
    create_user: CreatedUser<'a>,
    create_auth: CreatedAuth<'a>,
}

/// Signs a new member up, after the sign-in that allowed it (`statusCode` 201 there).
#[utoipa::path(post, path = "/users", tag = "users", request_body = SignUpBody,
    responses((status = 201, description = "Signed up", body = Envelope<SignUpReply>), (status = "default", description = "The error envelope: 400 invalid input, 401/403 refused, 404 missing, 409 conflict, 502 a provider failed", body = ErrorBody)))]
pub async fn sign_up(
    State(state): State<UsersState>,
    JsonBody(body): JsonBody<SignUpBody>,
) -> Result<Response, ApiError> {
    let errors = check_sign_up(&SignUpFields {
        name: &body.name,
        nickname: &body.nickname,
        email: &body.email,
        phone_number: body.phone_number.as_deref(),
        provider: &body.provider,
        auth_email: &body.auth_email,
        consents: &body.register_consents,
    });
    let Some(sign_up_type) = sign_up_type_id(&body.provider).filter(|_| errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let table = state.core.table.as_ref();
    let id = next_id(table, "user").await?;
    let now = iso8601(state.core.clock.now());
    let user = UserRecord {
        id,
        uuid: uuid::Uuid::new_v4().to_string(),
        name: body.name,
        nickname: body.nickname,
        email: body.email,
        is_profile_open: body.is_profile_open.unwrap_or(false),
        phone_number: body.phone_number,
        gender: body.gender,
        created_at: now.clone(),
        updated_at: now.clone(),
        deleted_at: None,
        auth: AuthRecord { id, email: body.auth_email, sign_up_type_id: sign_up_type, created_at: now },
        profile_image: None,
        lecturer_id: None,
    };
    match store::create(table, &user, &body.register_consents.accepted_ids()).await {
        Ok(()) => {}
        Err(CreateError::Taken(what)) => return Err(crate::taken(what)),
        Err(CreateError::NoSignUpGrant) => {
            let message = "소셜 로그인 인증 정보가 없거나 만료되었습니다. 다시 로그인해 주세요.";
            let mut e = ApiError::bad_request("SignUpNotAllowed", message);
            e.message = connection_http::error::Message::List(vec![message.into()]);
            return Err(e);
        }
        Err(CreateError::Failed(e)) => return Err(e),
    }
    let reply = SignUpReply {
        create_user: CreatedUser {
            id: user.id,
            uuid: &user.uuid,
            name: &user.name,
            nickname: &user.nickname,
            email: &user.email,
            is_profile_open: user.is_profile_open,
            phone_number: user.phone_number.as_deref(),
            gender: user.gender,
            created_at: &user.created_at,
            updated_at: &user.updated_at,
            deleted_at: None,
        },
        create_auth: CreatedAuth {
            id: user.auth.id,
            user_id: user.id,
            email: &user.auth.email,
            sign_up_type_id: user.auth.sign_up_type_id,
            created_at: &user.auth.created_at,
            deleted_at: None,
        },
    };
    Ok(Data(reply).into_response())
}

/// 200 when the nickname is free, 403 when it is taken.
#[utoipa::path(get, path = "/users/nicknames/{nickname}", tag = "users",
    params(("nickname" = String, Path, description = "The nickname to check")),
    responses((status = 200, description = "Free", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401/403 refused, 404 missing, 409 conflict, 502 a provider failed", body = ErrorBody)))]
pub async fn nickname_available(
    State(state): State<UsersState>,
    PathText(nickname): PathText,
) -> Result<Empty, ApiError> {
    // A nickname that could never be signed up with is refused before it becomes a key.
    let mut errors = Vec::new();
    check_nickname(&nickname, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    if store::nickname_taken(state.core.table.as_ref(), &nickname).await? {
        return Err(ApiError::forbidden("duplicated nickname"));
    }
    Ok(Empty)
}
