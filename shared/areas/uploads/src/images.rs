//! `POST /uploads/{folder}/image`, `POST /uploads/{folder}/images`, `DELETE /uploads` and
//! `POST /uploads/{folder}/presigned`.

use std::time::Duration;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use connection_adapters::blobs::{UNCLAIMED_TAGGING, image_extension, image_type};
use connection_adapters::iso8601;
use connection_http::extract::{JsonBody, PathText};
use connection_http::guards::Member;
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::{DELETING, keys};
use connection_table::{Cond, TableError, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::UploadsState;

/// Folders the web client uploads to (`lecturer` is a spelling the profile editor uses).
pub const FOLDERS: &[&str] = &["lectures", "lecturers", "lecturer", "chats", "passes"];
/// The largest image accepted.
pub const IMAGE_LIMIT: usize = 10 * 1024 * 1024;
/// Images one request may carry.
const IMAGES_MAX: usize = 5;
/// A multipart request around one image may be slightly larger (boundaries, headers).
pub const REQUEST_LIMIT: usize = IMAGE_LIMIT + 64 * 1024;
pub const MANY_REQUEST_LIMIT: usize = IMAGES_MAX * IMAGE_LIMIT + 64 * 1024;
/// How long an unclaimed upload may be deleted through `DELETE /uploads`.
pub const UPLOAD_WINDOW_SECONDS: i64 = 86_400;
/// How long a presigned PUT stays valid.
const PRESIGN_SECONDS: u64 = 900;

fn folder(name: &str) -> Result<&'static str, ApiError> {
    FOLDERS.iter().find(|f| **f == name).copied().ok_or_else(|| {
        ApiError::bad_request("InvalidFolder", format!("허용되지 않은 폴더입니다: {}", FOLDERS.join(", ")))
    })
}

fn bad_form(field: &str) -> ApiError {
    ApiError::validation(vec![format!("{field} must be sent as multipart/form-data")])
}

fn too_large() -> ApiError {
    ApiError::bad_request("FileTooLarge", "이미지는 10MB 이하여야 합니다.")
}

fn not_an_image() -> ApiError {
    ApiError::bad_request("InvalidImageType", "JPEG, PNG, WebP, GIF 이미지만 업로드할 수 있습니다.")
}

/// The files of field `name`, at most `max` of at most [`IMAGE_LIMIT`] bytes; other fields are
/// refused.
async fn read_files(
    form: Result<Multipart, MultipartRejection>,
    name: &str,
    max: usize,
) -> Result<Vec<Bytes>, ApiError> {
    let mut form = form.map_err(|_| bad_form(name))?;
    let mut files = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(|_| bad_form(name))? {
        let got = field.name().unwrap_or_default().to_string();
        if got != name {
            return Err(ApiError::validation(vec![format!("property {got} should not exist")]));
        }
        if files.len() == max {
            return Err(ApiError::bad_request("Bad Request", "Unexpected field"));
        }
        let mut buf = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| too_large())? {
            if buf.len() + chunk.len() > IMAGE_LIMIT {
                return Err(too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        files.push(buf.freeze());
    }
    if files.is_empty() || files.iter().any(Bytes::is_empty) {
        return Err(ApiError::validation(vec![format!("{name} should not be empty")]));
    }
    Ok(files)
}

/// Records an upload as deletable for a day (until an entity claims it).
async fn record(state: &UploadsState, key: &str, content_type: &str) -> Result<(), ApiError> {
    let now = state.core.clock.now();
    let item = keys::upload(key).item_with(json!({
        "entity": "Upload", "key": key, "contentType": content_type, "uploadedAt": iso8601(now),
        "ttl": now.unix_timestamp() + UPLOAD_WINDOW_SECONDS,
    }));
    state.core.table.put(item, None).await?;
    Ok(())
}

/// Stores images (each sniffed first, so nothing is stored when one is refused) under random
/// keys of `folder`, and answers their URLs.
async fn store(state: &UploadsState, folder: &str, files: Vec<Bytes>) -> Result<Vec<String>, ApiError> {
    let typed = files
        .into_iter()
        .map(|bytes| image_type(&bytes).map(|t| (bytes, t)).ok_or_else(not_an_image))
        .collect::<Result<Vec<_>, _>>()?;
    let mut urls = Vec::with_capacity(typed.len());
    for (bytes, (mime, extension)) in typed {
        let key = format!("{folder}/{}.{extension}", uuid::Uuid::new_v4());
        record(state, &key, mime).await?;
        let url = state.blobs.put_unclaimed(&key, bytes, mime).await.map_err(|e| {
            tracing::error!(error = %e, "upload failed");
            ApiError::bad_request("FileUploadFailed", "파일 업로드에 실패했습니다.")
        })?;
        urls.push(url);
    }
    Ok(urls)
}

/// The multipart form of `POST /uploads/{folder}/image`.
#[derive(ToSchema)]
struct ImageForm {
    /// A JPEG, PNG, WebP or GIF of at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    image: Bytes,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    image_url: String,
}

/// Upload one image (no token: the web client sends none).
#[utoipa::path(post, path = "/uploads/{folder}/image", tag = "uploads",
    params(("folder" = String, Path, description = "lectures, lecturers, lecturer, chats or passes")),
    request_body(content = ImageForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Stored", body = Envelope<Uploaded>), (status = "default", description = "The error envelope: 400 not an image, too large or a folder we do not keep", body = ErrorBody)))]
pub async fn upload_one(
    State(state): State<UploadsState>,
    PathText(name): PathText,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Data<Uploaded>, ApiError> {
    let folder = folder(&name)?;
    let form = ImageForm { image: read_files(form, "image", 1).await?.remove(0) };
    let url = store(&state, folder, vec![form.image]).await?.remove(0);
    Ok(Data(Uploaded { image_url: url }))
}

/// The multipart form of `POST /uploads/{folder}/images`.
#[derive(ToSchema)]
struct ImagesForm {
    /// One to five JPEG, PNG, WebP or GIF images of at most 10 MB each.
    #[schema(value_type = Vec<String>, format = Binary)]
    images: Vec<Bytes>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadedMany {
    image_urls: Vec<String>,
}

/// Upload up to five images at once (no token).
#[utoipa::path(post, path = "/uploads/{folder}/images", tag = "uploads",
    params(("folder" = String, Path, description = "lectures, lecturers, lecturer, chats or passes")),
    request_body(content = ImagesForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Stored, in order", body = Envelope<UploadedMany>), (status = "default", description = "The error envelope: 400 not an image, too large, too many or a folder we do not keep", body = ErrorBody)))]
pub async fn upload_many(
    State(state): State<UploadsState>,
    PathText(name): PathText,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Data<UploadedMany>, ApiError> {
    let folder = folder(&name)?;
    let form = ImagesForm { images: read_files(form, "images", IMAGES_MAX).await? };
    Ok(Data(UploadedMany { image_urls: store(&state, folder, form.images).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteBody {
    /// The URL an upload answered.
    image_url: String,
}

/// Delete an image uploaded in the last day that nothing shows yet (a replaced image in an
/// editor); anything else stays.
#[utoipa::path(delete, path = "/uploads", tag = "uploads", request_body = DeleteBody,
    responses((status = 200, description = "Deleted", body = StatusOnly), (status = "default", description = "The error envelope: 400 not one of our images, 403 in use or older than a day", body = ErrorBody)))]
pub async fn delete(
    State(state): State<UploadsState>,
    JsonBody(body): JsonBody<DeleteBody>,
) -> Result<Empty, ApiError> {
    let not_ours = || ApiError::bad_request("InvalidImageUrl", "업로드한 이미지의 주소가 아닙니다.");
    let key = state.blobs.key_of(&body.image_url).ok_or_else(not_ours)?;
    // Only keys these routes make: `<folder>/<uuid>.<extension>`.
    let (dir, name) = key.split_once('/').ok_or_else(not_ours)?;
    folder(dir).map_err(|_| not_ours())?;
    let (id, extension) = name.split_once('.').ok_or_else(not_ours)?;
    if uuid::Uuid::try_parse(id).is_err() || !["jpg", "png", "webp", "gif"].contains(&extension) {
        return Err(not_ours());
    }
    // The record becomes a tombstone first, conditionally, and stays (it loses its `ttl`): a
    // claim that commits before it keeps the image (the mark then fails); any claim after it
    // fails, and the entity is not saved.
    let record = keys::upload(&key);
    let mark = Cond::And(vec![Cond::Exists, Cond::AttrNotExists(DELETING.into())]);
    let tombstone = Update::new().set(DELETING, true).remove(connection_table::TTL);
    match state.core.table.update(&record, tombstone, Some(mark)).await {
        Ok(_) => {}
        Err(TableError::ConditionFailed) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "ImageNotDeletable",
                "사용 중이거나 오래된 이미지는 삭제할 수 없습니다.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    state.blobs.delete(&key).await.map_err(|e| {
        tracing::error!(error = %e, key, "delete failed");
        ApiError::bad_request("FileDeleteFailed", "Failed to delete file")
    })?;
    Ok(Empty)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PresignBody {
    /// `image/jpeg`, `image/png`, `image/webp` or `image/gif`.
    content_type: String,
    /// The file's exact size in bytes, at most 10 MB.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    content_length: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PutHeaders {
    #[serde(rename = "content-type")]
    content_type: String,
    #[serde(rename = "content-length")]
    content_length: String,
    /// Marks the object as not yet shown anywhere (it expires unless an entity claims it).
    #[serde(rename = "x-amz-tagging")]
    tagging: &'static str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Presigned {
    /// PUT the file's bytes here, with exactly `headers`.
    upload_url: String,
    method: &'static str,
    headers: PutHeaders,
    /// Where the image is read once uploaded.
    image_url: String,
    /// Seconds the upload URL stays valid.
    expires_in: u64,
}

/// A presigned PUT for one image, for members and lecturers: the file goes straight to the
/// bucket, never through a function. Its type and size are part of the signature.
#[utoipa::path(post, path = "/uploads/{folder}/presigned", tag = "uploads", security(("bearer" = [])),
    params(("folder" = String, Path, description = "lectures, lecturers, lecturer, chats or passes")),
    request_body = PresignBody,
    responses((status = 201, description = "Where to PUT the file", body = Envelope<Presigned>), (status = "default", description = "The error envelope: 400 not an image type, too large or a folder we do not keep, 401 refused", body = ErrorBody)))]
pub async fn presign(
    State(state): State<UploadsState>,
    _member: Member,
    PathText(name): PathText,
    JsonBody(body): JsonBody<PresignBody>,
) -> Result<Data<Presigned>, ApiError> {
    let folder = folder(&name)?;
    let extension = image_extension(&body.content_type).ok_or_else(not_an_image)?;
    let length = u64::try_from(body.content_length).ok().filter(|n| (1..=IMAGE_LIMIT as u64).contains(n));
    let length = length.ok_or_else(too_large)?;
    let key = format!("{folder}/{}.{extension}", uuid::Uuid::new_v4());
    let expires = Duration::from_secs(PRESIGN_SECONDS);
    let upload_url =
        state.blobs.presign_put(&key, &body.content_type, length, expires).await.map_err(|e| {
            tracing::error!(error = %e, "presign failed");
            ApiError::bad_request("FileUploadFailed", "파일 업로드에 실패했습니다.")
        })?;
    record(&state, &key, &body.content_type).await?;
    Ok(Data(Presigned {
        upload_url,
        method: "PUT",
        headers: PutHeaders {
            content_type: body.content_type,
            content_length: length.to_string(),
            tagging: UNCLAIMED_TAGGING,
        },
        image_url: format!("{}/{key}", state.blobs.public_base()),
        expires_in: PRESIGN_SECONDS,
    }))
}
