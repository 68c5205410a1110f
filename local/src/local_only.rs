//! Routes that exist only in the local stack, never in a Lambda function: the SMS outbox,
//! token minting for trying things out with curl, the target of presigned uploads, and deposits
//! into the payment sandbox's virtual accounts.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post, put};
use connection_adapters::Blobs;
use connection_adapters::folder::FolderBlobs;
use connection_adapters::outbox::Outbox;
use connection_adapters::payments_sandbox::SandboxPayments;
use connection_auth::{AuthState, start_session, tokens_reply};
use connection_http::extract::PathId;
use connection_http::jwt::Role;
use connection_http::{ApiError, Data};
use serde_json::{Value, json};

pub fn routes(auth: AuthState, outbox: Arc<Outbox>, blobs: Arc<FolderBlobs>) -> Router {
    Router::new()
        .route("/_local/sms-messages", get(move || sms_messages(outbox.clone())))
        .route("/_local/tokens/users/{userId}", get(mint_user))
        .route("/_local/tokens/lecturers/{lecturerId}", get(mint_lecturer))
        .route(
            "/_local/uploads/{token}",
            put(move |token, headers, body| presigned_put(blobs.clone(), token, headers, body))
                .layer(DefaultBodyLimit::max(connection_uploads::IMAGE_LIMIT)),
        )
        .with_state(auth)
}

/// A presigned upload, as S3 takes it: the token must be live and the request's content type
/// and length must be the ones it was signed for.
async fn presigned_put(
    blobs: Arc<FolderBlobs>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, StatusCode> {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let put = blobs.redeem(&token, content_type, body.len() as u64).ok_or(StatusCode::FORBIDDEN)?;
    blobs.put(&put.key, body, content_type).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::OK)
}

/// Every SMS "sent" so far, newest last.
async fn sms_messages(outbox: Arc<Outbox>) -> Data<Value> {
    Data(json!({ "messages": outbox.messages() }))
}

async fn mint(state: &AuthState, role: Role) -> Result<Response, ApiError> {
    let issued = start_session(state, role).await?;
    Ok(tokens_reply(role, issued))
}

async fn mint_user(State(state): State<AuthState>, PathId(id): PathId) -> Result<Response, ApiError> {
    mint(&state, Role::User(id)).await
}

async fn mint_lecturer(State(state): State<AuthState>, PathId(id): PathId) -> Result<Response, ApiError> {
    mint(&state, Role::Lecturer(id)).await
}

/// `POST /_local/payments/{orderId}/deposit`: the customer pays into the order's virtual
/// account, and the sandbox sends the deposit callback, as Toss would.
pub fn deposits(payments: connection_payments::PaymentsState, sandbox: Arc<SandboxPayments>) -> Router {
    Router::new().route(
        "/_local/payments/{orderId}/deposit",
        post(move |Path(order_id): Path<String>| async move {
            let Some(secret) = sandbox.deposit(&order_id) else {
                return Err(ApiError::not_found(
                    "PaymentInfoNotFound",
                    "입금을 기다리는 가상계좌가 없습니다.",
                ));
            };
            connection_payments::deposit(&payments, &order_id, &secret).await?;
            Ok(Data(json!({"orderId": order_id})))
        }),
    )
}
