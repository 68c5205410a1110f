//! Ports other than the table, each with its AWS adapter and its local stand-in.

pub mod blobs;
pub mod clock;

pub use blobs::{BlobError, Blobs, FolderBlobs, S3Blobs};
pub use clock::{Clock, FixedClock, SystemClock, iso8601};
