//! The payments area (api.md §8, flows.md §4): class orders that hold seats and spend coupons in
//! one transaction, pass purchases and bookings with a pass, their confirmation with the payment
//! gateway, Toss's webhooks, their cancellation while pending, refunds, the result page and the
//! learner's payment history.

mod accounts;
mod bookings;
mod cancel;
mod confirm;
mod history;
mod order;
mod pass_booking;
mod pass_order;
mod refund;
mod result;
mod webhooks;

pub use webhooks::deposit;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use connection_adapters::payments::PaymentGateway;
use connection_http::{ApiError, Core};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The ports the payments area uses.
#[derive(Clone, FromRef)]
pub struct PaymentsState {
    pub core: Core,
    pub gateway: Arc<dyn PaymentGateway>,
}

/// The route table of the payments function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<PaymentsState> {
    OpenApiRouter::new()
        .routes(routes!(order::class_order))
        .routes(routes!(pass_order::pass_order))
        .routes(routes!(pass_booking::pass_booking))
        .routes(routes!(confirm::confirm))
        .routes(routes!(cancel::cancel))
        .routes(routes!(refund::refund))
        .routes(routes!(result::payment_result))
        .routes(routes!(history::history))
        .routes(routes!(history::receipt))
        .routes(routes!(history::virtual_account))
        .routes(routes!(accounts::save_account))
        .routes(routes!(accounts::recent_account))
        .routes(routes!(bookings::booked))
        .routes(routes!(bookings::my_reservations))
        .routes(routes!(webhooks::status_changed))
        .routes(routes!(webhooks::deposit_callback))
}

/// The payments function's routes with their state, for the local stack to merge.
pub fn router(state: PaymentsState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `payments` function serves.
pub fn function(state: PaymentsState) -> Router {
    connection_http::serve::finish(router(state))
}

fn payment_not_found() -> ApiError {
    ApiError::not_found("PaymentInfoNotFound", "결제 정보가 존재하지 않습니다.")
}
