//! Blobs in a folder that the local stack serves.

use std::path::PathBuf;

use async_trait::async_trait;
use bytes::Bytes;

use crate::blobs::{BlobError, Blobs};

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

    async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        tokio::fs::try_exists(self.path(key)?).await.map_err(|e| BlobError(e.to_string()))
    }

    fn public_base(&self) -> &str {
        &self.public_base
    }
}
