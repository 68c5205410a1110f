//! Stored files (profile and class images): S3 in AWS (`s3`), a folder that the local stack
//! serves (`folder`).

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
    async fn exists(&self, key: &str) -> Result<bool, BlobError>;
    /// Where clients read objects: `<public_base>/<key>`.
    fn public_base(&self) -> &str;

    /// The key of the object `url` names, when it is one of ours: under our public base, with
    /// a plain key (no query, fragment, `..` or empty segment).
    fn key_of(&self, url: &str) -> Option<String> {
        let key = url.strip_prefix(self.public_base())?.strip_prefix('/')?;
        let plain = |part: &str| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        key.split('/').all(plain).then(|| key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Base;

    #[async_trait]
    impl Blobs for Base {
        async fn put(&self, _: &str, _: Bytes, _: &str) -> Result<String, BlobError> {
            unreachable!()
        }
        async fn delete(&self, _: &str) -> Result<(), BlobError> {
            unreachable!()
        }
        async fn exists(&self, _: &str) -> Result<bool, BlobError> {
            unreachable!()
        }
        fn public_base(&self) -> &str {
            "https://img.example.com/base"
        }
    }

    #[test]
    fn only_plain_keys_under_our_base_are_ours() {
        assert_eq!(
            Base.key_of("https://img.example.com/base/users/1/a.png").as_deref(),
            Some("users/1/a.png")
        );
        for url in [
            "javascript:alert(1)",
            "https://evil.example.com/base/users/1/a.png",
            "https://img.example.com/basement/a.png",
            "https://img.example.com/base/../secret",
            "https://img.example.com/base/users//a.png",
            "https://img.example.com/base/a.png?x=1",
            "https://img.example.com/base/a.png#x",
            "https://img.example.com/base/",
        ] {
            assert_eq!(Base.key_of(url), None, "{url}");
        }
    }
}
