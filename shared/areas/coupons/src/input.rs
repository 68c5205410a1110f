//! The coupon body of create and update (api.md §6) and its checks.

use connection_adapters::iso8601;
use connection_domain::offers::{CouponTerms, TermsError};
use connection_domain::schedule::parse_instant;
use connection_http::ApiError;
use connection_http::fields::Checks;
use connection_http::lenient;
use connection_model::offers::TARGETS_MAX;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

const TITLE_MAX: usize = 100;
const AMOUNT_MAX: i64 = 100_000_000;
const USES_MAX: i64 = 1_000_000;

/// A coupon as the lecturer's form sends it; `startAt` only on create.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CouponBody {
    title: String,
    /// Percent off (1–100); exactly one of `percentage` and `discountPrice`.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    percentage: Option<i64>,
    /// Won off.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    discount_price: Option<i64>,
    /// The most a percentage takes off.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    max_discount_price: Option<i64>,
    /// How many orders may use it; absent is unlimited.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    max_usage_count: Option<i64>,
    #[serde(default)]
    start_at: Option<String>,
    end_at: String,
    #[serde(deserialize_with = "lenient::bool")]
    #[schema(value_type = bool)]
    is_stackable: bool,
    #[serde(deserialize_with = "lenient::bool")]
    #[schema(value_type = bool)]
    is_private: bool,
    /// The lecturer's own lectures this coupon applies to.
    #[serde(default, deserialize_with = "lenient::opt_ints")]
    #[schema(value_type = Option<Vec<i64>>)]
    lecture_ids: Option<Vec<i64>>,
}

/// A coupon body that passed every check.
pub struct CouponFields {
    pub title: String,
    pub terms: CouponTerms,
    pub max_usage_count: Option<i64>,
    /// Absent on update.
    pub start_at: Option<String>,
    pub end_at: String,
    pub is_stackable: bool,
    pub is_private: bool,
    pub lecture_ids: Option<Vec<i64>>,
}

pub fn terms_error(e: TermsError) -> ApiError {
    match e {
        TermsError::NoValueProvided => {
            ApiError::bad_request("NoValueProvided", "할인률, 할인 금액 중 반드시 하나를 선택해야합니다.")
        }
        TermsError::BothValueProvided => {
            ApiError::bad_request("BothValueProvided", "할인 금액과 할인 비율은 동시에 설정할 수 없습니다.")
        }
        TermsError::InvalidMaxDiscountPrice => {
            ApiError::bad_request("InvalidMaxDiscountPrice", "최대할인 금액은 할인금액보다 낮을 수 없습니다.")
        }
        TermsError::OutOfRange => ApiError::validation(vec![
            "percentage must be between 1 and 100, and amounts must not be negative".into(),
        ]),
    }
}

fn instant(field: &str, text: &str) -> Result<OffsetDateTime, ApiError> {
    parse_instant(text).ok_or_else(|| ApiError::validation(vec![format!("{field} must be a Date instance")]))
}

/// Checks a body: `creating` requires `startAt`, an update refuses it.
pub fn check(body: CouponBody, creating: bool, now: OffsetDateTime) -> Result<CouponFields, ApiError> {
    let mut checks = Checks::default();
    checks.required_text("title", &body.title, TITLE_MAX);
    checks.range("discountPrice", body.discount_price, 0, AMOUNT_MAX);
    checks.range("maxDiscountPrice", body.max_discount_price, 0, AMOUNT_MAX);
    checks.range("maxUsageCount", body.max_usage_count, 1, USES_MAX);
    match (&body.start_at, creating) {
        (None, true) => checks.fail("startAt should not be empty"),
        (Some(_), false) => checks.fail("property startAt should not exist"),
        _ => {}
    }
    if let Some(ids) = &body.lecture_ids {
        if ids.len() > TARGETS_MAX {
            checks.fail(format!("lectureIds must contain no more than {TARGETS_MAX} elements"));
        }
        if ids.iter().any(|id| *id <= 0) {
            checks.fail("each value in lectureIds must be a positive number");
        }
    }
    checks.finish()?;
    let terms = CouponTerms {
        percentage: body.percentage,
        discount_price: body.discount_price,
        max_discount_price: body.max_discount_price,
    };
    terms.check().map_err(terms_error)?;
    let end_at = instant("endAt", &body.end_at)?;
    if end_at <= now {
        return Err(ApiError::bad_request("InvalidEndAt", "endAt은 현재 시간보다 작을 수 없습니다."));
    }
    let start_at = body.start_at.as_deref().map(|s| instant("startAt", s)).transpose()?;
    if start_at.is_some_and(|start| start >= end_at) {
        return Err(ApiError::bad_request("InvalidStartAt", "startAt은 endAt보다 빨라야 합니다."));
    }
    Ok(CouponFields {
        title: body.title.trim().to_string(),
        terms,
        max_usage_count: body.max_usage_count,
        start_at: start_at.map(iso8601),
        end_at: iso8601(end_at),
        is_stackable: body.is_stackable,
        is_private: body.is_private,
        lecture_ids: body.lecture_ids,
    })
}
