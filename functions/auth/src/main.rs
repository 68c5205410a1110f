//! Lambda `auth`: social sign-in, access/refresh tokens and SMS verification.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    connection_http::logging::init();
    let state = connection_api::AppState::from_env().await?.with_social_sign_in()?;
    lambda_http::run(connection_api::auth_function(state)).await
}
