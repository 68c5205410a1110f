//! Lambda `lecturers`: the lecturers area behind API Gateway (HTTP API, payload v2).

use connection_lecturers::{LecturersState, Settings, function};

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    let state = LecturersState {
        core: connection_lambda::core(&aws).await?,
        settings: Settings::from_env(connection_lambda::image_base(&aws)?)?,
    };
    connection_lambda::run(function(state)).await
}
