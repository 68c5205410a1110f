//! A decorator that counts round trips, so tests can hold each route to its budget.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use crate::{Cond, Item, Key, Page, Query, Result, Table, TxOp, Update};

pub struct CountedTable {
    inner: Arc<dyn Table>,
    calls: AtomicUsize,
}

impl CountedTable {
    pub fn new(inner: Arc<dyn Table>) -> Self {
        CountedTable { inner, calls: AtomicUsize::new(0) }
    }

    /// Round trips since the last call (and resets the count).
    pub fn take(&self) -> usize {
        self.calls.swap(0, Ordering::SeqCst)
    }

    fn tick(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl Table for CountedTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>> {
        self.tick();
        self.inner.get(key).await
    }
    async fn put(&self, item: Item, cond: Option<Cond>) -> Result<()> {
        self.tick();
        self.inner.put(item, cond).await
    }
    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> Result<Item> {
        self.tick();
        self.inner.update(key, update, cond).await
    }
    async fn delete(&self, key: &Key, cond: Option<Cond>) -> Result<Option<Item>> {
        self.tick();
        self.inner.delete(key, cond).await
    }
    async fn query(&self, query: Query) -> Result<Page> {
        self.tick();
        self.inner.query(query).await
    }
    async fn transact(&self, ops: Vec<TxOp>) -> Result<()> {
        self.tick();
        self.inner.transact(ops).await
    }
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>> {
        let requests = crate::distinct(keys).len().div_ceil(crate::MAX_BATCH_GET);
        self.calls.fetch_add(requests, Ordering::SeqCst);
        self.inner.batch_get(keys).await
    }
}
