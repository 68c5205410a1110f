//! Scheduled jobs (EventBridge rules in `template.yaml`): what happens without a request.
//!
//! Pending orders expire (gap #19): an order the learner never paid holds seats and coupons
//! until it is released. Every few minutes the oldest pending orders are read from their
//! ranking partition (one Query) and each one older than the payment window is released with
//! status `EXPIRED`, by the same status-conditioned transaction a cancel uses: an order that a
//! confirm or a cancel ended meanwhile is left alone, so seats and coupons come back once.

use connection_adapters::iso8601;
use connection_model::payments::{EXPIRED, PENDING_ORDERS, PaymentRecord, READY, release_ops};
use connection_model::{decode, keys};
use connection_table::{Index, Query, SkCond, Table, TableError};
use time::{Duration, OffsetDateTime};

/// How long an order may wait for its payment: the widget's session lasts 30 minutes.
pub const PAYMENT_WINDOW: Duration = Duration::minutes(30);

/// The most orders one run releases (the next run takes the rest).
const BATCH: u32 = 200;

/// Releases the pending orders created before `now − window`; answers how many it released.
pub async fn expire_pending_orders(
    table: &dyn Table,
    now: OffsetDateTime,
    window: Duration,
) -> Result<usize, TableError> {
    let cutoff = (now - window).unix_timestamp();
    let query = Query::gsi(Index::Rank, PENDING_ORDERS).sk(SkCond::Lt(cutoff.to_string())).limit(BATCH);
    let page = table.query(query).await?;
    let at = iso8601(now);
    let mut released = 0;
    for item in page.items {
        let Some(order_id) = item.get("orderId").and_then(|v| v.as_str()) else { continue };
        // The index lags the table: the order itself says whether it is still pending.
        let Some(current) = table.get(&keys::order(order_id)).await? else { continue };
        let payment: PaymentRecord = decode(current)?;
        if payment.status != READY {
            continue;
        }
        match table.transact(release_ops(&payment, EXPIRED, &at)).await {
            Ok(()) => released += 1,
            Err(e @ TableError::TransactionCanceled(_)) if e.failed_at(0) || e.is_conflict() => {}
            Err(e) => return Err(e),
        }
    }
    if released > 0 {
        tracing::info!(released, "pending orders expired");
    }
    Ok(released)
}
