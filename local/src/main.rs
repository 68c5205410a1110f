//! The local stack: every area on one port, data in `./.connection/` (SQLite and images).
//!
//! `cargo run` serves on 127.0.0.1:8080 (`PORT` overrides); `cargo run -- seed` only writes the
//! lookup tables (to DynamoDB when `TABLE_NAME` is set) and exits.

use std::path::PathBuf;

use connection_local::stack;

#[tokio::main]
async fn main() -> Result<(), String> {
    connection_http::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let data_dir =
        std::env::var("CONNECTION_DATA_DIR").map(PathBuf::from).unwrap_or_else(|_| ".connection".into());
    let stack = stack::Stack::open(&data_dir, format!("http://127.0.0.1:{port}/images")).await?;
    let seeded =
        connection_model::lookups::seed(stack.core.table.as_ref()).await.map_err(|e| e.to_string())?;
    if std::env::args().nth(1).as_deref() == Some("seed") {
        tracing::info!(rows = seeded, "lookup tables seeded");
        return Ok(());
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    tracing::info!(port, data = %data_dir.display(), "connection is serving every area locally");
    axum::serve(listener, stack.router(&data_dir))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
