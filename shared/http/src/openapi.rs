//! The pieces of the OpenAPI document every area shares: the success and error envelopes and the
//! security schemes. Each handler describes itself with `#[utoipa::path]`, and each area's route
//! table is a `utoipa_axum` router, so a route cannot be served without being documented.

use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi};
use utoipa::{Modify, ToSchema};

/// `{statusCode, data}`: every successful answer with a payload.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// The HTTP status, repeated (201 for a successful POST).
    pub status_code: u16,
    pub data: T,
}

/// `{statusCode}`: a successful answer without a payload.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusOnly {
    pub status_code: u16,
}

/// Every error: the status, a message (a list for validation failures) and the machine code.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: u16,
    pub message: ErrorMessage,
    /// The code the client switches on; absent only on a 500.
    pub error: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ErrorMessage {
    Text(String),
    List(Vec<String>),
}

/// The name of the bearer (access token) security scheme.
pub const BEARER: &str = "bearer";
/// The name of the refresh-cookie security scheme.
pub const REFRESH_COOKIE: &str = "refreshCookie";

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, document: &mut OpenApi) {
        let components = document.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build();
        components.add_security_scheme(BEARER, SecurityScheme::Http(bearer));
        let cookie = ApiKey::Cookie(ApiKeyValue::new("refreshToken"));
        components.add_security_scheme(REFRESH_COOKIE, SecurityScheme::ApiKey(cookie));
    }
}

/// The document of the routes in `document`, titled, with the shared security schemes.
pub fn finish(mut document: OpenApi) -> OpenApi {
    document.info = InfoBuilder::new()
        .title("connection")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some("The dance-class marketplace API. Every answer is an envelope: `{statusCode, data}` on success, `{statusCode, message, error}` on failure."))
        .build();
    SecuritySchemes.modify(&mut document);
    document
}
