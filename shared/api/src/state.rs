//! The ports a handler may use, wired once per process.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use connection_adapters::{
    Blobs, Clock, FolderBlobs, HttpOAuth, OAuthError, OAuthVerifier, Outbox, Provider, ProviderUrls, S3Blobs,
    SandboxOAuth, Sms, SnsSms, SocialProfile, SystemClock,
};
use connection_http::jwt::{LOCAL_SECRET, Tokens};
use connection_table::{DynamoTable, SqliteTable, Table};

/// The verifier of functions that do not serve sign-in: it never verifies anything.
pub struct NoSignIn;

#[async_trait::async_trait]
impl OAuthVerifier for NoSignIn {
    async fn verify(&self, _: Provider, _: &str) -> Result<SocialProfile, OAuthError> {
        Err(OAuthError::Unavailable("this function does not serve sign-in".into()))
    }
}

#[derive(Clone)]
pub struct AppState {
    pub table: Arc<dyn Table>,
    pub blobs: Arc<dyn Blobs>,
    pub tokens: Arc<Tokens>,
    pub clock: Arc<dyn Clock>,
    pub oauth: Arc<dyn OAuthVerifier>,
    pub sms: Arc<dyn Sms>,
    pub settings: Settings,
}

/// Tunables read from the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// SMS a user may send per Korean calendar day (`SMS_USAGE_LIMIT`).
    pub sms_daily_limit: i64,
    /// How long an SMS code is valid (`SMS_CODE_TTL_SECONDS`).
    pub sms_code_ttl: i64,
    /// Wrong guesses allowed per SMS code.
    pub sms_max_attempts: i64,
    /// How long a verified phone number counts (`PHONE_VERIFICATION_TTL_SECONDS`).
    pub phone_verification_ttl: i64,
    /// How long after sign-in a new member may sign up (`SIGN_UP_WINDOW_SECONDS`).
    pub sign_up_window: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sms_daily_limit: 5,
            sms_code_ttl: 180,
            sms_max_attempts: 5,
            phone_verification_ttl: 24 * 60 * 60,
            sign_up_window: 30 * 60,
        }
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let d = Settings::default();
        let num = |name: &str, default: i64| -> Result<i64, String> {
            match std::env::var(name) {
                Ok(v) => v.parse().map_err(|_| format!("{name} must be a whole number")),
                Err(_) => Ok(default),
            }
        };
        Ok(Settings {
            sms_daily_limit: num("SMS_USAGE_LIMIT", d.sms_daily_limit)?,
            sms_code_ttl: num("SMS_CODE_TTL_SECONDS", d.sms_code_ttl)?,
            sms_max_attempts: d.sms_max_attempts,
            phone_verification_ttl: num("PHONE_VERIFICATION_TTL_SECONDS", d.phone_verification_ttl)?,
            sign_up_window: num("SIGN_UP_WINDOW_SECONDS", d.sign_up_window)?,
        })
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// The AWS SDK configuration from the environment (`AWS_ENDPOINT_URL` points it at an emulator).
async fn aws() -> aws_config::SdkConfig {
    aws_config::load_from_env().await
}

fn dynamo_table(aws: &aws_config::SdkConfig) -> Result<DynamoTable, String> {
    Ok(DynamoTable::new(aws_sdk_dynamodb::Client::new(aws), env("TABLE_NAME")?))
}

impl AppState {
    /// A Lambda function's state: DynamoDB (`TABLE_NAME`), S3 (`IMAGE_BUCKET`, served from
    /// `IMAGE_BASE_URL`), SNS, and `JWT_SECRET`, which has no default here. Sign-in is added by
    /// [`AppState::with_social_sign_in`].
    pub async fn from_env() -> Result<AppState, String> {
        let aws = aws().await;
        let table = dynamo_table(&aws)?;
        let bucket = env("IMAGE_BUCKET")?;
        let region = aws.region().map(|r| r.to_string()).unwrap_or_else(|| "ap-northeast-2".into());
        let public_base = std::env::var("IMAGE_BASE_URL")
            .unwrap_or_else(|_| format!("https://{bucket}.s3.{region}.amazonaws.com"));
        // Emulators serve buckets by path, not by virtual host.
        let s3_config = aws_sdk_s3::config::Builder::from(&aws)
            .force_path_style(std::env::var("AWS_ENDPOINT_URL").is_ok())
            .build();
        Ok(AppState {
            table: Arc::new(table),
            blobs: Arc::new(S3Blobs::new(aws_sdk_s3::Client::from_conf(s3_config), bucket, public_base)),
            tokens: Arc::new(Tokens::from_env(None)?),
            clock: Arc::new(SystemClock),
            oauth: Arc::new(NoSignIn),
            sms: Arc::new(SnsSms::new(aws_sdk_sns::Client::new(&aws))),
            settings: Settings::from_env()?,
        })
    }

    /// Adds the providers' sign-in (`KAKAO_APP_ID`, `GOOGLE_CLIENT_ID`, …) for the function that
    /// serves it; others keep [`NoSignIn`] and need none of that configuration.
    pub fn with_social_sign_in(mut self) -> Result<AppState, String> {
        self.oauth = Arc::new(HttpOAuth::new(ProviderUrls::from_env()?, Duration::from_secs(5)));
        Ok(self)
    }

    /// The local stack's state: SQLite in `data_dir` (or DynamoDB when `TABLE_NAME` is set),
    /// images in `data_dir/images` served at `public_base`, and the local JWT secret unless
    /// `JWT_SECRET` is set; sign-in takes `sandbox:<email>` provider tokens and SMS go to `outbox`.
    pub async fn local(
        data_dir: &Path,
        public_base: String,
        outbox: Arc<Outbox>,
    ) -> Result<AppState, String> {
        let table: Arc<dyn Table> = if std::env::var("TABLE_NAME").is_ok() {
            let table = dynamo_table(&aws().await)?;
            table.create_if_missing().await.map_err(|e| e.to_string())?;
            Arc::new(table)
        } else {
            Arc::new(SqliteTable::open(&data_dir.join("connection.sqlite3")).map_err(|e| e.to_string())?)
        };
        Ok(AppState {
            table,
            blobs: Arc::new(FolderBlobs::new(data_dir.join("images"), public_base)),
            tokens: Arc::new(Tokens::from_env(Some(LOCAL_SECRET))?),
            clock: Arc::new(SystemClock),
            oauth: Arc::new(SandboxOAuth),
            sms: outbox,
            settings: Settings::from_env()?,
        })
    }
}
