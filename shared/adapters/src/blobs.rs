//! Stored files (profile and class images): S3 in AWS, a folder that the local stack serves.

use std::path::PathBuf;

use async_trait::async_trait;
use bytes::Bytes;

#[derive(Debug, thiserror::Error)]
#[error("blob store failed: {0}")]
pub struct BlobError(pub String);

#[async_trait]
pub trait Blobs: Send + Sync {
    /// Stores `bytes` under `key` and returns the URL clients load it from.
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<String, BlobError>;
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

pub struct S3Blobs {
    client: aws_sdk_s3::Client,
    bucket: String,
    public_base: String,
}

impl S3Blobs {
    /// `public_base` is where clients read objects (the bucket's URL or a CDN in front of it).
    pub fn new(client: aws_sdk_s3::Client, bucket: String, public_base: String) -> Self {
        S3Blobs { client, bucket, public_base: public_base.trim_end_matches('/').to_string() }
    }
}

#[async_trait]
impl Blobs for S3Blobs {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<String, BlobError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(bytes.into())
            .send()
            .await
            .map_err(|e| BlobError(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok(format!("{}/{key}", self.public_base))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| BlobError(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok(())
    }
}

/// Files in a folder; the local stack serves the folder at `public_base`.
pub struct FolderBlobs {
    root: PathBuf,
    public_base: String,
}

impl FolderBlobs {
    pub fn new(root: PathBuf, public_base: String) -> Self {
        FolderBlobs { root, public_base: public_base.trim_end_matches('/').to_string() }
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        if key.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
            return Err(BlobError(format!("invalid key {key}")));
        }
        Ok(self.root.join(key))
    }
}

#[async_trait]
impl Blobs for FolderBlobs {
    async fn put(&self, key: &str, bytes: Bytes, _content_type: &str) -> Result<String, BlobError> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(|e| BlobError(e.to_string()))?;
        }
        tokio::fs::write(&path, &bytes).await.map_err(|e| BlobError(e.to_string()))?;
        Ok(format!("{}/{key}", self.public_base))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(BlobError(e.to_string())),
            _ => Ok(()),
        }
    }
}
