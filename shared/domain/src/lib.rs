//! Pure domain rules of connection: no I/O, only data in and decisions out.

pub mod catalog;
pub mod lookups;
pub mod offers;
pub mod payments;
pub mod regions;
pub mod schedule;
pub mod users;
pub mod validate;

pub use regions::WHOLE_PROVINCE;
