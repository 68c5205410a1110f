use serde_json::{Map, Value};

use crate::{Result, TableError};

/// An item: a JSON object holding at least the string attributes `pk` and `sk`.
pub type Item = Map<String, Value>;

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const TTL: &str = "ttl";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Key { pk: pk.into(), sk: sk.into() }
    }

    pub fn of(item: &Item) -> Result<Key> {
        match (item.get(PK).and_then(Value::as_str), item.get(SK).and_then(Value::as_str)) {
            (Some(pk), Some(sk)) if !pk.is_empty() && !sk.is_empty() => Ok(Key::new(pk, sk)),
            _ => Err(TableError::Invalid("an item needs non-empty string pk and sk".into())),
        }
    }

    /// A new item holding only this key.
    pub fn item(&self) -> Item {
        let mut item = Item::new();
        item.insert(PK.into(), self.pk.clone().into());
        item.insert(SK.into(), self.sk.clone().into());
        item
    }

    /// A new item holding this key and the attributes of `fields` (a JSON object).
    pub fn item_with(&self, fields: Value) -> Item {
        let mut item = self.item();
        if let Value::Object(fields) = fields {
            item.extend(fields);
        }
        item
    }
}

/// A condition on the current state of an item. Expired items count as absent.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// The item exists.
    Exists,
    /// The item does not exist.
    NotExists,
    AttrExists(String),
    AttrNotExists(String),
    Eq(String, Value),
    Ne(String, Value),
    Lt(String, Value),
    Le(String, Value),
    Gt(String, Value),
    Ge(String, Value),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

/// SET, REMOVE and ADD clauses of an update.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub set: Vec<(String, Value)>,
    pub remove: Vec<String>,
    pub add: Vec<(String, i64)>,
}

impl Update {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(mut self, attr: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set.push((attr.into(), value.into()));
        self
    }

    pub fn remove(mut self, attr: impl Into<String>) -> Self {
        self.remove.push(attr.into());
        self
    }

    pub fn add(mut self, attr: impl Into<String>, delta: i64) -> Self {
        self.add.push((attr.into(), delta));
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let touched =
            self.set.iter().map(|(a, _)| a).chain(&self.remove).chain(self.add.iter().map(|(a, _)| a));
        for attr in touched {
            if attr == PK || attr == SK {
                return Err(TableError::Invalid("an update cannot change pk or sk".into()));
            }
        }
        if self.set.is_empty() && self.remove.is_empty() && self.add.is_empty() {
            return Err(TableError::Invalid("an update needs at least one clause".into()));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Primary,
    Gsi1,
    Gsi2,
    /// Sparse ranking index: items that carry `rankpk` are ordered by the number `ranksk`, so a
    /// counter added to `ranksk` moves its item in the ranking atomically.
    Rank,
}

impl Index {
    /// The attributes holding this index's partition and sort key.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            Index::Primary => (PK, SK),
            Index::Gsi1 => ("gsi1pk", "gsi1sk"),
            Index::Gsi2 => ("gsi2pk", "gsi2sk"),
            Index::Rank => ("rankpk", "ranksk"),
        }
    }

    /// Whether the index's sort key is a number (the others are strings).
    pub fn numeric_sort(self) -> bool {
        self == Index::Rank
    }

    pub(crate) fn name(self) -> Option<&'static str> {
        match self {
            Index::Primary => None,
            Index::Gsi1 => Some("gsi1"),
            Index::Gsi2 => Some("gsi2"),
            Index::Rank => Some("rank"),
        }
    }
}

/// A condition on the sort key of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum SkCond {
    Eq(String),
    Lt(String),
    Le(String),
    Gt(String),
    Ge(String),
    Between(String, String),
    BeginsWith(String),
}

/// A query of one partition of the table or of a GSI.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub index: Index,
    pub pk: String,
    pub sk: Option<SkCond>,
    pub forward: bool,
    pub limit: Option<u32>,
    /// The opaque cursor of a previous page.
    pub cursor: Option<String>,
}

impl Query {
    pub fn partition(pk: impl Into<String>) -> Self {
        Query { index: Index::Primary, pk: pk.into(), sk: None, forward: true, limit: None, cursor: None }
    }

    pub fn gsi(index: Index, pk: impl Into<String>) -> Self {
        Query { index, ..Query::partition(pk) }
    }

    pub fn sk(mut self, cond: SkCond) -> Self {
        self.sk = Some(cond);
        self
    }

    pub fn backward(mut self) -> Self {
        self.forward = false;
        self
    }

    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    pub fn after(mut self, cursor: Option<String>) -> Self {
        self.cursor = cursor;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Item>,
    /// Present when more items may follow.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TxOp {
    Put { item: Item, cond: Option<Cond> },
    Update { key: Key, update: Update, cond: Option<Cond> },
    Delete { key: Key, cond: Option<Cond> },
    Check { key: Key, cond: Cond },
}

impl TxOp {
    pub fn key(&self) -> Result<Key> {
        match self {
            TxOp::Put { item, .. } => Key::of(item),
            TxOp::Update { key, .. } | TxOp::Delete { key, .. } | TxOp::Check { key, .. } => Ok(key.clone()),
        }
    }
}

/// Checks the rules both adapters share before a transaction is sent.
#[cfg(any(feature = "dynamodb", feature = "sqlite"))]
pub(crate) fn validate_transaction(ops: &[TxOp]) -> Result<()> {
    if ops.is_empty() || ops.len() > crate::MAX_TRANSACTION_ITEMS {
        return Err(TableError::Invalid(format!(
            "a transaction holds 1 to {} operations",
            crate::MAX_TRANSACTION_ITEMS
        )));
    }
    let mut keys = std::collections::HashSet::new();
    for op in ops {
        if let TxOp::Update { update, .. } = op {
            update.validate()?;
        }
        if !keys.insert(op.key()?) {
            return Err(TableError::Invalid("a transaction touches each item once".into()));
        }
    }
    Ok(())
}
