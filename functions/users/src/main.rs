//! Lambda `users`: the users area behind API Gateway (HTTP API, payload v2).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    connection_http::logging::init();
    let state = connection_api::AppState::from_env().await?;
    lambda_http::run(connection_api::users_function(state)).await
}
