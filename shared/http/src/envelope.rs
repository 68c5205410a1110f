//! The success envelope of api.md §0.2. Handlers return [`Data`] or [`Empty`]; the [`envelope`]
//! middleware wraps the payload as `{statusCode, data}` and turns every successful POST into a
//! 201, so no handler has to remember either rule.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

use crate::ApiError;

/// What a handler answered, carried to [`envelope`] in the response extensions.
#[derive(Clone)]
struct Payload {
    data: Option<Bytes>,
    status_code: Option<u16>,
}

/// `{statusCode, data: T}`.
pub struct Data<T>(pub T);

/// `{statusCode}` with no `data` (a void handler).
pub struct Empty;

/// `{statusCode: code, data: T}` while the HTTP status stays 200 (OAuth sign-in of a new member).
pub struct DataWithCode<T>(pub u16, pub T);

fn payload(data: Option<Bytes>, status_code: Option<u16>) -> Response {
    let mut response = StatusCode::OK.into_response();
    response.extensions_mut().insert(Payload { data, status_code });
    response
}

impl<T: Serialize> IntoResponse for Data<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => payload(Some(bytes.into()), None),
            Err(e) => ApiError::internal(e).into_response(),
        }
    }
}

impl<T: Serialize> IntoResponse for DataWithCode<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.1) {
            Ok(bytes) => payload(Some(bytes.into()), Some(self.0)),
            Err(e) => ApiError::internal(e).into_response(),
        }
    }
}

impl IntoResponse for Empty {
    fn into_response(self) -> Response {
        payload(None, None)
    }
}

/// Middleware: serialises the envelope around a handler's payload.
pub async fn envelope(request: Request, next: Next) -> Response {
    let is_post = request.method() == Method::POST;
    let mut response = next.run(request).await;
    let Some(Payload { data, status_code }) = response.extensions_mut().remove::<Payload>() else {
        return response;
    };
    // An explicit code keeps the HTTP status as it is (Toss's webhooks must see exactly 200).
    if is_post && status_code.is_none() && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::CREATED;
    }
    let code = status_code.unwrap_or(response.status().as_u16());
    let body = match data {
        Some(data) => {
            let mut body = Vec::with_capacity(data.len() + 32);
            body.extend_from_slice(format!("{{\"statusCode\":{code},\"data\":").as_bytes());
            body.extend_from_slice(&data);
            body.push(b'}');
            body
        }
        None => format!("{{\"statusCode\":{code}}}").into_bytes(),
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.remove(header::CONTENT_LENGTH);
    *response.body_mut() = Body::from(body);
    response
}

/// The answer for a path no area serves, in the error envelope.
pub async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Not Found", format!("Cannot {method} {}", uri.path()))
}
