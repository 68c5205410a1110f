//! The HTTP layer every area shares: the `{statusCode, data}` envelope, the error envelope,
//! request extractors that turn bad input into 400s, JWTs, route guards, pagination and
//! request logging.

pub mod envelope;
pub mod error;
pub mod extract;
pub mod fields;
pub mod guards;
pub mod jwt;
pub mod lenient;
pub mod logging;
pub mod openapi;
pub mod pagination;
pub mod serve;
pub mod views;

pub use envelope::{Data, Empty};
pub use error::ApiError;
pub use guards::Core;
