//! The users area's writes: the user item and the guard items that keep e-mail, nickname,
//! phone number and social e-mail unique.

use connection_http::ApiError;
use connection_model::keys;
use connection_model::user::{ProfileImage, UserRecord};
use connection_table::{Cond, Item, Table, TableError, TxOp, Update};
use serde_json::{Value, json};

fn guard_item(key: connection_table::Key, user_id: i64) -> Item {
    key.item_with(json!({"entity": "UniqueGuard", "userId": user_id}))
}

pub async fn nickname_taken(table: &dyn Table, nickname: &str) -> Result<bool, ApiError> {
    Ok(table.get(&keys::user_nickname_guard(nickname)).await?.is_some())
}

/// Which unique value a write collided with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Email,
    Nickname,
    Phone,
    AuthEmail,
}

/// Writes the user, its guards, its Auth binding and its consents in one transaction.
pub async fn create(table: &dyn Table, user: &UserRecord, consent_ids: &[i64]) -> Result<(), CreateError> {
    let new = || Some(Cond::NotExists);
    // The order of the first four operations is the order conflicts are reported in.
    let mut ops = vec![
        TxOp::Put { item: guard_item(keys::user_email_guard(&user.email), user.id), cond: new() },
        TxOp::Put { item: guard_item(keys::user_nickname_guard(&user.nickname), user.id), cond: new() },
    ];
    let mut checked = vec![Taken::Email, Taken::Nickname];
    if let Some(phone) = &user.phone_number {
        ops.push(TxOp::Put { item: guard_item(keys::user_phone_guard(phone), user.id), cond: new() });
        checked.push(Taken::Phone);
    }
    let auth = keys::auth_email(&user.auth.email).item_with(json!({"entity": "Auth", "userId": user.id, "email": user.auth.email, "signUpTypeId": user.auth.sign_up_type_id}));
    ops.push(TxOp::Put { item: auth, cond: new() });
    checked.push(Taken::AuthEmail);
    // Sign-in left a grant for exactly this social e-mail and provider; signing up uses it up.
    let grant =
        Cond::And(vec![Cond::Exists, Cond::Eq("signUpTypeId".into(), user.auth.sign_up_type_id.into())]);
    ops.push(TxOp::Delete { key: keys::sign_up_grant(&user.auth.email), cond: Some(grant) });
    let grant_index = ops.len() - 1;
    ops.push(TxOp::Put { item: user.item().map_err(|e| CreateError::Failed(e.into()))?, cond: new() });
    for consent_id in consent_ids {
        let item = keys::user_consent(user.id, *consent_id).item_with(json!({
            "entity": "RegisterConsentAgreement", "registerConsentId": consent_id, "userId": user.id,
            "createdAt": user.created_at,
        }));
        ops.push(TxOp::Put { item, cond: None });
    }
    match table.transact(ops).await {
        Ok(()) => Ok(()),
        Err(e @ TableError::TransactionCanceled(_)) => {
            let taken = checked.iter().enumerate().find(|(i, _)| e.failed_at(*i)).map(|(_, t)| *t);
            Err(match taken {
                Some(taken) => CreateError::Taken(taken),
                None if e.failed_at(grant_index) => CreateError::NoSignUpGrant,
                None => CreateError::Failed(ApiError::internal(e)),
            })
        }
        Err(e) => Err(CreateError::Failed(e.into())),
    }
}

pub enum CreateError {
    Taken(Taken),
    /// No sign-in proved that the caller owns the social e-mail.
    NoSignUpGrant,
    Failed(ApiError),
}

/// A profile change: `Some` fields are set; unique fields only when they really change.
#[derive(Debug, Default)]
pub struct Changes {
    pub name: Option<String>,
    pub nickname: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub image_url: Option<String>,
    /// The object key of the new image, which the profile claims from the uploads.
    pub image_key: Option<String>,
}

pub enum UpdateError {
    Taken(Taken),
    /// The new image's deletion started meanwhile.
    ImageDeleted,
    /// The profile changed underneath this request.
    Conflict,
    Failed(ApiError),
}

/// Applies `changes` to `current` in one transaction: each changed unique value moves its guard
/// item, and the user item is written only if the old values are still in place.
pub async fn update(
    table: &dyn Table,
    current: &UserRecord,
    changes: Changes,
    now: &str,
) -> Result<(), UpdateError> {
    let id = current.id;
    let mut update = Update::new().set("updatedAt", now);
    let mut guards = Vec::new();
    let mut checked = Vec::new();
    let mut still = vec![Cond::Exists];
    let unique = [
        (Taken::Email, "email", Some(current.email.as_str()), changes.email.as_deref()),
        (Taken::Nickname, "nickname", Some(current.nickname.as_str()), changes.nickname.as_deref()),
        (Taken::Phone, "phoneNumber", current.phone_number.as_deref(), changes.phone_number.as_deref()),
    ];
    for (taken, attr, old, new) in unique {
        let Some(new) = new else { continue };
        let guard = |v: &str| match taken {
            Taken::Email => keys::user_email_guard(v),
            Taken::Nickname => keys::user_nickname_guard(v),
            _ => keys::user_phone_guard(v),
        };
        // Same guard key (e.g. an e-mail differing only in letter case): nothing to move.
        if old.map(&guard) != Some(guard(new)) {
            guards.push(TxOp::Put { item: guard_item(guard(new), id), cond: Some(Cond::NotExists) });
            checked.push(Some(taken));
            if let Some(old) = old {
                guards
                    .push(TxOp::Delete { key: guard(old), cond: Some(Cond::Eq("userId".into(), id.into())) });
                checked.push(None);
            }
        }
        still.push(match old {
            Some(o) => Cond::Eq(attr.into(), o.into()),
            None => Cond::Or(vec![Cond::AttrNotExists(attr.into()), Cond::Eq(attr.into(), Value::Null)]),
        });
        update = update.set(attr, new);
    }
    if let Some(name) = changes.name {
        update = update.set("name", name);
    }
    if let Some(url) = changes.image_url {
        update = update.set("profileImage", json!({"id": id, "imageUrl": url}));
    }
    let cond = Cond::And(still);
    let claims = connection_model::claim_images(changes.image_key.iter());
    if guards.is_empty() && claims.is_empty() {
        return match table.update(&keys::user(id), update, Some(cond)).await {
            Ok(_) => Ok(()),
            Err(TableError::ConditionFailed) => Err(UpdateError::Conflict),
            Err(e) => Err(UpdateError::Failed(e.into())),
        };
    }
    let mut ops = guards;
    ops.push(TxOp::Update { key: keys::user(id), update, cond: Some(cond) });
    let first_claim = ops.len();
    ops.extend(claims);
    match table.transact(ops).await {
        Ok(()) => Ok(()),
        Err(e) if connection_model::claim_failed(&e, first_claim) => Err(UpdateError::ImageDeleted),
        Err(e @ TableError::TransactionCanceled(_)) => {
            // A failed guard put means the value is taken; a failed guard delete or user
            // condition means someone else changed this profile meanwhile.
            let taken = checked.iter().enumerate().find(|(i, _)| e.failed_at(*i)).and_then(|(_, t)| *t);
            Err(taken.map(UpdateError::Taken).unwrap_or(UpdateError::Conflict))
        }
        Err(e) => Err(UpdateError::Failed(e.into())),
    }
}

/// Sets the first profile image; `false` when the user already has one.
pub async fn set_first_image(
    table: &dyn Table,
    id: i64,
    image: &ProfileImage,
    now: &str,
) -> Result<bool, ApiError> {
    let update = Update::new()
        .set("profileImage", serde_json::to_value(image).map_err(ApiError::internal)?)
        .set("updatedAt", now);
    let cond = Cond::And(vec![Cond::Exists, Cond::AttrNotExists("profileImage".into())]);
    match table.update(&keys::user(id), update, Some(cond)).await {
        Ok(_) => Ok(true),
        Err(TableError::ConditionFailed) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
