//! Sessions: one refresh-token family per sign-in (device). The family's item holds a hash of
//! its current refresh token; every refresh rotates it, and presenting a token that is no longer
//! current revokes the family (reuse detection). Several families may be alive for one person.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use connection_http::ApiError;
use connection_http::jwt::{Claims, Role, TokenType};
use connection_table::{Cond, TableError, TxOp, Update};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{AppState, keys};

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

/// Signs the pair for `role` in `family`, with a new refresh-token id.
fn sign(state: &AppState, role: Role, family: &str, now: i64) -> Result<(String, String, String), ApiError> {
    let tokens = &state.tokens;
    let mut access = Claims::new(role, TokenType::Access, now, tokens.access_ttl);
    access.fam = Some(family.to_string());
    let jti = new_id();
    let mut refresh = Claims::new(role, TokenType::Refresh, now, tokens.refresh_ttl);
    refresh.fam = Some(family.to_string());
    refresh.jti = Some(jti.clone());
    Ok((tokens.sign(&access)?, tokens.sign(&refresh)?, jti))
}

/// Signs `role` in on a new device (family). When the caller switches role, `replacing` is the
/// family of the role it leaves, revoked in the same write.
pub async fn start(state: &AppState, role: Role, replacing: Option<&str>) -> Result<Issued, ApiError> {
    let now = state.clock.now().unix_timestamp();
    let family = new_id();
    let (access_token, refresh_token, jti) = sign(state, role, &family, now)?;
    let (kind, principal) = role_name(role);
    let item = keys::session(&family).item_with(
        json!({"type": "Session", "role": kind, "principalId": principal, "tokenHash": hash(&jti),
               "createdAt": now, "ttl": now + state.tokens.refresh_ttl}),
    );
    match replacing {
        Some(old) => {
            let ops = vec![
                TxOp::Delete { key: keys::session(old), cond: None },
                TxOp::Put { item, cond: Some(Cond::NotExists) },
            ];
            state.table.transact(ops).await?
        }
        None => state.table.put(item, Some(Cond::NotExists)).await?,
    }
    Ok(Issued { access_token, set_cookie: refresh_cookie(&refresh_token, state.tokens.refresh_ttl) })
}

/// Replaces the refresh token of `claims`' family with a new one. A token that is not the
/// family's current one revokes the whole family.
pub async fn rotate(state: &AppState, claims: &Claims, role: Role) -> Result<Issued, ApiError> {
    let (Some(family), Some(jti)) = (claims.fam.as_deref(), claims.jti.as_deref()) else {
        return Err(ApiError::unauthorized("InvalidTokenFormat", "잘못된 토큰 형식입니다."));
    };
    let now = state.clock.now().unix_timestamp();
    let (access_token, refresh_token, new_jti) = sign(state, role, family, now)?;
    let (kind, principal) = role_name(role);
    let current = Cond::And(vec![
        Cond::Exists,
        Cond::Eq("tokenHash".into(), hash(jti).into()),
        Cond::Eq("role".into(), kind.into()),
        Cond::Eq("principalId".into(), principal.into()),
    ]);
    let update = Update::new()
        .set("tokenHash", hash(&new_jti))
        .set("rotatedAt", now)
        .set("ttl", now + state.tokens.refresh_ttl);
    match state.table.update(&keys::session(family), update, Some(current)).await {
        Ok(_) => {
            Ok(Issued { access_token, set_cookie: refresh_cookie(&refresh_token, state.tokens.refresh_ttl) })
        }
        Err(TableError::ConditionFailed) => {
            if revoke(state, family).await? {
                Err(ApiError::unauthorized(
                    "InvalidLoginInformation",
                    "로그인 정보가 일치하지 않습니다. 다시 로그인해 주세요",
                ))
            } else {
                Err(ApiError::unauthorized(
                    "ExpiredLoginInformation",
                    "로그인 정보가 만료되었습니다. 다시 로그인해 주세요",
                ))
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends a family; `true` when it was still alive.
pub async fn revoke(state: &AppState, family: &str) -> Result<bool, ApiError> {
    Ok(state.table.delete(&keys::session(family), None).await?.is_some())
}
