//! JSON logs with a request id on every line.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// JSON lines on stdout (CloudWatch in Lambda); `RUST_LOG` sets the level (default `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .without_time()
        .try_init();
}

/// Middleware: one line per request (method, path, status, duration) inside a span that carries
/// the request id: API Gateway's `x-request-id`/`x-amzn-requestid` when present, else a new one.
pub async fn log_requests(request: Request, next: Next) -> Response {
    let id = ["x-request-id", "x-amzn-requestid"]
        .iter()
        .find_map(|h| request.headers().get(*h).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let span = tracing::info_span!("request", request_id = %id);
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let started = Instant::now();
    async move {
        let response = next.run(request).await;
        tracing::info!(
            %method,
            %path,
            status = response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "request"
        );
        response
    }
    .instrument(span)
    .await
}
