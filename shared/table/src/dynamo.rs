//! The production adapter: DynamoDB through aws-sdk-dynamodb, items mapped with serde_dynamo.
//! Reads are strongly consistent on the table; TTL-expired items that DynamoDB has not yet
//! reaped are filtered out, so both adapters show the same data.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, GlobalSecondaryIndex,
    KeySchemaElement, KeyType, KeysAndAttributes, Projection, ProjectionType, Put, ReturnValue,
    ScalarAttributeType, StreamSpecification, StreamViewType, TimeToLiveSpecification, TransactWriteItem,
    Update as DdbUpdate,
};
use serde_json::Value;

use crate::cursor;
use crate::{
    Cond, Index, Item, Key, PK, Page, Query, Result, SK, SkCond, TTL, Table, TableError, TxOp, Update,
    epoch_seconds, is_expired, only_conflicts, validate_transaction,
};

type Attrs = HashMap<String, AttributeValue>;

/// How often a batch read asks again for keys DynamoDB left unprocessed.
const BATCH_RETRIES: u32 = 8;

/// How often a transaction cancelled only by conflicts with concurrent transactions is retried
/// (about 1.5 s in all, with growing pauses: a burst of claims on one coupon).
const TX_CONFLICT_RETRIES: u32 = 10;

/// Up to `ms` milliseconds, so retrying writers spread out.
fn jitter(ms: u64) -> u64 {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    ms / 2 + u64::from(nanos) % (ms / 2 + 1)
}

/// The values a sort-key condition compares with.
fn sk_values(sk: &SkCond) -> Vec<&String> {
    match sk {
        SkCond::Eq(s)
        | SkCond::Lt(s)
        | SkCond::Le(s)
        | SkCond::Gt(s)
        | SkCond::Ge(s)
        | SkCond::BeginsWith(s) => {
            vec![s]
        }
        SkCond::Between(a, b) => vec![a, b],
    }
}

#[derive(Clone)]
pub struct DynamoTable {
    client: Client,
    name: String,
}

fn backend(e: impl std::fmt::Display) -> TableError {
    TableError::Backend(e.to_string())
}

/// Renders a `DisplayErrorContext` so SDK errors carry their cause in logs.
fn sdk(e: impl std::error::Error) -> TableError {
    TableError::Backend(aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())
}

/// A single-item write's error: its condition failed, or something else went wrong.
fn write_failed<E, R>(err: SdkError<E, R>) -> TableError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    if err.as_service_error().and_then(ProvideErrorMetadata::code) == Some("ConditionalCheckFailedException")
    {
        TableError::ConditionFailed
    } else {
        sdk(err)
    }
}

fn to_attrs(item: &Item) -> Result<Attrs> {
    serde_dynamo::to_item(item).map_err(backend)
}

fn from_attrs(attrs: Attrs) -> Result<Item> {
    serde_dynamo::from_item(attrs).map_err(backend)
}

fn key_attrs(key: &Key) -> Attrs {
    HashMap::from([
        (PK.to_string(), AttributeValue::S(key.pk.clone())),
        (SK.to_string(), AttributeValue::S(key.sk.clone())),
    ])
}

/// Builds expression strings with placeholder names and values.
#[derive(Default)]
struct Expr {
    names: HashMap<String, String>,
    values: Attrs,
}

impl Expr {
    fn name(&mut self, attr: &str) -> String {
        let placeholder = format!("#n{}", self.names.len());
        for (p, a) in &self.names {
            if a == attr {
                return p.clone();
            }
        }
        self.names.insert(placeholder.clone(), attr.to_string());
        placeholder
    }

    fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    fn json(&mut self, value: &Value) -> Result<String> {
        Ok(self.value(serde_dynamo::to_attribute_value(value).map_err(backend)?))
    }

    fn now(&mut self) -> String {
        self.value(AttributeValue::N(epoch_seconds().to_string()))
    }

    fn cond(&mut self, cond: &Cond) -> Result<String> {
        let cmp = |e: &mut Expr, a: &str, op: &str, v: &Value| -> Result<String> {
            Ok(format!("{} {op} {}", e.name(a), e.json(v)?))
        };
        Ok(match cond {
            Cond::Exists => {
                let (pk, ttl, now) = (self.name(PK), self.name(TTL), self.now());
                format!("(attribute_exists({pk}) AND (attribute_not_exists({ttl}) OR {ttl} > {now}))")
            }
            Cond::NotExists => {
                let (pk, ttl, now) = (self.name(PK), self.name(TTL), self.now());
                format!("(attribute_not_exists({pk}) OR {ttl} <= {now})")
            }
            Cond::AttrExists(a) => format!("attribute_exists({})", self.name(a)),
            Cond::AttrNotExists(a) => format!("attribute_not_exists({})", self.name(a)),
            Cond::Eq(a, v) => cmp(self, a, "=", v)?,
            Cond::Ne(a, v) => cmp(self, a, "<>", v)?,
            Cond::Lt(a, v) => cmp(self, a, "<", v)?,
            Cond::Le(a, v) => cmp(self, a, "<=", v)?,
            Cond::Gt(a, v) => cmp(self, a, ">", v)?,
            Cond::Ge(a, v) => cmp(self, a, ">=", v)?,
            Cond::And(cs) | Cond::Or(cs) => {
                let joiner = if matches!(cond, Cond::And(_)) { " AND " } else { " OR " };
                let mut parts = cs.iter().map(|c| self.cond(c)).collect::<Result<Vec<_>>>()?;
                // DynamoDB refuses redundant parentheses around a single condition.
                match parts.len() {
                    1 => parts.remove(0),
                    _ => format!("({})", parts.join(joiner)),
                }
            }
        })
    }

    fn update(&mut self, update: &Update) -> Result<String> {
        let mut clauses = Vec::new();
        if !update.set.is_empty() {
            let parts = update
                .set
                .iter()
                .map(|(a, v)| Ok(format!("{} = {}", self.name(a), self.json(v)?)))
                .collect::<Result<Vec<_>>>()?;
            clauses.push(format!("SET {}", parts.join(", ")));
        }
        if !update.remove.is_empty() {
            let parts: Vec<_> = update.remove.iter().map(|a| self.name(a)).collect();
            clauses.push(format!("REMOVE {}", parts.join(", ")));
        }
        if !update.add.is_empty() {
            let parts: Vec<_> = update
                .add
                .iter()
                .map(|(a, d)| format!("{} {}", self.name(a), self.value(AttributeValue::N(d.to_string()))))
                .collect();
            clauses.push(format!("ADD {}", parts.join(", ")));
        }
        Ok(clauses.join(" "))
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<Attrs> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

fn live(attrs: Option<Attrs>) -> Result<Option<Item>> {
    let now = epoch_seconds();
    attrs.map(from_attrs).transpose().map(|i| i.filter(|i| !is_expired(i, now)))
}

impl DynamoTable {
    pub fn new(client: Client, name: impl Into<String>) -> Self {
        DynamoTable { client, name: name.into() }
    }

    /// Creates the table as `template.yaml` declares it (keys, GSIs, stream, TTL), unless it
    /// exists. For tests and the local stack pointed at an emulator.
    pub async fn create_if_missing(&self) -> Result<()> {
        if self.client.describe_table().table_name(&self.name).send().await.is_ok() {
            return Ok(());
        }
        let attr = |n: &str| {
            let kind =
                if n == Index::Rank.keys().1 { ScalarAttributeType::N } else { ScalarAttributeType::S };
            AttributeDefinition::builder().attribute_name(n).attribute_type(kind).build().map_err(backend)
        };
        let key = |n: &str, t: KeyType| {
            KeySchemaElement::builder().attribute_name(n).key_type(t).build().map_err(backend)
        };
        let gsi = |index: Index| -> Result<GlobalSecondaryIndex> {
            let (pk, sk) = index.keys();
            GlobalSecondaryIndex::builder()
                .index_name(index.name().unwrap_or_default())
                .key_schema(key(pk, KeyType::Hash)?)
                .key_schema(key(sk, KeyType::Range)?)
                .projection(Projection::builder().projection_type(ProjectionType::All).build())
                .build()
                .map_err(backend)
        };
        self.client
            .create_table()
            .table_name(&self.name)
            .billing_mode(BillingMode::PayPerRequest)
            .set_attribute_definitions(Some(
                [PK, SK, "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "rankpk", "ranksk"]
                    .iter()
                    .map(|n| attr(n))
                    .collect::<Result<_>>()?,
            ))
            .key_schema(key(PK, KeyType::Hash)?)
            .key_schema(key(SK, KeyType::Range)?)
            .global_secondary_indexes(gsi(Index::Gsi1)?)
            .global_secondary_indexes(gsi(Index::Gsi2)?)
            .global_secondary_indexes(gsi(Index::Rank)?)
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .build()
                    .map_err(backend)?,
            )
            .send()
            .await
            .map_err(sdk)?;
        self.client
            .update_time_to_live()
            .table_name(&self.name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(TTL)
                    .build()
                    .map_err(backend)?,
            )
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    fn tx_item(&self, op: &TxOp) -> Result<TransactWriteItem> {
        let mut e = Expr::default();
        let item = match op {
            TxOp::Put { item, cond } => {
                let cond = cond.as_ref().map(|c| e.cond(c)).transpose()?;
                let put = Put::builder()
                    .table_name(&self.name)
                    .set_item(Some(to_attrs(item)?))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
                    .build()
                    .map_err(backend)?;
                TransactWriteItem::builder().put(put).build()
            }
            TxOp::Update { key, update, cond } => {
                let expression = e.update(update)?;
                let cond = cond.as_ref().map(|c| e.cond(c)).transpose()?;
                let update = DdbUpdate::builder()
                    .table_name(&self.name)
                    .set_key(Some(key_attrs(key)))
                    .update_expression(expression)
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
                    .build()
                    .map_err(backend)?;
                TransactWriteItem::builder().update(update).build()
            }
            TxOp::Delete { key, cond } => {
                let cond = cond.as_ref().map(|c| e.cond(c)).transpose()?;
                let delete = Delete::builder()
                    .table_name(&self.name)
                    .set_key(Some(key_attrs(key)))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
                    .build()
                    .map_err(backend)?;
                TransactWriteItem::builder().delete(delete).build()
            }
            TxOp::Check { key, cond } => {
                let cond = e.cond(cond)?;
                let check = ConditionCheck::builder()
                    .table_name(&self.name)
                    .set_key(Some(key_attrs(key)))
                    .condition_expression(cond)
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
                    .build()
                    .map_err(backend)?;
                TransactWriteItem::builder().condition_check(check).build()
            }
        };
        Ok(item)
    }
}

#[async_trait]
impl Table for DynamoTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.name)
            .set_key(Some(key_attrs(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk)?;
        live(out.item)
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<()> {
        Key::of(&item)?;
        let mut e = Expr::default();
        let cond = cond.as_ref().map(|c| e.cond(c)).transpose()?;
        self.client
            .put_item()
            .table_name(&self.name)
            .set_item(Some(to_attrs(&item)?))
            .set_condition_expression(cond)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .send()
            .await
            .map_err(write_failed)?;
        Ok(())
    }

    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> Result<Item> {
        update.validate()?;
        let mut e = Expr::default();
        let expression = e.update(&update)?;
        let cond = cond.as_ref().map(|c| e.cond(c)).transpose()?;
        let out = self
            .client
            .update_item()
            .table_name(&self.name)
            .set_key(Some(key_attrs(key)))
            .update_expression(expression)
            .set_condition_expression(cond)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(write_failed)?;
        from_attrs(out.attributes.unwrap_or_default())
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<Option<Item>> {
        let mut e = Expr::default();
        let cond = cond.as_ref().map(|c| e.cond(c)).transpose()?;
        let out = self
            .client
            .delete_item()
            .table_name(&self.name)
            .set_key(Some(key_attrs(key)))
            .set_condition_expression(cond)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(write_failed)?;
        live(out.attributes)
    }

    async fn query(&self, q: Query) -> Result<Page> {
        let mut start = match q.cursor.as_deref() {
            Some(c) => Some(
                cursor::decode(q.index, &q.pk, c)?
                    .into_iter()
                    .map(|(k, v)| match v {
                        Value::String(s) => (k, AttributeValue::S(s)),
                        other => (k, AttributeValue::N(other.to_string())),
                    })
                    .collect::<Attrs>(),
            ),
            None => None,
        };
        let (ipk, isk) = q.index.keys();
        let mut e = Expr::default();
        let mut key_cond = format!("{} = {}", e.name(ipk), e.value(AttributeValue::S(q.pk.clone())));
        if let Some(sk) = &q.sk {
            let n = e.name(isk);
            let numeric = q.index.numeric_sort();
            if numeric && sk_values(sk).iter().any(|v| v.parse::<i64>().is_err()) {
                return Err(TableError::Invalid(format!("{isk} is a number")));
            }
            let mut v = |s: &String| {
                e.value(if numeric { AttributeValue::N(s.clone()) } else { AttributeValue::S(s.clone()) })
            };
            let clause = match sk {
                SkCond::Eq(s) => format!("{n} = {}", v(s)),
                SkCond::Lt(s) => format!("{n} < {}", v(s)),
                SkCond::Le(s) => format!("{n} <= {}", v(s)),
                SkCond::Gt(s) => format!("{n} > {}", v(s)),
                SkCond::Ge(s) => format!("{n} >= {}", v(s)),
                SkCond::Between(a, b) => format!("{n} BETWEEN {} AND {}", v(a), v(b)),
                SkCond::BeginsWith(p) => format!("begins_with({n}, {})", v(p)),
            };
            key_cond.push_str(" AND ");
            key_cond.push_str(&clause);
        }
        let (ttl, now) = (e.name(TTL), e.now());
        let filter = format!("attribute_not_exists({ttl}) OR {ttl} > {now}");

        let mut items = Vec::new();
        loop {
            let remaining = q.limit.map(|l| l as usize - items.len());
            let out = self
                .client
                .query()
                .table_name(&self.name)
                .set_index_name(q.index.name().map(str::to_owned))
                .key_condition_expression(&key_cond)
                .filter_expression(&filter)
                .set_expression_attribute_names(e.names())
                .set_expression_attribute_values(e.values())
                .scan_index_forward(q.forward)
                .consistent_read(q.index == Index::Primary)
                .set_limit(remaining.map(|r| r as i32))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(sdk)?;
            for attrs in out.items.unwrap_or_default() {
                items.push(from_attrs(attrs)?);
            }
            start = out.last_evaluated_key;
            let full = q.limit.is_some_and(|l| items.len() >= l as usize);
            if start.is_none() || full {
                break;
            }
        }
        let cursor = match (&start, items.last()) {
            (Some(_), Some(last)) => Some(cursor::encode(q.index, last)?),
            _ => None,
        };
        Ok(Page { items, cursor })
    }

    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in crate::distinct(keys).chunks(crate::MAX_BATCH_GET) {
            let mut wanted = KeysAndAttributes::builder()
                .set_keys(Some(chunk.iter().map(key_attrs).collect()))
                .consistent_read(true)
                .build()
                .map_err(backend)?;
            // DynamoDB may answer part of a batch and hand the rest back: ask again, with a
            // growing pause, until every key is answered.
            for attempt in 0u32.. {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.name, wanted)
                    .send()
                    .await
                    .map_err(sdk)?;
                let now = epoch_seconds();
                for attrs in out.responses.and_then(|mut r| r.remove(&self.name)).unwrap_or_default() {
                    let item = from_attrs(attrs)?;
                    if !is_expired(&item, now) {
                        found.push(item);
                    }
                }
                match out.unprocessed_keys.and_then(|mut u| u.remove(&self.name)) {
                    Some(rest) if !rest.keys.is_empty() => {
                        if attempt >= BATCH_RETRIES {
                            return Err(TableError::Backend("batch read left keys unprocessed".into()));
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(10 << attempt.min(6))).await;
                        wanted = rest;
                    }
                    _ => break,
                }
            }
        }
        Ok(crate::in_key_order(keys, found))
    }

    async fn transact(&self, ops: Vec<TxOp>) -> Result<()> {
        validate_transaction(&ops)?;
        let items = ops.iter().map(|op| self.tx_item(op)).collect::<Result<Vec<_>>>()?;
        let mut attempt = 0;
        loop {
            let out = self.client.transact_write_items().set_transact_items(Some(items.clone())).send().await;
            let reasons = match out {
                Ok(_) => return Ok(()),
                Err(err) => match err.into_service_error() {
                    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(
                        c,
                    ) => c
                        .cancellation_reasons()
                        .iter()
                        .map(|r| r.code().filter(|code| *code != "None").map(str::to_owned))
                        .collect::<Vec<_>>(),
                    se => return Err(sdk(se)),
                },
            };
            // A conflict with another transaction on the same item says nothing about our
            // conditions: nothing was applied, so ask again.
            if !only_conflicts(&reasons) || attempt == TX_CONFLICT_RETRIES {
                return Err(TableError::TransactionCanceled(reasons));
            }
            attempt += 1;
            tokio::time::sleep(std::time::Duration::from_millis(jitter(5 << attempt.min(5)))).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_cancellation_by_conflicts_alone_is_retried() {
        let r = |codes: &[Option<&str>]| codes.iter().map(|c| c.map(str::to_owned)).collect::<Vec<_>>();
        assert!(only_conflicts(&r(&[None, Some("TransactionConflict")])));
        assert!(!only_conflicts(&r(&[Some("ConditionalCheckFailed"), Some("TransactionConflict")])));
        assert!(!only_conflicts(&r(&[Some("ConditionalCheckFailed"), None])));
        assert!(!only_conflicts(&r(&[None, None])));
    }
}
