//! Lambda `auth`: social sign-in, access/refresh tokens and SMS verification.

use std::sync::Arc;
use std::time::Duration;

use connection_adapters::oauth_http::{HttpOAuth, ProviderUrls};
use connection_auth::{AuthState, Settings, function};

// Lambda hands a function one event at a time: one thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), connection_lambda::Error> {
    connection_http::logging::init();
    let aws = connection_lambda::aws()?;
    let state = AuthState {
        core: connection_lambda::core(&aws).await?,
        oauth: Arc::new(HttpOAuth::new(ProviderUrls::from_env()?, Duration::from_secs(5))),
        sms: Arc::new(connection_lambda::sns_sms(&aws)),
        settings: Settings::from_env()?,
    };
    connection_lambda::run(function(state)).await
}
