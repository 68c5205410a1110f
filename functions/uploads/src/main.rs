//! Lambda `uploads`: the uploads area behind API Gateway (HTTP API, payload v2).

use std::sync::Arc;

use connection_uploads::{UploadsState, function};

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    let state = UploadsState {
        core: connection_lambda::core(&aws).await?,
        blobs: Arc::new(connection_lambda::s3_blobs(&aws)?),
    };
    connection_lambda::run(function(state)).await
}
