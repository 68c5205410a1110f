//! Lambda `coupons`: the coupons area behind API Gateway (HTTP API, payload v2).

use connection_coupons::{CouponsState, Settings};

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    // Both secrets at once: init waits for one round trip, not two.
    let (core, code_key) =
        tokio::try_join!(connection_lambda::core(&aws), connection_lambda::secret(&aws, "COUPON_SECRET_ID"))?;
    let state = CouponsState { core, settings: Settings::new(&code_key)? };
    connection_lambda::run(connection_coupons::function(state)).await
}
