//! The coupons area (api.md §6 and §4.5): lecturers issue coupons for their classes; learners
//! claim public ones from a class page and private ones with a code the lecturer shares.

mod claim;
mod input;
mod issue;
mod lists;
mod views;

use axum::Router;
use axum::extract::FromRef;
use connection_http::{ApiError, Core};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What the coupons area reads from its configuration.
#[derive(Clone)]
pub struct Settings {
    /// The key that signs private coupon codes (from Secrets Manager in AWS).
    pub code_key: Vec<u8>,
}

/// A shorter key could be guessed.
const CODE_KEY_MIN: usize = 32;

impl Settings {
    pub fn new(code_key: &str) -> Result<Self, String> {
        if code_key.len() < CODE_KEY_MIN {
            return Err(format!("the coupon code key must hold at least {CODE_KEY_MIN} bytes"));
        }
        Ok(Settings { code_key: code_key.as_bytes().to_vec() })
    }
}

/// The ports the coupons area uses.
#[derive(Clone, FromRef)]
pub struct CouponsState {
    pub core: Core,
    pub settings: Settings,
}

/// The route table of the coupons function, each route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<CouponsState> {
    OpenApiRouter::new()
        .routes(routes!(issue::create))
        .routes(routes!(issue::update, issue::delete))
        .routes(routes!(issue::add_targets))
        .routes(routes!(issue::private_code))
        .routes(routes!(claim::claim_public))
        .routes(routes!(claim::claim_private))
        .routes(routes!(lists::lecture_coupons))
        .routes(routes!(lists::user_coupons))
        .routes(routes!(lists::lecturer_coupons))
        .routes(routes!(lists::my_coupons))
}

/// The coupons function's routes with their state, for the local stack to merge.
pub fn router(state: CouponsState) -> Router {
    routes().split_for_parts().0.with_state(state)
}

/// What the `coupons` function serves.
pub fn function(state: CouponsState) -> Router {
    connection_http::serve::finish(router(state))
}

fn coupon_not_found() -> ApiError {
    ApiError::not_found("CouponNotFound", "쿠폰이 존재하지 않습니다.")
}

fn invalid_class() -> ApiError {
    ApiError::bad_request("InvalidClassIncluded", "유효하지 않은 클래스가 포함되었습니다.")
}

/// Another change of the same coupon won the race twice in a row.
fn coupon_busy() -> ApiError {
    ApiError::conflict("CouponChanged", "쿠폰이 다른 요청으로 변경되었습니다. 다시 시도해 주세요.")
}
