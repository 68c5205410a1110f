//! Routes that exist only in the local stack, never in a Lambda function: the SMS outbox and
//! token minting for trying things out with curl.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use connection_adapters::outbox::Outbox;
use connection_auth::{AuthState, start_session, tokens_reply};
use connection_http::extract::PathId;
use connection_http::jwt::Role;
use connection_http::{ApiError, Data};
use serde_json::{Value, json};

pub fn routes(auth: AuthState, outbox: Arc<Outbox>) -> Router {
    Router::new()
        .route("/_local/sms-messages", get(move || sms_messages(outbox.clone())))
        .route("/_local/tokens/users/{userId}", get(mint_user))
        .route("/_local/tokens/lecturers/{lecturerId}", get(mint_lecturer))
        .with_state(auth)
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
