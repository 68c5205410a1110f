//! A learner's bank accounts (api.md §8.9): where refunds of virtual-account payments go.
//! Saving an account again makes it the most recent one.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::lookups::BANKS;
use connection_http::extract::JsonBody;
use connection_http::fields::Checks;
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::keys;
use connection_table::{Index, Query, Table, Update, next_id, query_all};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::PaymentsState;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountBody {
    /// A bank code of the `Bank` lookup (`88` 신한은행, …).
    bank_code: String,
    holder_name: String,
    /// Digits only.
    account_number: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankAccount {
    pub id: i64,
    pub bank_code: String,
    pub holder_name: String,
    pub account_number: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccount {
    created_user_bank_account: BankAccount,
}

/// Save a refund account (or make a saved one the most recent).
#[utoipa::path(post, path = "/user-payments/bank-account", tag = "user payments", security(("bearer" = [])),
    request_body = AccountBody,
    responses((status = 201, description = "Saved", body = Envelope<CreatedAccount>), (status = "default", description = "The error envelope: 400 an unknown bank or a malformed account, 401 refused", body = ErrorBody)))]
pub async fn save_account(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    JsonBody(body): JsonBody<AccountBody>,
) -> Result<Data<CreatedAccount>, ApiError> {
    let holder = body.holder_name.trim().to_string();
    let mut checks = Checks::default();
    checks.required_text("holderName", &holder, 60);
    if holder.contains('#') {
        checks.fail("holderName must not contain #");
    }
    let number = &body.account_number;
    if number.is_empty() || number.len() > 20 || !number.bytes().all(|b| b.is_ascii_digit()) {
        checks.fail("accountNumber must be 1 to 20 digits");
    }
    if !BANKS.iter().any(|(code, ..)| *code == body.bank_code) {
        checks.fail("bankCode must be a bank code");
    }
    checks.finish()?;
    let table = state.core.table.as_ref();
    let key = keys::user_bank_account(user.id, &body.bank_code, number, &holder);
    let id = match table.get(&key).await? {
        Some(item) => item
            .get("id")
            .and_then(|v| v.as_i64())
            .ok_or_else(|| ApiError::internal("an account without an id"))?,
        None => next_id(table, "userBankAccount").await?,
    };
    let now = iso8601(state.core.clock.now());
    let update = Update::new()
        .set("entity", "UserBankAccount")
        .set("id", id)
        .set("userId", user.id)
        .set("bankCode", body.bank_code.clone())
        .set("holderName", holder.clone())
        .set("accountNumber", number.clone())
        .set("updatedAt", now.clone())
        .set("gsi1pk", keys::user_bank_accounts(user.id))
        .set("gsi1sk", format!("{now}#{}", keys::id_sort(id)));
    table.update(&key, update, None).await?;
    let account =
        BankAccount { id, bank_code: body.bank_code, holder_name: holder, account_number: number.clone() };
    Ok(Data(CreatedAccount { created_user_bank_account: account }))
}

/// A learner's accounts, most recently used first: one Query.
pub(crate) async fn accounts(table: &dyn Table, user_id: i64) -> Result<Vec<BankAccount>, ApiError> {
    let items =
        query_all(table, Query::gsi(Index::Gsi1, keys::user_bank_accounts(user_id)).backward()).await?;
    items
        .into_iter()
        .map(|item| serde_json::from_value(serde_json::Value::Object(item)).map_err(ApiError::internal))
        .collect()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecentAccount {
    /// Null when none is saved.
    user_recent_bank_account: Option<BankAccount>,
}

/// My most recently saved refund account.
#[utoipa::path(get, path = "/user-payments/recent-bank-account", tag = "user payments", security(("bearer" = [])),
    responses((status = 200, description = "The account, or null", body = Envelope<RecentAccount>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn recent_account(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
) -> Result<Data<RecentAccount>, ApiError> {
    let recent = accounts(state.core.table.as_ref(), user.id).await?.into_iter().next();
    Ok(Data(RecentAccount { user_recent_bank_account: recent }))
}
