//! The embedded adapter: one SQLite file (WAL) holding the items as JSON next to their key
//! columns. Conditions are checked and writes applied inside one IMMEDIATE transaction on the
//! one writer connection, so concurrent writers (threads or processes) are serialised exactly
//! like DynamoDB's conditional writes. Reads of a file run concurrently on a small pool of
//! read-only connections: WAL lets them see every committed write without waiting for the writer.

use std::cmp::Ordering;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering as Atomic};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, TransactionBehavior, params_from_iter, types::Value as Sql,
};
use serde_json::Value;

use crate::cursor;
use crate::{
    Cond, Index, Item, Key, PK, Page, Query, Result, SK, SkCond, TTL, Table, TableError, TxOp, Update,
    epoch_seconds, is_expired, validate_transaction,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS items (
  pk TEXT NOT NULL, sk TEXT NOT NULL,
  gsi1pk TEXT, gsi1sk TEXT, gsi2pk TEXT, gsi2sk TEXT,
  ttl INTEGER, body TEXT NOT NULL, rankpk TEXT, ranksk INTEGER,
  PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS gsi2 ON items (gsi2pk, gsi2sk, pk, sk) WHERE gsi2pk IS NOT NULL;
";

/// The ranking index, added to files made before it existed.
const RANK_SCHEMA: &str = "
CREATE INDEX IF NOT EXISTS rank ON items (rankpk, ranksk, pk, sk) WHERE rankpk IS NOT NULL;
";

/// Read connections of a file table; enough for the local stack's concurrent requests.
const READERS: usize = 4;

#[derive(Clone)]
pub struct SqliteTable {
    conn: Arc<Mutex<Connection>>,
    /// Read-only connections (none for an in-memory table, whose reads use `conn`).
    readers: Arc<[Mutex<Connection>]>,
    next_reader: Arc<AtomicUsize>,
}

fn backend(e: impl std::fmt::Display) -> TableError {
    TableError::Backend(e.to_string())
}

impl SqliteTable {
    /// Opens (creating if needed) the table in a file.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(backend)?;
        }
        let conn = Connection::open(path).map_err(backend)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(backend)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(backend)?;
        let table = Self::init(conn)?;
        let readers = (0..READERS)
            .map(|_| {
                let reader =
                    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(backend)?;
                reader.busy_timeout(std::time::Duration::from_secs(5)).map_err(backend)?;
                Ok(Mutex::new(reader))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SqliteTable { readers: readers.into(), ..table })
    }

    /// A private table that lives as long as this value (tests, benchmarks).
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory().map_err(backend)?)
    }

    fn init(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(backend)?;
        conn.execute_batch(SCHEMA).map_err(backend)?;
        let has_rank: bool = conn
            .query_row("SELECT count(*) FROM pragma_table_info('items') WHERE name = 'rankpk'", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n > 0)
            .map_err(backend)?;
        if !has_rank {
            conn.execute_batch(
                "ALTER TABLE items ADD COLUMN rankpk TEXT; ALTER TABLE items ADD COLUMN ranksk INTEGER;",
            )
            .map_err(backend)?;
        }
        conn.execute_batch(RANK_SCHEMA).map_err(backend)?;
        Ok(SqliteTable {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new([]),
            next_reader: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Runs a read on a free reader (or the writer, for an in-memory table). A read of the file
    /// takes microseconds and never waits on the writer (WAL), so it runs on the calling task:
    /// handing it to the blocking pool would cost more than the read.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        if self.readers.is_empty() {
            return self.run(move |conn| f(conn)).await;
        }
        let (readers, start) = (&self.readers, self.next_reader.fetch_add(1, Atomic::Relaxed));
        let n = readers.len();
        let free = (0..n).find_map(|i| readers[(start + i) % n].try_lock().ok());
        let guard = match free {
            Some(guard) => guard,
            None => {
                readers[start % n].lock().map_err(|_| TableError::Backend("sqlite lock poisoned".into()))?
            }
        };
        f(&guard)
    }

    async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| TableError::Backend("sqlite lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(backend)?
    }

    /// Runs `f` in an IMMEDIATE transaction (the write lock is taken before reading).
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction) -> Result<T> + Send + 'static,
    {
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let out = f(&tx)?;
            tx.commit().map_err(backend)?;
            Ok(out)
        })
        .await
    }
}

/// The live item at `key` (expired items are absent).
fn load(conn: &Connection, key: &Key, now: i64) -> Result<Option<Item>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM items WHERE pk = ?1 AND sk = ?2")
        .map_err(backend)?
        .query_row([&key.pk, &key.sk], |r| r.get(0))
        .optional()
        .map_err(backend)?;
    match body {
        None => Ok(None),
        Some(body) => {
            let item: Item = serde_json::from_str(&body).map_err(backend)?;
            Ok((!is_expired(&item, now)).then_some(item))
        }
    }
}

fn store(conn: &Connection, item: &Item) -> Result<()> {
    let key = Key::of(item)?;
    let text = |a: &str| item.get(a).and_then(Value::as_str).map(str::to_owned);
    let ttl = item.get(TTL).and_then(Value::as_i64);
    let body = serde_json::to_string(item).map_err(backend)?;
    conn.execute(
        "INSERT OR REPLACE INTO items (pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, ttl, body, rankpk, ranksk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            key.pk,
            key.sk,
            text("gsi1pk"),
            text("gsi1sk"),
            text("gsi2pk"),
            text("gsi2sk"),
            ttl,
            body,
            text("rankpk"),
            item.get("ranksk").and_then(Value::as_i64)
        ],
    )
    .map_err(backend)?;
    Ok(())
}

fn remove(conn: &Connection, key: &Key) -> Result<()> {
    conn.execute("DELETE FROM items WHERE pk = ?1 AND sk = ?2", [&key.pk, &key.sk]).map_err(backend)?;
    Ok(())
}

fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        _ => None,
    }
}

/// Evaluates a condition against the current item, as DynamoDB would.
pub(crate) fn holds(cond: &Cond, item: Option<&Item>) -> bool {
    let attr = |name: &str| item.and_then(|i| i.get(name));
    let cmp = |name: &str, v: &Value, ok: fn(Ordering) -> bool| {
        attr(name).and_then(|a| compare(a, v)).is_some_and(ok)
    };
    match cond {
        Cond::Exists => item.is_some(),
        Cond::NotExists => item.is_none(),
        Cond::AttrExists(a) => attr(a).is_some(),
        Cond::AttrNotExists(a) => attr(a).is_none(),
        Cond::Eq(a, v) => attr(a) == Some(v),
        Cond::Ne(a, v) => attr(a) != Some(v),
        Cond::Lt(a, v) => cmp(a, v, Ordering::is_lt),
        Cond::Le(a, v) => cmp(a, v, Ordering::is_le),
        Cond::Gt(a, v) => cmp(a, v, Ordering::is_gt),
        Cond::Ge(a, v) => cmp(a, v, Ordering::is_ge),
        Cond::And(cs) => cs.iter().all(|c| holds(c, item)),
        Cond::Or(cs) => cs.iter().any(|c| holds(c, item)),
    }
}

pub(crate) fn apply(current: Option<Item>, key: &Key, update: &Update) -> Result<Item> {
    let mut item = current.unwrap_or_else(|| key.item());
    for (attr, value) in &update.set {
        item.insert(attr.clone(), value.clone());
    }
    for attr in &update.remove {
        item.remove(attr);
    }
    for (attr, delta) in &update.add {
        let base = match item.get(attr) {
            None => 0,
            Some(v) => v.as_i64().ok_or_else(|| TableError::Invalid(format!("ADD on non-integer {attr}")))?,
        };
        item.insert(attr.clone(), (base + delta).into());
    }
    Ok(item)
}

fn check(cond: Option<&Cond>, item: Option<&Item>) -> Result<()> {
    match cond {
        Some(c) if !holds(c, item) => Err(TableError::ConditionFailed),
        _ => Ok(()),
    }
}

/// Applies one transactional operation; `Ok(false)` when its condition failed.
fn apply_op(tx: &Connection, op: &TxOp, now: i64) -> Result<bool> {
    let key = op.key()?;
    let current = load(tx, &key, now)?;
    let cond = match op {
        TxOp::Put { cond, .. } | TxOp::Update { cond, .. } | TxOp::Delete { cond, .. } => cond.as_ref(),
        TxOp::Check { cond, .. } => Some(cond),
    };
    if cond.is_some_and(|c| !holds(c, current.as_ref())) {
        return Ok(false);
    }
    match op {
        TxOp::Put { item, .. } => store(tx, item)?,
        TxOp::Update { update, .. } => store(tx, &apply(current, &key, update)?)?,
        TxOp::Delete { .. } => remove(tx, &key)?,
        TxOp::Check { .. } => {}
    }
    Ok(true)
}

#[async_trait]
impl Table for SqliteTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>> {
        let key = key.clone();
        self.read(move |conn| load(conn, &key, epoch_seconds())).await
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<()> {
        let key = Key::of(&item)?;
        self.write(move |tx| {
            check(cond.as_ref(), load(tx, &key, epoch_seconds())?.as_ref())?;
            store(tx, &item)
        })
        .await
    }

    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> Result<Item> {
        update.validate()?;
        let key = key.clone();
        self.write(move |tx| {
            let current = load(tx, &key, epoch_seconds())?;
            check(cond.as_ref(), current.as_ref())?;
            let item = apply(current, &key, &update)?;
            store(tx, &item)?;
            Ok(item)
        })
        .await
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<Option<Item>> {
        let key = key.clone();
        self.write(move |tx| {
            let current = load(tx, &key, epoch_seconds())?;
            check(cond.as_ref(), current.as_ref())?;
            remove(tx, &key)?;
            Ok(current)
        })
        .await
    }

    async fn query(&self, q: Query) -> Result<Page> {
        let after = q.cursor.as_deref().map(|c| cursor::decode(q.index, &q.pk, c)).transpose()?;
        self.read(move |conn| {
            let (ipk, isk) = q.index.keys();
            let mut sql = format!("SELECT body FROM items WHERE {ipk} = ? AND (ttl IS NULL OR ttl > ?)");
            let mut args: Vec<Sql> = vec![Sql::Text(q.pk.clone()), Sql::Integer(epoch_seconds())];
            let numeric = q.index.numeric_sort();
            let mut bad_number = false;
            let mut bind = |sql: &mut String, clause: &str, values: &[&str]| {
                sql.push_str(clause);
                args.extend(values.iter().map(|v| match (numeric, v.parse::<i64>()) {
                    (false, _) => Sql::Text(v.to_string()),
                    (true, Ok(n)) => Sql::Integer(n),
                    (true, Err(_)) => {
                        bad_number = true;
                        Sql::Null
                    }
                }));
            };
            match &q.sk {
                None => {}
                Some(SkCond::Eq(v)) => bind(&mut sql, &format!(" AND {isk} = ?"), &[v]),
                Some(SkCond::Lt(v)) => bind(&mut sql, &format!(" AND {isk} < ?"), &[v]),
                Some(SkCond::Le(v)) => bind(&mut sql, &format!(" AND {isk} <= ?"), &[v]),
                Some(SkCond::Gt(v)) => bind(&mut sql, &format!(" AND {isk} > ?"), &[v]),
                Some(SkCond::Ge(v)) => bind(&mut sql, &format!(" AND {isk} >= ?"), &[v]),
                Some(SkCond::Between(a, b)) => {
                    bind(&mut sql, &format!(" AND {isk} BETWEEN ? AND ?"), &[a, b])
                }
                Some(SkCond::BeginsWith(p)) => bind(
                    &mut sql,
                    &format!(" AND {isk} >= ? AND substr({isk}, 1, length(?)) = ?"),
                    &[p, p, p],
                ),
            }
            let op = if q.forward { ">" } else { "<" };
            if let Some(c) = &after {
                let text = |a: &str| Sql::Text(c[a].as_str().unwrap_or_default().to_string());
                if q.index == Index::Primary {
                    sql.push_str(&format!(" AND sk {op} ?"));
                    args.push(text(SK));
                } else {
                    sql.push_str(&format!(" AND ({isk}, pk, sk) {op} (?, ?, ?)"));
                    let sort = match c[isk].as_i64() {
                        Some(n) => Sql::Integer(n),
                        None => text(isk),
                    };
                    args.extend([sort, text(PK), text(SK)]);
                }
            }
            if bad_number {
                return Err(TableError::Invalid(format!("{isk} is a number")));
            }
            let dir = if q.forward { "ASC" } else { "DESC" };
            if q.index == Index::Primary {
                sql.push_str(&format!(" ORDER BY sk {dir}"));
            } else {
                sql.push_str(&format!(" ORDER BY {isk} {dir}, pk {dir}, sk {dir}"));
            }
            if let Some(limit) = q.limit {
                // One more row than asked tells whether another page exists.
                sql.push_str(&format!(" LIMIT {}", u64::from(limit) + 1));
            }
            let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
            let mut items = stmt
                .query_map(params_from_iter(args), |r| r.get::<_, String>(0))
                .map_err(backend)?
                .map(|body| {
                    let body = body.map_err(backend)?;
                    serde_json::from_str::<Item>(&body).map_err(backend)
                })
                .collect::<Result<Vec<_>>>()?;
            let mut page = Page::default();
            if let Some(limit) = q.limit
                && items.len() > limit as usize
            {
                items.truncate(limit as usize);
                page.cursor = items.last().map(|i| cursor::encode(q.index, i)).transpose()?;
            }
            page.items = items;
            Ok(page)
        })
        .await
    }

    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let wanted = crate::distinct(keys);
        let found = self
            .read(move |conn| {
                let now = epoch_seconds();
                let mut found = Vec::with_capacity(wanted.len());
                for key in &wanted {
                    found.extend(load(conn, key, now)?);
                }
                Ok(found)
            })
            .await?;
        Ok(crate::in_key_order(keys, found))
    }

    async fn transact(&self, ops: Vec<TxOp>) -> Result<()> {
        validate_transaction(&ops)?;
        self.run(move |conn| {
            let now = epoch_seconds();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let mut reasons = Vec::with_capacity(ops.len());
            for op in &ops {
                let applied = apply_op(&tx, op, now)?;
                reasons.push((!applied).then(|| "ConditionalCheckFailed".to_string()));
            }
            if reasons.iter().any(Option::is_some) {
                // Dropping the transaction rolls every operation back.
                return Err(TableError::TransactionCanceled(reasons));
            }
            tx.commit().map_err(backend)
        })
        .await
    }
}
