//! The one-process local stack: every area's router on one port over the embedded adapters,
//! with the local-only routes. `main.rs` serves it; benchmarks start it in-process.

mod local_only;
pub mod stack;
