//! HS256 access and refresh tokens. Each token says what it is (`typ`), so a refresh token is
//! never accepted as a bearer token, nor an access token as a refresh token.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
}

/// Who a token speaks for: exactly one of the original's role claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User(i64),
    Lecturer(i64),
    Admin(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lecturer_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_id: Option<i64>,
    pub typ: TokenType,
    pub iat: i64,
    pub exp: i64,
    /// Refresh tokens: the sign-in (token family) this token belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fam: Option<String>,
    /// Refresh tokens: this token's own id within its family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

impl Claims {
    pub fn new(role: Role, typ: TokenType, iat: i64, ttl: i64) -> Self {
        let (mut user_id, mut lecturer_id, mut admin_id) = (None, None, None);
        match role {
            Role::User(id) => user_id = Some(id),
            Role::Lecturer(id) => lecturer_id = Some(id),
            Role::Admin(id) => admin_id = Some(id),
        }
        Claims { user_id, lecturer_id, admin_id, typ, iat, exp: iat + ttl, fam: None, jti: None }
    }

    /// The role, checking the user claim first as the original guards did.
    pub fn role(&self) -> Option<Role> {
        self.user_id
            .map(Role::User)
            .or(self.lecturer_id.map(Role::Lecturer))
            .or(self.admin_id.map(Role::Admin))
    }
}

pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_ttl: i64,
    pub refresh_ttl: i64,
}

/// The secret the local stack uses when `JWT_SECRET` is not set.
pub const LOCAL_SECRET: &str = "connection-local-secret-not-for-production";

/// HS256 keys shorter than this are refused (RFC 7518 §3.2: at least the hash's 256 bits).
pub const MIN_SECRET_BYTES: usize = 32;

impl Tokens {
    /// Keys from `secret`, which must be at least [`MIN_SECRET_BYTES`] long.
    pub fn new(secret: &[u8], access_ttl: i64, refresh_ttl: i64) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!("the JWT secret must be at least {MIN_SECRET_BYTES} bytes"));
        }
        Ok(Tokens {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_ttl,
            refresh_ttl,
        })
    }

    /// Keys from `secret` with the lifetimes `JWT_ACCESS_TOKEN_TTL` and `JWT_REFRESH_TOKEN_TTL`
    /// (seconds) of the environment.
    pub fn from_env(secret: &str) -> Result<Self, String> {
        let secs = |name: &str, default: i64| -> Result<i64, String> {
            match std::env::var(name) {
                Ok(v) => v.parse().map_err(|_| format!("{name} must be a number of seconds")),
                Err(_) => Ok(default),
            }
        };
        Tokens::new(
            secret.as_bytes(),
            secs("JWT_ACCESS_TOKEN_TTL", 60 * 60)?,
            secs("JWT_REFRESH_TOKEN_TTL", 14 * 24 * 60 * 60)?,
        )
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, ApiError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    pub fn access_token(&self, role: Role, now: i64) -> Result<String, ApiError> {
        self.sign(&Claims::new(role, TokenType::Access, now, self.access_ttl))
    }

    /// Verifies a token of the expected type; errors carry the codes of api.md §0.3.
    pub fn verify(&self, token: &str, typ: TokenType) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::unauthorized("JwtExpired", "jwt expired"),
                ErrorKind::InvalidSignature => ApiError::unauthorized("InvalidToken", "invalid signature"),
                ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Json(_) | ErrorKind::Utf8(_) => {
                    ApiError::unauthorized("Unauthorized", "jwt malformed")
                }
                _ => ApiError::unauthorized("InvalidToken", "invalid token"),
            })?
            .claims;
        if claims.typ != typ {
            return Err(ApiError::unauthorized("InvalidToken", "invalid token"));
        }
        Ok(claims)
    }

    /// Verifies the `Authorization: Bearer` header of a request as an access token.
    pub fn verify_bearer(&self, header: Option<&str>) -> Result<Claims, ApiError> {
        let token = header
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("NoAuthToken", "No auth token"))?;
        self.verify(token, TokenType::Access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
    }

    fn keys() -> Tokens {
        Tokens::new(&[b's'; 32], 60, 600).unwrap()
    }

    #[test]
    fn secrets_shorter_than_32_bytes_are_refused() {
        assert!(Tokens::new(&[b's'; 31], 60, 600).is_err());
        assert!(Tokens::new(b"", 60, 600).is_err());
        assert!(Tokens::new(LOCAL_SECRET.as_bytes(), 60, 600).is_ok());
    }

    fn code(e: ApiError) -> String {
        e.error.unwrap()
    }

    #[test]
    fn an_access_token_round_trips() {
        let t = keys();
        let token = t.access_token(Role::User(7), now()).unwrap();
        let claims = t.verify_bearer(Some(&format!("Bearer {token}"))).unwrap();
        assert_eq!(claims.role(), Some(Role::User(7)));
    }

    #[test]
    fn a_refresh_token_is_not_a_bearer_token() {
        let t = keys();
        let refresh = t.sign(&Claims::new(Role::User(7), TokenType::Refresh, now(), 600)).unwrap();
        assert_eq!(code(t.verify_bearer(Some(&format!("Bearer {refresh}"))).unwrap_err()), "InvalidToken");
        let access = t.access_token(Role::User(7), now()).unwrap();
        assert_eq!(code(t.verify(&access, TokenType::Refresh).unwrap_err()), "InvalidToken");
    }

    #[test]
    fn missing_expired_forged_and_malformed_tokens_have_their_codes() {
        let t = keys();
        assert_eq!(code(t.verify_bearer(None).unwrap_err()), "NoAuthToken");
        let old = t.sign(&Claims::new(Role::User(1), TokenType::Access, now() - 100, 10)).unwrap();
        assert_eq!(code(t.verify(&old, TokenType::Access).unwrap_err()), "JwtExpired");
        let forged = Tokens::new(&[b'o'; 32], 60, 600).unwrap().access_token(Role::User(1), now()).unwrap();
        assert_eq!(code(t.verify(&forged, TokenType::Access).unwrap_err()), "InvalidToken");
        assert_eq!(code(t.verify("abc", TokenType::Access).unwrap_err()), "Unauthorized");
    }
}
