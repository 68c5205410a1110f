//! Lambda `lectures`: the lectures area behind API Gateway (HTTP API, payload v2).

use connection_lectures::{LecturesState, Settings, function};

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    let state = LecturesState {
        core: connection_lambda::core(&aws).await?,
        settings: Settings { image_base: connection_lambda::image_base(&aws)? },
    };
    connection_lambda::run(function(state)).await
}
