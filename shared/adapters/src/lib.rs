//! Ports other than the table, each with its AWS (or provider) adapter and its local stand-in.

pub mod blobs;
pub mod clock;
pub mod oauth;
pub mod sms;

pub use blobs::{BlobError, Blobs, FolderBlobs, S3Blobs};
pub use clock::{Clock, FixedClock, SystemClock, iso8601};
pub use oauth::{HttpOAuth, OAuthError, OAuthVerifier, Provider, ProviderUrls, SandboxOAuth, SocialProfile};
pub use sms::{Outbox, Sms, SmsError, SnsSms};
