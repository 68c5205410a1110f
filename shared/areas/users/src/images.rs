//! `POST /users/images` — the first profile image (multipart field `image`).

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use connection_adapters::blobs::image_type;
use connection_adapters::iso8601;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use serde::Serialize;
use utoipa::ToSchema;

use connection_model::user::ProfileImage;

use crate::{UsersState, store};
use connection_http::guards::UserGuard;

/// The largest image accepted.
pub const IMAGE_LIMIT: usize = 5 * 1024 * 1024;
/// The multipart request around it may be slightly larger (boundaries, headers).
pub const REQUEST_LIMIT: usize = IMAGE_LIMIT + 64 * 1024;

fn already_has_image() -> ApiError {
    ApiError::bad_request("ProfileImageAlreadyExists", "이미 프로필 사진이 존재하는 유저입니다")
}

fn too_large() -> ApiError {
    ApiError::bad_request("FileTooLarge", "이미지는 5MB 이하여야 합니다.")
}

/// Reads the one `image` field, at most [`IMAGE_LIMIT`] bytes; any other field is refused.
async fn read_image(mut form: Multipart) -> Result<ImageForm, ApiError> {
    let bad_form = || ApiError::validation(vec!["image must be sent as multipart/form-data".into()]);
    let mut image = None;
    while let Some(mut field) = form.next_field().await.map_err(|_| bad_form())? {
        let name = field.name().unwrap_or_default().to_string();
        if name != "image" || image.is_some() {
            return Err(ApiError::validation(vec![format!("property {name} should not exist")]));
        }
        let mut buf = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| too_large())? {
            if buf.len() + chunk.len() > IMAGE_LIMIT {
                return Err(too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        image = Some(buf.freeze());
    }
    image
        .filter(|b| !b.is_empty())
        .map(|image| ImageForm { image })
        .ok_or_else(|| ApiError::validation(vec!["image should not be empty".into()]))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct NewImage<'a> {
    id: i64,
    user_id: i64,
    image_url: &'a str,
}

/// The multipart form of `POST /users/images`.
#[derive(ToSchema)]
struct ImageForm {
    /// A JPEG, PNG, WebP or GIF of at most 5 MB.
    #[schema(value_type = String, format = Binary)]
    image: Bytes,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reply<'a> {
    new_user_image: NewImage<'a>,
}

/// The member's first profile image (multipart field `image`); later changes go through
/// `PATCH /users/my-pages`.
#[utoipa::path(post, path = "/users/images", tag = "users", security(("bearer" = [])),
    request_body(content = ImageForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Stored", body = Envelope<Reply>), (status = "default", description = "The error envelope: 400 invalid input, 401/403 refused, 404 missing, 409 conflict, 502 a provider failed", body = ErrorBody)))]
pub async fn upload_first_image(
    State(state): State<UsersState>,
    UserGuard(user): UserGuard,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    if user.profile_image.is_some() {
        return Err(already_has_image());
    }
    let form =
        form.map_err(|_| ApiError::validation(vec!["image must be sent as multipart/form-data".into()]))?;
    let bytes = read_image(form).await?.image;
    let (mime, extension) = image_type(&bytes).ok_or_else(|| {
        ApiError::bad_request("InvalidImageType", "JPEG, PNG, WebP, GIF 이미지만 업로드할 수 있습니다.")
    })?;
    let key = format!("users/{}/{}.{extension}", user.id, uuid::Uuid::new_v4());
    let url = state.blobs.put(&key, bytes, mime).await.map_err(|e| {
        tracing::error!(error = %e, "profile image upload failed");
        ApiError::bad_request("FileUploadFailed", "파일 업로드에 실패했습니다.")
    })?;
    let image = ProfileImage { id: user.id, image_url: url };
    let now = iso8601(state.core.clock.now());
    if !store::set_first_image(state.core.table.as_ref(), user.id, &image, &now).await? {
        // Another upload won the race: keep its image and drop ours.
        if let Err(e) = state.blobs.delete(&key).await {
            tracing::warn!(error = %e, key, "could not remove a superseded image");
        }
        return Err(already_has_image());
    }
    let reply =
        Reply { new_user_image: NewImage { id: image.id, user_id: user.id, image_url: &image.image_url } };
    Ok(Data(reply).into_response())
}
