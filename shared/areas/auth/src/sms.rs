//! `POST /auth/sms` (send a code) and `GET /auth/sms` (check it), flows §3 with the fixes of
//! gaps #14: codes from a CSPRNG, valid for a few minutes, a few guesses each, consumed on
//! success; the success is stored for `POST /lecturers`; the daily quota is a per-day counter
//! item (no reset job) that a provider failure gives back.

use axum::extract::State;
use axum::http::StatusCode;
use connection_domain::validate::{PHONE_MESSAGE, is_phone_number};
use connection_http::extract::QueryParams;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_table::{Cond, Key, Table, TableError, TxOp, Update, counter_add, counter_bounds};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::{OffsetDateTime, UtcOffset};
use utoipa::{IntoParams, ToSchema};

use connection_http::guards::UserGuard;
use connection_model::keys;

use crate::AuthState;

const SEOUL: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

#[derive(Serialize, ToSchema)]
pub struct Message {
    message: &'static str,
}

/// The Korean calendar day of `now`, and the instant that day's counter may be forgotten.
pub fn seoul_day(now: OffsetDateTime) -> (String, i64) {
    let local = now.to_offset(SEOUL);
    let day = local.date();
    let next_midnight = day.next_day().unwrap_or(day).midnight().assume_offset(SEOUL);
    (day.to_string(), next_midnight.unix_timestamp() + 24 * 60 * 60)
}

/// A 6-digit code from the thread-local CSPRNG.
fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SendQuery {
    user_phone_number: String,
}

/// Adds `delta` to every daily counter at once, each within `[0, its limit]`: the user's and the
/// phone number's quotas are spent together or not at all.
async fn spend(
    table: &dyn Table,
    quotas: &[(Key, i64)],
    delta: i64,
    forget_at: i64,
) -> Result<(), TableError> {
    let ops = quotas
        .iter()
        .map(|(key, limit)| TxOp::Update {
            key: key.clone(),
            update: Update::new().set("entity", "SmsUsage").set("ttl", forget_at).add("count", delta),
            cond: counter_bounds("count", delta, Some(0), Some(*limit)),
        })
        .collect();
    table.transact(ops).await
}

/// Sends a 6-digit code to the number (at most a few a day per member and per number).
#[utoipa::path(post, path = "/auth/sms", tag = "auth", security(("bearer" = [])), params(SendQuery),
    responses((status = 201, description = "Sent", body = Envelope<Message>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn send_code(
    State(state): State<AuthState>,
    UserGuard(user): UserGuard,
    QueryParams(query): QueryParams<SendQuery>,
) -> Result<Data<Message>, ApiError> {
    let phone = query.user_phone_number;
    if !is_phone_number(&phone) {
        return Err(ApiError::validation(vec![PHONE_MESSAGE.into()]));
    }
    let table = state.core.table.as_ref();
    let now = state.core.clock.now();
    let (day, forget_at) = seoul_day(now);
    let quotas = [
        (keys::sms_usage(user.id, &day), state.settings.sms_daily_limit),
        (keys::sms_phone_usage(&phone, &day), state.settings.sms_phone_daily_limit),
    ];
    match spend(table, &quotas, 1, forget_at).await {
        Ok(()) => {}
        Err(e) if e.failed_at(0) => {
            return Err(ApiError::bad_request("SmsDailyLimitExceeded", "일일 인증 횟수를 초과했습니다."));
        }
        Err(e) if e.failed_at(1) => {
            let message = "이 번호로 보낼 수 있는 일일 인증 횟수를 초과했습니다.";
            return Err(ApiError::bad_request("SmsDailyLimitExceeded", message));
        }
        Err(e) => return Err(e.into()),
    }
    let code = new_code();
    let text = format!("[connection] 인증번호는 [{code}] 입니다.");
    if let Err(e) = state.sms.send(&phone, &text).await {
        tracing::warn!(error = %e, "SMS provider failed");
        // The quotas are only spent on messages that went out.
        spend(table, &quotas, -1, forget_at).await?;
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "SmsSendFailed",
            "인증번호 발송에 실패했습니다. 잠시 후 다시 시도해 주세요.",
        ));
    }
    let expires_at = now.unix_timestamp() + state.settings.sms_code_ttl;
    let item = keys::sms_code(user.id, &phone).item_with(json!({"entity": "SmsCode", "code": code, "userId": user.id, "attempts": 0, "expiresAt": expires_at, "ttl": expires_at}));
    table.put(item, None).await?;
    Ok(Data(Message { message: "인증번호가 발송 되었습니다." }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CheckQuery {
    user_phone_number: String,
    verification_code: String,
}

fn expired() -> ApiError {
    ApiError::unauthorized("SmsCodeExpired", "유효시간이 만료되었습니다.")
}

/// Checks a code the caller asked for: codes are keyed by (user, phone), so nobody else's code
/// can be guessed at here.
/// Checks a code the caller asked for; a success proves the caller owns the number.
#[utoipa::path(get, path = "/auth/sms", tag = "auth", security(("bearer" = [])), params(CheckQuery),
    responses((status = 200, description = "Verified", body = Envelope<Message>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 502 a provider failed", body = ErrorBody)))]
pub async fn check_code(
    State(state): State<AuthState>,
    UserGuard(user): UserGuard,
    QueryParams(query): QueryParams<CheckQuery>,
) -> Result<Data<Message>, ApiError> {
    let mut errors = Vec::new();
    if !is_phone_number(&query.user_phone_number) {
        errors.push(PHONE_MESSAGE.to_string());
    }
    let well_formed =
        query.verification_code.len() == 6 && query.verification_code.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        errors.push("유효하지 않은 인증번호 형식입니다.".to_string());
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let table = state.core.table.as_ref();
    let now = state.core.clock.now().unix_timestamp();
    let key = keys::sms_code(user.id, &query.user_phone_number);
    let item = table.get(&key).await?.ok_or_else(expired)?;
    let number = |name: &str| item.get(name).and_then(Value::as_i64).unwrap_or_default();
    let max = state.settings.sms_max_attempts;
    if number("expiresAt") <= now || number("attempts") >= max {
        return Err(expired());
    }
    let stored = item.get("code").and_then(Value::as_str).unwrap_or_default();
    if stored != query.verification_code {
        let attempts = match counter_add(table, &key, "attempts", 1, None, Some(max)).await {
            Ok(n) => n,
            Err(TableError::ConditionFailed) => return Err(expired()),
            Err(e) => return Err(e.into()),
        };
        if attempts >= max {
            table.delete(&key, None).await?;
        }
        return Err(ApiError::unauthorized("SmsCodeMismatch", "인증번호가 일치하지 않습니다."));
    }
    let user_id = user.id;
    let proof = keys::phone_verified(user_id, &query.user_phone_number).item_with(
        json!({"entity": "PhoneVerification", "phoneNumber": query.user_phone_number, "userId": user_id,
               "verifiedAt": now, "ttl": now + state.settings.phone_verification_ttl}),
    );
    // Consuming the code and recording the proof happen together, so a code works once.
    let unused =
        Cond::And(vec![Cond::Eq("code".into(), stored.into()), Cond::Lt("attempts".into(), max.into())]);
    match table
        .transact(vec![TxOp::Delete { key, cond: Some(unused) }, TxOp::Put { item: proof, cond: None }])
        .await
    {
        Ok(()) => Ok(Data(Message { message: "전화번호 인증에 성공하였습니다." })),
        Err(TableError::TransactionCanceled(_)) => Err(expired()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_turns_at_midnight_in_seoul() {
        let before = time::macros::datetime!(2026-11-28 14:59:59 UTC);
        let after = time::macros::datetime!(2026-11-28 15:00:00 UTC);
        assert_eq!(seoul_day(before).0, "2026-11-28");
        assert_eq!(seoul_day(after).0, "2026-11-29");
        // Kept one day past the next midnight in Seoul, then TTL removes it.
        assert_eq!(seoul_day(before).1, time::macros::datetime!(2026-11-30 00:00 +09:00).unix_timestamp());
    }

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
