//! The HTTP layer every area shares: the `{statusCode, data}` envelope, the error envelope,
//! request extractors that turn bad input into 400s, JWTs, pagination and request logging.

pub mod envelope;
pub mod error;
pub mod extract;
pub mod jwt;
pub mod logging;
pub mod pagination;

pub use envelope::{Data, Empty};
pub use error::ApiError;
