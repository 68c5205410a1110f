//! Lambda `passes`: the passes area behind API Gateway (HTTP API, payload v2).

use connection_passes::PassesState;

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    let state = PassesState { core: connection_lambda::core(&aws).await? };
    connection_lambda::run(connection_passes::function(state)).await
}
