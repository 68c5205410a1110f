//! Stored files (profile and class images): S3 in AWS (`s3`), a folder that the local stack
//! serves (`folder`).

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

/// The image types we store, by their bytes: `(content type, file extension)`.
pub fn image_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let kind = infer::get(bytes)?;
    match kind.mime_type() {
        "image/jpeg" | "image/png" | "image/webp" | "image/gif" => Some((kind.mime_type(), kind.extension())),
        _ => None,
    }
}

/// The object tag of an upload that nothing shows yet; the bucket's lifecycle rule expires
/// objects that still carry it (`x-amz-tagging` on a presigned PUT).
pub const UNCLAIMED_TAGGING: &str = "upload=unclaimed";

/// The file extension of an image content type we store.
pub fn image_extension(content_type: &str) -> Option<&'static str> {
    match content_type {
        "image/jpeg" => Some("jpg"),
        "image/png" => Some("png"),
        "image/webp" => Some("webp"),
        "image/gif" => Some("gif"),
        _ => None,
    }
}

#[derive(Debug, thiserror::Error)]
#[error("blob store failed: {0}")]
pub struct BlobError(pub String);

#[async_trait]
pub trait Blobs: Send + Sync {
    /// Stores `bytes` under `key` and returns the URL clients load it from.
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<String, BlobError>;
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
    async fn exists(&self, key: &str) -> Result<bool, BlobError>;
    /// Stores an upload that nothing shows yet: it expires (bucket lifecycle) unless [`Blobs::keep`]
    /// is called for it.
    async fn put_unclaimed(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<String, BlobError> {
        self.put(key, bytes, content_type).await
    }
    /// Marks an upload as shown by an entity, so that it no longer expires.
    async fn keep(&self, _key: &str) -> Result<(), BlobError> {
        Ok(())
    }
    /// A URL through which a client PUTs one unclaimed upload under `key`, with exactly this
    /// content type, length and the headers of [`UNCLAIMED_TAGGING`] (all part of the
    /// signature), until `expires_in` has passed.
    async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        expires_in: Duration,
    ) -> Result<String, BlobError>;
    /// Where clients read objects: `<public_base>/<key>`.
    fn public_base(&self) -> &str;

    /// The key of the object `url` names, when it is one of ours: under our public base, with
    /// a plain key (no query, fragment, `..` or empty segment).
    fn key_of(&self, url: &str) -> Option<String> {
        let key = url.strip_prefix(self.public_base())?.strip_prefix('/')?;
        is_plain_key(key).then(|| key.to_string())
    }
}

/// A key of plain segments: no empty, `.` or `..` segment, only letters, digits, `-`, `_`, `.`.
pub fn is_plain_key(key: &str) -> bool {
    key.split('/').all(|part| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    })
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
        async fn presign_put(&self, _: &str, _: &str, _: u64, _: Duration) -> Result<String, BlobError> {
            unreachable!()
        }
        fn public_base(&self) -> &str {
            "https://img.example.com/base"
        }
    }

    #[test]
    fn images_are_recognised_by_their_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
        assert_eq!(image_type(&png), Some(("image/png", "png")));
        assert_eq!(image_type(b"GIF89a\x01\x00\x01\x00"), Some(("image/gif", "gif")));
        assert_eq!(image_type(b"%PDF-1.7 not an image"), None);
        assert_eq!(image_type(b"plain text"), None);
        assert_eq!(image_extension("image/webp"), Some("webp"));
        assert_eq!(image_extension("image/svg+xml"), None);
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
