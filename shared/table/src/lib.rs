//! The single-table port: every entity of connection lives in one table of `pk`/`sk` items with
//! overloaded GSIs (`gsi1pk`/`gsi1sk`, `gsi2pk`/`gsi2sk`) and an optional `ttl` (epoch seconds).
//!
//! Two adapters implement [`Table`], each behind its feature: `dynamodb` (production) and
//! `sqlite` (embedded, for the local stack and tests; never linked by a Lambda function). Both
//! pass one conformance suite.

mod counted;
#[cfg(any(feature = "dynamodb", feature = "sqlite"))]
mod cursor;
#[cfg(feature = "dynamodb")]
mod dynamo;
mod model;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use counted::CountedTable;
#[cfg(feature = "dynamodb")]
pub use dynamo::DynamoTable;
pub use model::*;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteTable;

use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;

pub type Result<T, E = TableError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TableError {
    /// The condition of a single-item write did not hold.
    #[error("the conditional request failed")]
    ConditionFailed,
    /// A transaction was cancelled; one entry per operation, `Some(code)` where it failed
    /// (`"ConditionalCheckFailed"` for a condition).
    #[error("transaction cancelled: {0:?}")]
    TransactionCanceled(Vec<Option<String>>),
    #[error("invalid pagination cursor")]
    InvalidCursor,
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error("table backend failed: {0}")]
    Backend(String),
}

impl TableError {
    /// For a cancelled transaction: did the operation at `index` fail its condition?
    /// A transaction cancelled only because concurrent transactions touched its items: none of
    /// its conditions was refused, and nothing was applied.
    pub fn is_conflict(&self) -> bool {
        matches!(self, TableError::TransactionCanceled(r) if only_conflicts(r))
    }

    pub fn failed_at(&self, index: usize) -> bool {
        matches!(self, TableError::TransactionCanceled(r)
            if r.get(index).is_some_and(|c| c.as_deref() == Some("ConditionalCheckFailed")))
    }
}

/// Whether cancellation reasons name conflicts and nothing else.
pub(crate) fn only_conflicts(reasons: &[Option<String>]) -> bool {
    reasons.iter().any(|r| r.as_deref() == Some("TransactionConflict"))
        && reasons.iter().flatten().all(|r| r == "TransactionConflict")
}

/// The operations our access patterns need; nothing here scans the table.
#[async_trait]
pub trait Table: Send + Sync {
    async fn get(&self, key: &Key) -> Result<Option<Item>>;
    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<()>;
    /// Applies `update` (creating the item when absent, like DynamoDB's UpdateItem) and returns
    /// the item as it is afterwards.
    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> Result<Item>;
    /// Removes the item and returns what it held, if anything.
    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<Option<Item>>;
    async fn query(&self, query: Query) -> Result<Page>;
    /// All or nothing, at most [`MAX_TRANSACTION_ITEMS`] operations on distinct items.
    async fn transact(&self, ops: Vec<TxOp>) -> Result<()>;
    /// Reads many items at once: one entry per key, in the order of `keys` (`None` where no live
    /// item is). One round trip per [`MAX_BATCH_GET`] distinct keys; none for no keys.
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>>;
}

pub const MAX_TRANSACTION_ITEMS: usize = 100;

/// The keys one BatchGetItem request may carry.
pub const MAX_BATCH_GET: usize = 100;

/// The distinct keys of `keys`, in first-seen order (a batch read refuses duplicates).
pub(crate) fn distinct(keys: &[Key]) -> Vec<Key> {
    let mut seen = std::collections::HashSet::new();
    keys.iter().filter(|k| seen.insert(*k)).cloned().collect()
}

/// Lays the items read for `keys` out in the order of `keys`.
#[cfg(any(feature = "dynamodb", feature = "sqlite"))]
pub(crate) fn in_key_order(keys: &[Key], found: Vec<Item>) -> Vec<Option<Item>> {
    let by_key: std::collections::HashMap<Key, Item> =
        found.into_iter().filter_map(|item| Key::of(&item).ok().map(|k| (k, item))).collect();
    keys.iter().map(|key| by_key.get(key).cloned()).collect()
}

/// Adds `delta` to a numeric attribute only while the result stays within `[min, max]`;
/// returns the new value, or `ConditionFailed` when the bound would be crossed.
pub async fn counter_add(
    table: &dyn Table,
    key: &Key,
    attr: &str,
    delta: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<i64> {
    counter_add_and_set(table, key, attr, delta, min, max, Update::new()).await
}

/// [`counter_add`] that also applies `also` (e.g. sets a `ttl`) in the same write.
pub async fn counter_add_and_set(
    table: &dyn Table,
    key: &Key,
    attr: &str,
    delta: i64,
    min: Option<i64>,
    max: Option<i64>,
    also: Update,
) -> Result<i64> {
    let item = table.update(key, also.add(attr, delta), counter_bounds(attr, delta, min, max)).await?;
    item.get(attr)
        .and_then(|v| v.as_i64())
        .ok_or_else(|| TableError::Backend(format!("counter {attr} is not an integer")))
}

/// The condition under which adding `delta` keeps `attr` within `[min, max]`, for a counter
/// update of its own or inside a transaction. An absent counter counts as 0.
pub fn counter_bounds(attr: &str, delta: i64, min: Option<i64>, max: Option<i64>) -> Option<Cond> {
    let mut conds = Vec::new();
    if let Some(min) = min {
        let floor = min - delta;
        if floor > 0 {
            conds.push(Cond::Ge(attr.into(), floor.into()));
        } else {
            conds.push(Cond::Or(vec![Cond::AttrNotExists(attr.into()), Cond::Ge(attr.into(), floor.into())]));
        }
    }
    if let Some(max) = max {
        let ceiling = max - delta;
        if ceiling < 0 {
            conds.push(Cond::Le(attr.into(), ceiling.into()));
        } else {
            conds.push(Cond::Or(vec![
                Cond::AttrNotExists(attr.into()),
                Cond::Le(attr.into(), ceiling.into()),
            ]));
        }
    }
    match conds.len() {
        0 => None,
        1 => conds.pop(),
        _ => Some(Cond::And(conds)),
    }
}

/// Allocates the next integer id of `kind` (1, 2, 3, …) from an atomic counter item.
pub async fn next_id(table: &dyn Table, kind: &str) -> Result<i64> {
    let key = Key::new(format!("COUNTER#{kind}"), "COUNTER");
    counter_add(table, &key, "value", 1, None, None).await
}

/// Allocates `n` consecutive ids of `kind` in one write and returns the first of them.
pub async fn next_ids(table: &dyn Table, kind: &str, n: i64) -> Result<i64> {
    let key = Key::new(format!("COUNTER#{kind}"), "COUNTER");
    Ok(counter_add(table, &key, "value", n.max(1), None, None).await? - n.max(1) + 1)
}

/// Every item of a query, following its pages (for partitions that are read whole).
pub async fn query_all(table: &dyn Table, query: Query) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut cursor = None;
    loop {
        let page = table.query(query.clone().after(cursor)).await?;
        items.extend(page.items);
        cursor = page.cursor;
        if cursor.is_none() {
            return Ok(items);
        }
    }
}

/// Seconds since the epoch, the unit of the `ttl` attribute.
pub fn epoch_seconds() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

#[cfg(any(feature = "dynamodb", feature = "sqlite"))]
pub(crate) fn is_expired(item: &Item, now: i64) -> bool {
    item.get(TTL).and_then(|v| v.as_i64()).is_some_and(|ttl| ttl <= now)
}
