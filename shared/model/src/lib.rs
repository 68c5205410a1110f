//! Every entity's keys and item records, shared by all areas: an area's routes are its own, but
//! the entities it touches are everyone's (an order touches seats and coupons). The key
//! templates and access patterns are listed in docs/data-model.md.

pub mod keys;
pub mod lecture;
pub mod lecturer;
pub mod lookups;
pub mod offers;
pub mod pairs;
pub mod payments;
pub mod user;

use connection_table::{Item, TableError};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The item exists and is not soft-deleted (a write's condition).
pub fn live() -> connection_table::Cond {
    use connection_table::Cond;
    // Some records store an absent `deletedAt` as null.
    let not_deleted = Cond::Or(vec![
        Cond::AttrNotExists("deletedAt".into()),
        Cond::Eq("deletedAt".into(), serde_json::Value::Null),
    ]);
    Cond::And(vec![Cond::Exists, not_deleted])
}

/// The attribute that names an item's entity.
pub const ENTITY: &str = "entity";

/// Reads a stored item as its record; a stored item that does not fit is a backend fault.
pub fn decode<T: DeserializeOwned>(item: Item) -> Result<T, TableError> {
    serde_json::from_value(Value::Object(item)).map_err(|e| TableError::Backend(format!("stored item: {e}")))
}

/// The item of `record` at `key`, tagged with its `entity`.
pub fn encode<T: serde::Serialize>(
    key: &connection_table::Key,
    entity: &str,
    record: &T,
) -> Result<Item, TableError> {
    let mut item = key.item();
    item.insert(ENTITY.into(), entity.into());
    match serde_json::to_value(record) {
        Ok(Value::Object(fields)) => item.extend(fields),
        _ => return Err(TableError::Invalid(format!("a {entity} record is not an object"))),
    }
    Ok(item)
}

/// The writes by which an entity takes images it now shows: each removes the image's upload
/// record, so that it can no longer be deleted through `DELETE /uploads`. A record that a
/// deletion has already marked fails the claim (see [`claim_failed`]): the image is going.
pub fn claim_images<'a>(object_keys: impl IntoIterator<Item = &'a String>) -> Vec<connection_table::TxOp> {
    use connection_table::{Cond, TxOp};
    let mut keys: Vec<&String> = object_keys.into_iter().collect();
    keys.sort();
    keys.dedup();
    let not_going = Cond::Or(vec![Cond::NotExists, Cond::AttrNotExists(DELETING.into())]);
    keys.into_iter().map(|k| TxOp::Delete { key: keys::upload(k), cond: Some(not_going.clone()) }).collect()
}

/// The mark `DELETE /uploads` puts on an upload record before it deletes the object.
pub const DELETING: &str = "deleting";

/// Whether a transaction whose claims start at `first` failed on a claim.
pub fn claim_failed(e: &TableError, first: usize) -> bool {
    matches!(e, TableError::TransactionCanceled(reasons) if (first..reasons.len()).any(|i| e.failed_at(i)))
}
