//! The error envelope of api.md §0.3: `{statusCode, message, error}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use connection_table::TableError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Message {
    Text(String),
    /// Validation failures: one message per violated constraint.
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: Message,
    /// The machine code the client switches on (or the reason phrase); absent only on 500.
    pub error: Option<String>,
    /// Per-item refusals of a request about several items (`errors` in the body).
    pub errors: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: Message::Text(message.into()),
            error: Some(code.to_string()),
            errors: None,
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// This error with the list of every item refused and why.
    pub fn with_errors(mut self, errors: serde_json::Value) -> Self {
        self.errors = Some(errors);
        self
    }

    /// A validation failure: `message` is the list of violated constraints.
    pub fn validation(messages: Vec<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: Message::List(messages),
            error: Some("Bad Request".into()),
            errors: None,
        }
    }

    /// An unexpected failure: logged with its cause, answered without details.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: Message::Text("Internal Server Error".into()),
            error: None,
            errors: None,
        }
    }
}

impl From<TableError> for ApiError {
    fn from(e: TableError) -> Self {
        match e {
            TableError::InvalidCursor => {
                ApiError::bad_request("InvalidCursor", "유효하지 않은 페이지 정보입니다.")
            }
            // Concurrent writes to the same items outlasted the retries: nothing was applied.
            e if e.is_conflict() => {
                ApiError::conflict("TransactionConflict", "다른 요청과 겹쳤습니다. 다시 시도해 주세요.")
            }
            other => ApiError::internal(other),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "statusCode")]
    status_code: u16,
    message: &'a Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a serde_json::Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            status_code: self.status.as_u16(),
            message: &self.message,
            error: self.error.as_deref(),
            errors: self.errors.as_ref(),
        };
        (self.status, axum::Json(body)).into_response()
    }
}
