//! Extractors that answer bad input with a 400 in the validation envelope, never a 500:
//! unknown fields are refused (`property x should not exist`), as the original's whitelist did.

use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// Every route's body is at most this large, except uploads, which set their own limit.
const JSON_LIMIT: usize = 256 * 1024;

/// A JSON body deserialised into `T` (which should `deny_unknown_fields`).
pub struct JsonBody<T>(pub T);

/// Turns a serde error at `path` into the class-validator style message the client shows.
fn describe(path: &str, error: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_owned);
    if error.starts_with("unknown field") {
        let field = quoted(error).unwrap_or_default();
        return format!("property {field} should not exist");
    }
    if error.starts_with("missing field") {
        let field = quoted(error).unwrap_or_default();
        let full = if path.is_empty() || path == "." { field } else { format!("{path}.{field}") };
        return format!("{full} should not be empty");
    }
    let expected = error.rsplit("expected ").next().unwrap_or("");
    let kind = if expected.contains("bool") {
        "must be a boolean value"
    } else if expected.contains("string") {
        "must be a string"
    } else if expected.contains("integer") || expected.contains("i64") || expected.contains("i32") {
        "must be an integer number"
    } else if expected.contains("number") || expected.contains("f64") {
        "must be a number conforming to the specified constraints"
    } else if expected.contains("sequence") {
        "must be an array"
    } else if expected.contains("struct") || expected.contains("map") {
        "must be an object"
    } else {
        return format!("{path} is invalid");
    };
    format!("{path} {kind}")
}

pub fn from_json_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::validation(vec![describe(&path, &e.inner().to_string())])
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(req.into_body(), JSON_LIMIT)
            .await
            .map_err(|_| ApiError::validation(vec!["request body is too large".into()]))?;
        let value: serde_json::Value = if bytes.is_empty() {
            serde_json::Value::Object(Default::default())
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|_| ApiError::validation(vec!["request body must be valid JSON".into()]))?
        };
        if !value.is_object() {
            return Err(ApiError::validation(vec!["request body must be a JSON object".into()]));
        }
        from_json_value(value).map(JsonBody)
    }
}

/// Query-string parameters deserialised into `T` (which should `deny_unknown_fields`). Values
/// arrive as strings (numbers and booleans too: use the `lenient` deserializers); `a[]=1&a[]=2`
/// and a repeated `a=1&a=2` arrive as a list.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        from_json_value(query_object(parts.uri.query().unwrap_or(""))).map(QueryParams)
    }
}

/// The query string as a JSON object of strings and lists of strings (the `qs` syntax the
/// client's `name[]=` parameters use).
fn query_object(query: &str) -> serde_json::Value {
    use serde_json::Value;
    let mut map = serde_json::Map::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let (name, listed) = match key.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (&*key, false),
        };
        let value = Value::String(value.into_owned());
        match map.get_mut(name) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
            None => {
                map.insert(name.to_owned(), if listed { Value::Array(vec![value]) } else { value });
            }
        }
    }
    Value::Object(map)
}

/// A positive integer id from the path (`/users/:userId`).
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let invalid =
            || ApiError::bad_request("Bad Request", "Validation failed (numeric string is expected)");
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| invalid())?;
        let (_, value) = params.iter().next().ok_or_else(invalid)?;
        match value.parse::<i64>() {
            Ok(id) if id > 0 && value.bytes().all(|b| b.is_ascii_digit()) => Ok(PathId(id)),
            _ => Err(invalid()),
        }
    }
}

/// The single text parameter of a path (`/users/nicknames/:nickname`), percent-decoded.
pub struct PathText(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathText {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let invalid = || ApiError::validation(vec!["path parameter must be valid text".into()]);
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| invalid())?;
        let (_, value) = params.iter().next().ok_or_else(invalid)?;
        Ok(PathText(value.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_and_repeated_query_keys_make_lists() {
        assert_eq!(
            query_object("take=5&lectureIds[]=1&lectureIds[]=2&a=1&a=2&one[]=7&q=%ED%95%9C"),
            serde_json::json!({"take": "5", "lectureIds": ["1", "2"], "a": ["1", "2"], "one": ["7"], "q": "한"})
        );
    }

    #[test]
    fn serde_errors_read_like_the_original_validation_messages() {
        assert_eq!(
            describe("", "unknown field `role`, expected one of `name`"),
            "property role should not exist"
        );
        assert_eq!(describe("", "missing field `name`"), "name should not be empty");
        assert_eq!(
            describe("registerConsents.marketing", "missing field `marketingEmail`"),
            "registerConsents.marketing.marketingEmail should not be empty"
        );
        assert_eq!(
            describe("isProfileOpen", "invalid type: string \"x\", expected a boolean"),
            "isProfileOpen must be a boolean value"
        );
        assert_eq!(
            describe("nickname", "invalid type: integer `3`, expected a string"),
            "nickname must be a string"
        );
    }
}
