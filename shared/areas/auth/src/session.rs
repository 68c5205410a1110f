//! Sessions: one refresh-token family per sign-in (device). The family's item holds a hash of
//! its current refresh token; every refresh rotates it, and presenting a token that is no longer
//! current revokes the family (reuse detection). Several families may be alive for one person.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use connection_http::ApiError;
use connection_http::jwt::{Claims, Role, TokenType};
use connection_table::{Cond, Item, TableError, TxOp, Update};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use connection_model::keys;

use crate::AuthState;

pub const COOKIE_NAME: &str = "refreshToken";

/// A fresh token pair: the access token for the body, the refresh token as a `Set-Cookie`.
pub struct Issued {
    pub access_token: String,
    pub set_cookie: String,
}

fn hash(jti: &str) -> String {
    Sha256::digest(jti.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn role_name(role: Role) -> (&'static str, i64) {
    match role {
        Role::User(id) => ("user", id),
        Role::Lecturer(id) => ("lecturer", id),
        Role::Admin(id) => ("admin", id),
    }
}

pub fn refresh_cookie(token: &str, max_age: i64) -> String {
    format!("{COOKIE_NAME}={token}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age={max_age}")
}

/// The `refreshToken` cookie of a request.
pub fn presented(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Signs the pair for `role` in `family`, with a new refresh-token id. The refresh token lives
/// `refresh_ttl` (sliding) but never past `ends_at`, the session's absolute end. Returns the
/// tokens, the new token id and the refresh token's lifetime in seconds.
fn sign(
    state: &AuthState,
    role: Role,
    family: &str,
    jti: String,
    now: i64,
    ends_at: i64,
) -> Result<Signed, ApiError> {
    let tokens = &state.core.tokens;
    let mut access = Claims::new(role, TokenType::Access, now, tokens.access_ttl);
    access.fam = Some(family.to_string());
    let lifetime = tokens.refresh_ttl.min(ends_at - now);
    let mut refresh = Claims::new(role, TokenType::Refresh, now, lifetime);
    refresh.fam = Some(family.to_string());
    refresh.jti = Some(jti.clone());
    Ok(Signed { access_token: tokens.sign(&access)?, refresh_token: tokens.sign(&refresh)?, jti, lifetime })
}

struct Signed {
    access_token: String,
    refresh_token: String,
    jti: String,
    lifetime: i64,
}

impl Signed {
    fn issued(self) -> Issued {
        Issued {
            access_token: self.access_token,
            set_cookie: refresh_cookie(&self.refresh_token, self.lifetime),
        }
    }
}

fn invalid_format() -> ApiError {
    ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다.")
}

fn expired() -> ApiError {
    ApiError::unauthorized("ExpiredLoginInformation", "로그인 정보가 만료되었습니다. 다시 로그인해 주세요")
}

/// Signs `role` in on a new device: a new family whose absolute end is `session_max_age` from now.
pub async fn start(state: &AuthState, role: Role) -> Result<Issued, ApiError> {
    let now = state.core.clock.now().unix_timestamp();
    let (item, signed) = new_family(state, role, now, now)?;
    state.core.table.put(item, Some(Cond::NotExists)).await?;
    Ok(signed.issued())
}

/// A new family's item and tokens, for a session signed in at `signed_in_at`.
fn new_family(
    state: &AuthState,
    role: Role,
    now: i64,
    signed_in_at: i64,
) -> Result<(Item, Signed), ApiError> {
    let family = new_id();
    let ends_at = signed_in_at + state.settings.session_max_age;
    let signed = sign(state, role, &family, new_id(), now, ends_at)?;
    let (kind, principal) = role_name(role);
    let item = keys::session(&family).item_with(json!({
        "entity": "Session", "role": kind, "principalId": principal, "tokenHash": hash(&signed.jti),
        "createdAt": now, "signedInAt": signed_in_at, "endsAt": ends_at, "ttl": now + signed.lifetime,
    }));
    Ok((item, signed))
}

/// The caller's session continues as `to`: its family (named by the access token) must still be
/// alive and belong to the token's principal; it is replaced by a new family for `to` with the
/// same absolute end, in one transaction, so a logged-out or revoked session cannot switch.
pub async fn switch(state: &AuthState, from: &Claims, to: Role) -> Result<Issued, ApiError> {
    let family = from.fam.as_deref().ok_or_else(invalid_format)?;
    let role = from.role().ok_or_else(invalid_format)?;
    let now = state.core.clock.now().unix_timestamp();
    let table = state.core.table.as_ref();
    let current = table.get(&keys::session(family)).await?.ok_or_else(expired)?;
    let (kind, principal) = role_name(role);
    let field = |name: &str| current.get(name).cloned().unwrap_or_default();
    if field("role") != kind || field("principalId") != principal {
        return Err(invalid_format());
    }
    let signed_in_at = field("signedInAt").as_i64().ok_or_else(expired)?;
    if signed_in_at + state.settings.session_max_age <= now {
        return Err(expired());
    }
    let (item, signed) = new_family(state, to, now, signed_in_at)?;
    let still = Cond::And(vec![Cond::Exists, Cond::Eq("tokenHash".into(), field("tokenHash"))]);
    let ops = vec![
        TxOp::Delete { key: keys::session(family), cond: Some(still) },
        TxOp::Put { item, cond: Some(Cond::NotExists) },
    ];
    match table.transact(ops).await {
        Ok(()) => Ok(signed.issued()),
        // Logged out, revoked or refreshed meanwhile: the caller signs in again.
        Err(TableError::TransactionCanceled(_)) => Err(expired()),
        Err(e) => Err(e.into()),
    }
}

/// Replaces the refresh token of `claims`' family with a new one. A token that is not the
/// family's current one revokes the whole family; a family past its absolute end is over.
pub async fn rotate(state: &AuthState, claims: &Claims, role: Role) -> Result<Issued, ApiError> {
    let (Some(family), Some(jti)) = (claims.fam.as_deref(), claims.jti.as_deref()) else {
        return Err(invalid_format());
    };
    let now = state.core.clock.now().unix_timestamp();
    let table = state.core.table.as_ref();
    let key = keys::session(family);
    let (kind, principal) = role_name(role);
    let current = Cond::And(vec![
        Cond::Exists,
        Cond::Eq("tokenHash".into(), hash(jti).into()),
        Cond::Eq("role".into(), kind.into()),
        Cond::Eq("principalId".into(), principal.into()),
        Cond::Gt("endsAt".into(), now.into()),
    ]);
    let new_jti = new_id();
    let update = Update::new()
        .set("tokenHash", hash(&new_jti))
        .set("rotatedAt", now)
        .set("ttl", now + state.core.tokens.refresh_ttl);
    match table.update(&key, update, Some(current)).await {
        Ok(item) => {
            let ends_at = item.get("endsAt").and_then(Value::as_i64).unwrap_or(now);
            Ok(sign(state, role, family, new_jti, now, ends_at)?.issued())
        }
        Err(TableError::ConditionFailed) => {
            // Whatever failed, the family ends here; a live one means its token was replayed.
            let ended = table.delete(&key, None).await?;
            match ended.and_then(|item| item.get("endsAt").and_then(Value::as_i64)) {
                Some(ends_at) if ends_at > now => Err(ApiError::unauthorized(
                    "InvalidLoginInformation",
                    "로그인 정보가 일치하지 않습니다. 다시 로그인해 주세요",
                )),
                _ => Err(expired()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends a family; `true` when it was still alive.
pub async fn revoke(state: &AuthState, family: &str) -> Result<bool, ApiError> {
    Ok(state.core.table.delete(&keys::session(family), None).await?.is_some())
}
