//! The ports a handler may use, wired once per process.

use std::path::Path;
use std::sync::Arc;

use connection_adapters::{Blobs, Clock, FolderBlobs, S3Blobs, SystemClock};
use connection_http::jwt::{LOCAL_SECRET, Tokens};
use connection_table::{DynamoTable, SqliteTable, Table};

#[derive(Clone)]
pub struct AppState {
    pub table: Arc<dyn Table>,
    pub blobs: Arc<dyn Blobs>,
    pub tokens: Arc<Tokens>,
    pub clock: Arc<dyn Clock>,
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// The AWS SDK configuration from the environment (`AWS_ENDPOINT_URL` points it at an emulator).
async fn aws() -> aws_config::SdkConfig {
    aws_config::load_from_env().await
}

async fn dynamo_table(aws: &aws_config::SdkConfig) -> Result<DynamoTable, String> {
    Ok(DynamoTable::new(
        aws_sdk_dynamodb::Client::new(aws),
        env("TABLE_NAME")?,
    ))
}

impl AppState {
    /// A Lambda function's state: DynamoDB (`TABLE_NAME`), S3 (`IMAGE_BUCKET`, served from
    /// `IMAGE_BASE_URL`), and `JWT_SECRET`, which has no default here.
    pub async fn from_env() -> Result<AppState, String> {
        let aws = aws().await;
        let table = dynamo_table(&aws).await?;
        let bucket = env("IMAGE_BUCKET")?;
        let region = aws
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "ap-northeast-2".into());
        let public_base = std::env::var("IMAGE_BASE_URL")
            .unwrap_or_else(|_| format!("https://{bucket}.s3.{region}.amazonaws.com"));
        // Emulators serve buckets by path, not by virtual host.
        let s3_config = aws_sdk_s3::config::Builder::from(&aws)
            .force_path_style(std::env::var("AWS_ENDPOINT_URL").is_ok())
            .build();
        Ok(AppState {
            table: Arc::new(table),
            blobs: Arc::new(S3Blobs::new(
                aws_sdk_s3::Client::from_conf(s3_config),
                bucket,
                public_base,
            )),
            tokens: Arc::new(Tokens::from_env(None)?),
            clock: Arc::new(SystemClock),
        })
    }

    /// The local stack's state: SQLite in `data_dir` (or DynamoDB when `TABLE_NAME` is set),
    /// images in `data_dir/images` served at `public_base`, and the local JWT secret unless
    /// `JWT_SECRET` is set.
    pub async fn local(data_dir: &Path, public_base: String) -> Result<AppState, String> {
        let table: Arc<dyn Table> = if std::env::var("TABLE_NAME").is_ok() {
            let table = dynamo_table(&aws().await).await?;
            table.create_if_missing().await.map_err(|e| e.to_string())?;
            Arc::new(table)
        } else {
            Arc::new(
                SqliteTable::open(&data_dir.join("connection.sqlite3"))
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(AppState {
            table,
            blobs: Arc::new(FolderBlobs::new(data_dir.join("images"), public_base)),
            tokens: Arc::new(Tokens::from_env(Some(LOCAL_SECRET))?),
            clock: Arc::new(SystemClock),
        })
    }
}
