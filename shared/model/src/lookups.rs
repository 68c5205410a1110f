//! Seeds the lookup tables from the domain's reference data. Idempotent: rows are overwritten
//! with identical content, so running it again (or on another adapter) yields the same table.

use connection_domain::lookups::seed_rows;
use connection_table::{MAX_TRANSACTION_ITEMS, Result, Table, TxOp};

use crate::{ENTITY, keys};

pub async fn seed(table: &dyn Table) -> Result<usize> {
    let rows = seed_rows();
    let mut ops = Vec::with_capacity(rows.len());
    for (kind, sort_key, value) in &rows {
        let mut item = keys::lookup(kind, sort_key).item_with(value.clone());
        item.insert(ENTITY.into(), (*kind).into());
        ops.push(TxOp::Put { item, cond: None });
    }
    for chunk in ops.chunks(MAX_TRANSACTION_ITEMS) {
        table.transact(chunk.to_vec()).await?;
    }
    Ok(rows.len())
}
