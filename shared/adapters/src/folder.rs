//! Blobs in a folder that the local stack serves. Presigned uploads are one-time tokens that
//! the local stack's `PUT /_local/uploads/{token}` redeems.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;

use crate::blobs::{BlobError, Blobs};

/// What a presigned upload allows: one object, its type and its exact length, until a time.
#[derive(Debug, Clone, PartialEq)]
pub struct PresignedPut {
    pub key: String,
    pub content_type: String,
    pub content_length: u64,
    pub until: Instant,
}

/// Files in a folder; the local stack serves the folder at `public_base`.
pub struct FolderBlobs {
    root: PathBuf,
    public_base: String,
    /// Where presigned uploads go: `<upload_base>/<token>`.
    upload_base: String,
    presigned: Mutex<HashMap<String, PresignedPut>>,
}

impl FolderBlobs {
    pub fn new(root: PathBuf, public_base: String) -> Self {
        let public_base = public_base.trim_end_matches('/').to_string();
        let origin = public_base.rsplit_once('/').map(|(o, _)| o.to_string()).unwrap_or_default();
        FolderBlobs {
            root,
            public_base,
            upload_base: format!("{origin}/_local/uploads"),
            presigned: Mutex::new(HashMap::new()),
        }
    }

    /// Redeems a presigned upload: the token must be live and the request must match it.
    pub fn redeem(&self, token: &str, content_type: &str, content_length: u64) -> Option<PresignedPut> {
        let mut presigned = self.presigned.lock().unwrap_or_else(|e| e.into_inner());
        let put = presigned.get(token)?;
        let valid = put.until > Instant::now()
            && put.content_type == content_type
            && put.content_length == content_length;
        if valid { presigned.remove(token) } else { None }
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

    async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        self.path(key)?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        let put = PresignedPut {
            key: key.to_string(),
            content_type: content_type.to_string(),
            content_length,
            until: Instant::now() + expires_in,
        };
        self.presigned.lock().unwrap_or_else(|e| e.into_inner()).insert(token.clone(), put);
        Ok(format!("{}/{token}", self.upload_base))
    }

    fn public_base(&self) -> &str {
        &self.public_base
    }
}
