//! Likes and blocks: one item per (member, target) pair, whose key is the pair, so a second
//! like or block finds the first; a like is counted on its target (and its popularity) in the
//! same transaction, so counts never drift.

use connection_domain::catalog::LIKE_POPULARITY;
use connection_table::{Cond, Item, Key, Table, TableError, TxOp, Update};

use crate::live;

/// What adding a pair did.
pub enum Added {
    New,
    /// The pair was there already: the stored item.
    Existing(Item),
    /// The target does not exist or is deleted.
    TargetGone,
}

/// The write that counts a like on a live `target`.
pub fn count_like(target: Key) -> TxOp {
    TxOp::Update {
        key: target,
        update: Update::new().add("likeCount", 1).add("ranksk", LIKE_POPULARITY),
        cond: Some(live()),
    }
}

/// The check that a block's `target` is live.
pub fn check_live(target: Key) -> TxOp {
    TxOp::Check { key: target, cond: live() }
}

/// Puts `pair` unless it exists, with `on_target` ([`count_like`] or [`check_live`]) in the same
/// transaction.
pub async fn add(table: &dyn Table, pair: Item, on_target: TxOp) -> Result<Added, TableError> {
    let key = Key::of(&pair)?;
    let ops = vec![TxOp::Put { item: pair, cond: Some(Cond::NotExists) }, on_target];
    match table.transact(ops).await {
        Ok(()) => Ok(Added::New),
        Err(e) if e.failed_at(0) => match table.get(&key).await? {
            Some(existing) => Ok(Added::Existing(existing)),
            None => Err(TableError::Backend("a pair vanished".into())),
        },
        Err(e) if e.failed_at(1) => Ok(Added::TargetGone),
        Err(e) => Err(e),
    }
}

/// Removes a like and its count on `target`; nothing liked is fine.
pub async fn remove_like(table: &dyn Table, pair: Key, target: Key) -> Result<(), TableError> {
    let ops = vec![
        TxOp::Delete { key: pair.clone(), cond: Some(Cond::Exists) },
        TxOp::Update {
            key: target,
            update: Update::new().add("likeCount", -1).add("ranksk", -LIKE_POPULARITY),
            cond: Some(Cond::Ge("likeCount".into(), 1.into())),
        },
    ];
    match table.transact(ops).await {
        Ok(()) => Ok(()),
        Err(e) if e.failed_at(0) => Ok(()),
        // A like whose counter is already at zero: remove the like alone.
        Err(e) if e.failed_at(1) => table.delete(&pair, None).await.map(|_| ()),
        Err(e) => Err(e),
    }
}
