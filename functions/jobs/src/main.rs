//! Lambda `jobs`: run by EventBridge schedules; each run expires the pending orders.

use connection_jobs::{PAYMENT_WINDOW, expire_pending_orders};
use connection_lambda::lambda_runtime::{LambdaEvent, run, service_fn};

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let table = connection_lambda::table(&connection_lambda::aws()?)?;
    let table = &table;
    run(service_fn(move |_: LambdaEvent<serde_json::Value>| async move {
        expire_pending_orders(table, time::OffsetDateTime::now_utc(), PAYMENT_WINDOW)
            .await
            .map_err(|e| e.to_string())
    }))
    .await
}
