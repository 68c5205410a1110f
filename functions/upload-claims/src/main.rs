//! Lambda `upload-claims`: the table's stream (removed upload records) in, object tags out.

use aws_lambda_events::dynamodb::Event;
use connection_lambda::lambda_runtime::{LambdaEvent, run, service_fn};

// Lambda hands a function one batch at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    let blobs = connection_lambda::s3_blobs(&aws)?;
    let blobs = &blobs;
    run(service_fn(move |event: LambdaEvent<Event>| async move {
        connection_uploads::claims::keep_claimed(blobs, event.payload).await.map_err(|e| e.to_string())
    }))
    .await
}
