//! Lambda `payments`: the payments area behind API Gateway (HTTP API, payload v2), paying
//! through Toss Payments with the secret key from Secrets Manager.

use std::sync::Arc;
use std::time::Duration;

use connection_adapters::toss::{TOSS_PAYMENTS_URL, TossPayments};
use connection_payments::PaymentsState;

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    // Both secrets at once: init waits for one round trip, not two.
    let (core, toss_key) =
        tokio::try_join!(connection_lambda::core(&aws), connection_lambda::secret(&aws, "TOSS_SECRET_ID"))?;
    let base = std::env::var("TOSS_PAYMENTS_URL").unwrap_or_else(|_| TOSS_PAYMENTS_URL.into());
    let gateway = Arc::new(TossPayments::new(base, toss_key, Duration::from_secs(10)));
    connection_lambda::run(connection_payments::function(PaymentsState { core, gateway })).await
}
