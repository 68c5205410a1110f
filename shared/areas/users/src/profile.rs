//! `GET`/`PATCH /users/my-pages` and `GET /users/{userId}`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use connection_adapters::{Blobs, iso8601};
use connection_domain::lookups::sign_up_type_name;
use connection_domain::users::{changed, check_name, check_nickname};
use connection_domain::validate::{EMAIL_MESSAGE, PHONE_MESSAGE, is_email, is_phone_number};
use connection_http::extract::{JsonBody, PathId};
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use connection_model::user;

use crate::UsersState;
use crate::store::{self, Changes, UpdateError};
use connection_http::guards::UserGuard;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ImageView<'a> {
    id: i64,
    user_id: i64,
    image_url: &'a str,
}

#[derive(Serialize, ToSchema)]
struct AuthView<'a> {
    email: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct MyProfile<'a> {
    id: i64,
    name: &'a str,
    nickname: &'a str,
    email: &'a str,
    phone_number: Option<&'a str>,
    user_profile_image: Option<ImageView<'a>>,
    auth: AuthView<'a>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyPage<'a> {
    my_profile: MyProfile<'a>,
}

/// The signed-in member's own profile.
#[utoipa::path(get, path = "/users/my-pages", tag = "users", security(("bearer" = [])),
    responses((status = 200, description = "The profile", body = Envelope<MyPage>), (status = "default", description = "The error envelope: 400 invalid input, 401/403 refused, 404 missing, 409 conflict, 502 a provider failed", body = ErrorBody)))]
pub async fn my_page(UserGuard(user): UserGuard) -> Result<Response, ApiError> {
    let page = MyPage {
        my_profile: MyProfile {
            id: user.id,
            name: &user.name,
            nickname: &user.nickname,
            email: &user.email,
            phone_number: user.phone_number.as_deref(),
            user_profile_image: user.profile_image.as_ref().map(|i| ImageView {
                id: i.id,
                user_id: user.id,
                image_url: &i.image_url,
            }),
            auth: AuthView {
                email: &user.auth.email,
                kind: sign_up_type_name(user.auth.sign_up_type_id).unwrap_or_default(),
            },
        },
    };
    Ok(Data(page).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProfileBody {
    name: Option<String>,
    nickname: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    /// Accepted for compatibility; the social binding never changes here.
    #[serde(rename = "provider")]
    #[schema(value_type = Option<String>)]
    _provider: Option<IgnoredAny>,
    #[serde(rename = "authEmail")]
    #[schema(value_type = Option<String>)]
    _auth_email: Option<IgnoredAny>,
    image_url: Option<String>,
}

const IMAGE_URL_MAX: usize = 255;

fn check(body: &ProfileBody) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(name) = &body.name {
        check_name(name, &mut errors);
    }
    if let Some(nickname) = &body.nickname {
        check_nickname(nickname, &mut errors);
    }
    if body.email.as_deref().is_some_and(|e| !is_email(e)) {
        errors.push(EMAIL_MESSAGE.into());
    }
    if body.phone_number.as_deref().is_some_and(|p| !is_phone_number(p)) {
        errors.push(PHONE_MESSAGE.into());
    }
    if body.image_url.as_deref().is_some_and(|u| u.trim().is_empty() || u.chars().count() > IMAGE_URL_MAX) {
        errors.push(format!("imageUrl must be a non-empty string of at most {IMAGE_URL_MAX} characters"));
    }
    errors
}

/// Only images we store may become a profile picture: a URL under our image base naming an
/// object that exists (the client may have uploaded it through `/uploads` first).
async fn ensure_our_image(blobs: &dyn Blobs, url: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::bad_request("InvalidImageUrl", "업로드된 이미지의 주소만 사용할 수 있습니다.");
    let key = blobs.key_of(url).ok_or_else(invalid)?;
    let exists = blobs.exists(&key).await.map_err(|e| {
        tracing::error!(error = %e, "image lookup failed");
        ApiError::new(
            axum::http::StatusCode::BAD_GATEWAY,
            "ImageStoreUnavailable",
            "이미지 저장소에 연결할 수 없습니다.",
        )
    })?;
    if !exists {
        return Err(invalid());
    }
    Ok(key)
}

/// Changes the member's name, nickname, e-mail, phone number or profile image (an image we store).
#[utoipa::path(patch, path = "/users/my-pages", tag = "users", security(("bearer" = [])),
    request_body = ProfileBody,
    responses((status = 200, description = "Changed", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401/403 refused, 404 missing, 409 conflict, 502 a provider failed", body = ErrorBody)))]
pub async fn update_my_page(
    State(state): State<UsersState>,
    UserGuard(user): UserGuard,
    JsonBody(body): JsonBody<ProfileBody>,
) -> Result<Empty, ApiError> {
    let errors = check(&body);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let image_key = match &body.image_url {
        Some(url) => Some(ensure_our_image(state.blobs.as_ref(), url).await?),
        None => None,
    };
    let changes = Changes {
        image_key,
        name: body.name.filter(|n| *n != user.name),
        nickname: changed(Some(&user.nickname), body.nickname.as_deref()).map(str::to_owned),
        email: changed(Some(&user.email), body.email.as_deref()).map(str::to_owned),
        phone_number: changed(user.phone_number.as_deref(), body.phone_number.as_deref()).map(str::to_owned),
        image_url: body.image_url,
    };
    if changes.name.is_none()
        && changes.nickname.is_none()
        && changes.email.is_none()
        && changes.phone_number.is_none()
        && changes.image_url.is_none()
    {
        return Ok(Empty);
    }
    let now = iso8601(state.core.clock.now());
    match store::update(state.core.table.as_ref(), &user, changes, &now).await {
        Ok(()) => Ok(Empty),
        Err(UpdateError::Taken(what)) => Err(crate::taken(what)),
        Err(UpdateError::ImageDeleted) => Err(connection_http::fields::image_deleted()),
        Err(UpdateError::Conflict) => Err(ApiError::conflict(
            "ConcurrentUpdate",
            "프로필이 다른 요청으로 변경되었습니다. 다시 시도해 주세요.",
        )),
        Err(UpdateError::Failed(e)) => Err(e),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PublicImage<'a> {
    image_url: &'a str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PublicUser<'a> {
    id: i64,
    nickname: &'a str,
    user_profile_image: Option<PublicImage<'a>>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicCard<'a> {
    user: PublicUser<'a>,
}

/// A member's public card.
#[utoipa::path(get, path = "/users/{userId}", tag = "users",
    params(("userId" = i64, Path, description = "The member's id", minimum = 1)),
    responses((status = 200, description = "The card", body = Envelope<PublicCard>), (status = "default", description = "The error envelope: 400 invalid input, 401/403 refused, 404 missing, 409 conflict, 502 a provider failed", body = ErrorBody)))]
pub async fn public_card(State(state): State<UsersState>, PathId(id): PathId) -> Result<Response, ApiError> {
    let user = user::find_active(state.core.table.as_ref(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("notFoundUserData", "존재하지 않는 유저 데이터입니다."))?;
    let card = PublicCard {
        user: PublicUser {
            id: user.id,
            nickname: &user.nickname,
            user_profile_image: user.profile_image.as_ref().map(|i| PublicImage { image_url: &i.image_url }),
        },
    };
    Ok(Data(card).into_response())
}
