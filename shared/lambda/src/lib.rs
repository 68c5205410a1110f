//! A Lambda function's wiring, read once at init: the DynamoDB table (`TABLE_NAME`), the JWT
//! secret from Secrets Manager (`JWT_SECRET_ID`) and, per feature, the other AWS adapters. A
//! function's `main` builds its area's state from these and calls [`run`].

#[cfg(feature = "core")]
use std::sync::Arc;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_types::SdkConfig;
use aws_types::region::Region;
use axum::Router;
#[cfg(feature = "core")]
use connection_adapters::SystemClock;
#[cfg(feature = "core")]
use connection_adapters::secrets::secret_string;
#[cfg(feature = "core")]
use connection_http::Core;
#[cfg(feature = "core")]
use connection_http::jwt::Tokens;
#[cfg(feature = "table")]
use connection_table::DynamoTable;

pub type Error = lambda_http::Error;

/// The runtime for functions fed by other event sources than API Gateway.
pub use lambda_http::lambda_runtime;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// The AWS SDK configuration of a Lambda function, from the variables Lambda sets
/// (`AWS_REGION` and the role's `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`) and `AWS_ENDPOINT_URL` for an emulator. Built directly rather than by
/// aws-config's provider chain, which a function never needs and which costs cold-start time,
/// memory and megabytes of code.
pub fn aws() -> Result<SdkConfig, String> {
    let credentials = Credentials::new(
        env("AWS_ACCESS_KEY_ID")?,
        env("AWS_SECRET_ACCESS_KEY")?,
        std::env::var("AWS_SESSION_TOKEN").ok(),
        None,
        "lambda-environment",
    );
    let mut config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(env("AWS_REGION")?))
        .credentials_provider(SharedCredentialsProvider::new(credentials));
    if let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL") {
        config = config.endpoint_url(endpoint);
    }
    Ok(config.build())
}

/// The table (`TABLE_NAME`).
#[cfg(feature = "table")]
pub fn table(aws: &SdkConfig) -> Result<DynamoTable, String> {
    Ok(DynamoTable::new(aws_sdk_dynamodb::Client::new(aws), env("TABLE_NAME")?))
}

/// The table, the token keys and the clock. The JWT secret is read from Secrets Manager, never
/// from plain function configuration.
#[cfg(feature = "core")]
pub async fn core(aws: &SdkConfig) -> Result<Core, String> {
    let table = table(aws)?;
    let secrets = aws_sdk_secretsmanager::Client::new(aws);
    let secret = secret_string(&secrets, &env("JWT_SECRET_ID")?).await?;
    Ok(Core {
        table: Arc::new(table),
        tokens: Arc::new(Tokens::from_env(&secret)?),
        clock: Arc::new(SystemClock),
    })
}

/// The secret named by the variable `id_var`, read from Secrets Manager.
#[cfg(feature = "core")]
pub async fn secret(aws: &SdkConfig, id_var: &str) -> Result<String, String> {
    secret_string(&aws_sdk_secretsmanager::Client::new(aws), &env(id_var)?).await
}

/// Where clients read our images: `IMAGE_BASE_URL`, or the URL of the bucket `IMAGE_BUCKET`.
pub fn image_base(aws: &SdkConfig) -> Result<String, String> {
    if let Ok(base) = std::env::var("IMAGE_BASE_URL") {
        return Ok(base);
    }
    let bucket = env("IMAGE_BUCKET")?;
    let region = aws.region().map(|r| r.to_string()).unwrap_or_else(|| "ap-northeast-2".into());
    Ok(format!("https://{bucket}.s3.{region}.amazonaws.com"))
}

/// Images in S3 (`IMAGE_BUCKET`), read by clients from `IMAGE_BASE_URL` (the bucket's URL by
/// default).
#[cfg(feature = "s3")]
pub fn s3_blobs(aws: &SdkConfig) -> Result<connection_adapters::s3::S3Blobs, String> {
    let bucket = env("IMAGE_BUCKET")?;
    let public_base = image_base(aws)?;
    // Emulators serve buckets by path, not by virtual host.
    let config = aws_sdk_s3::config::Builder::from(aws)
        .force_path_style(std::env::var("AWS_ENDPOINT_URL").is_ok())
        .build();
    Ok(connection_adapters::s3::S3Blobs::new(aws_sdk_s3::Client::from_conf(config), bucket, public_base))
}

/// SMS through SNS Publish.
#[cfg(feature = "sns")]
pub fn sns_sms(aws: &SdkConfig) -> connection_adapters::sns::SnsSms {
    connection_adapters::sns::SnsSms::new(aws_sdk_sns::Client::new(aws))
}

/// Serves a function's router until the runtime stops it.
pub async fn run(function: Router) -> Result<(), Error> {
    lambda_http::run(function).await
}
