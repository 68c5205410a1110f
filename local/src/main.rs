//! The local stack: every area on one port, data in `./.connection/` (SQLite and images).
//!
//! `cargo run` serves on 127.0.0.1:8080 (`PORT` overrides); `cargo run -- seed` only writes the
//! lookup tables (to DynamoDB when `TABLE_NAME` is set) and exits.

mod local_only;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use connection_adapters::Outbox;
use tower_http::services::ServeDir;

#[tokio::main]
async fn main() -> Result<(), String> {
    connection_http::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let data_dir =
        std::env::var("CONNECTION_DATA_DIR").map(PathBuf::from).unwrap_or_else(|_| ".connection".into());
    let public_base = format!("http://127.0.0.1:{port}/images");
    let outbox = Arc::new(Outbox::default());
    let state = connection_api::AppState::local(&data_dir, public_base, outbox.clone()).await?;
    let seeded = connection_api::lookups::seed(state.table.as_ref()).await.map_err(|e| e.to_string())?;
    if std::env::args().nth(1).as_deref() == Some("seed") {
        tracing::info!(rows = seeded, "lookup tables seeded");
        return Ok(());
    }
    let app = Router::new()
        .nest_service("/images", ServeDir::new(data_dir.join("images")))
        .merge(connection_api::all_areas(state, local_only::routes(outbox)));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    tracing::info!(port, data = %data_dir.display(), "connection is serving every area locally");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
