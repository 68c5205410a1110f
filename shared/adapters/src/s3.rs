//! Blobs in an S3 bucket.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::presigning::PresigningConfig;
use bytes::Bytes;

use aws_sdk_s3::types::{Tag, Tagging};

use crate::blobs::{BlobError, Blobs, UNCLAIMED_TAGGING};

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

    async fn put_unclaimed(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<String, BlobError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .tagging(UNCLAIMED_TAGGING)
            .body(bytes.into())
            .send()
            .await
            .map_err(|e| BlobError(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok(format!("{}/{key}", self.public_base))
    }

    async fn keep(&self, key: &str) -> Result<(), BlobError> {
        let tag =
            Tag::builder().key("upload").value("claimed").build().map_err(|e| BlobError(e.to_string()))?;
        let tagging = Tagging::builder().tag_set(tag).build().map_err(|e| BlobError(e.to_string()))?;
        match self.client.put_object_tagging().bucket(&self.bucket).key(key).tagging(tagging).send().await {
            Ok(_) => Ok(()),
            // Deleted meanwhile (by `DELETE /uploads`): nothing to keep.
            Err(e) if e.as_service_error().and_then(|e| e.meta().code()) == Some("NoSuchKey") => Ok(()),
            Err(e) => Err(BlobError(aws_sdk_s3::error::DisplayErrorContext(e).to_string())),
        }
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

    async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        match self.client.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(false),
            Err(e) => Err(BlobError(aws_sdk_s3::error::DisplayErrorContext(e).to_string())),
        }
    }

    async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        let config = PresigningConfig::expires_in(expires_in).map_err(|e| BlobError(e.to_string()))?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(i64::try_from(content_length).map_err(|e| BlobError(e.to_string()))?)
            .tagging(UNCLAIMED_TAGGING)
            .presigned(config)
            .await
            .map_err(|e| BlobError(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok(request.uri().to_string())
    }

    fn public_base(&self) -> &str {
        &self.public_base
    }
}
