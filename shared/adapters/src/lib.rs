//! Ports other than the table, each with its adapters behind a feature, so a function links only
//! the clients it uses: `s3`, `sns`, `oauth-http`, `toss`, `secrets` in AWS; `local` for the
//! local stack (a folder of images, an SMS outbox, sandbox sign-in and payments).

pub mod blobs;
pub mod clock;
pub mod oauth;
pub mod sms;

#[cfg(feature = "local")]
pub mod folder;
#[cfg(feature = "oauth-http")]
pub mod oauth_http;
#[cfg(feature = "local")]
pub mod outbox;
#[cfg(feature = "payments")]
pub mod payments;
#[cfg(feature = "local")]
pub mod payments_sandbox;
#[cfg(feature = "s3")]
pub mod s3;
#[cfg(feature = "local")]
pub mod sandbox;
#[cfg(feature = "secrets")]
pub mod secrets;
#[cfg(feature = "sns")]
pub mod sns;
#[cfg(feature = "toss")]
pub mod toss;

pub use blobs::{BlobError, Blobs};
pub use clock::{Clock, FixedClock, SystemClock, iso8601};
pub use oauth::{OAuthError, OAuthVerifier, Provider, SocialProfile};
pub use sms::{Sms, SmsError};
