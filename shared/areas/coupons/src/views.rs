//! How coupons and holdings look on the wire (client.md §6 K).

use connection_http::views::{LectureRef, lecture_refs};
use connection_model::offers::{CouponRecord, HoldingRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// A coupon with its target lectures.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CouponView {
    id: i64,
    lecturer_id: i64,
    title: String,
    percentage: Option<i64>,
    discount_price: Option<i64>,
    max_discount_price: Option<i64>,
    max_usage_count: Option<i64>,
    /// On a class page, only when the coupon is used up (api.md §6).
    #[serde(skip_serializing_if = "Option::is_none")]
    usage_count: Option<i64>,
    is_disabled: bool,
    is_stackable: bool,
    is_private: bool,
    start_at: String,
    end_at: String,
    created_at: String,
    updated_at: String,
    lecture_coupon_target: Vec<LectureRef>,
}

impl From<&CouponRecord> for CouponView {
    fn from(c: &CouponRecord) -> Self {
        CouponView {
            id: c.id,
            lecturer_id: c.lecturer_id,
            title: c.title.clone(),
            percentage: c.percentage,
            discount_price: c.discount_price,
            max_discount_price: c.max_discount_price,
            max_usage_count: c.max_usage_count,
            usage_count: Some(c.usage_count),
            is_disabled: c.is_disabled,
            is_stackable: c.is_stackable,
            is_private: c.is_private,
            start_at: c.start_at.clone(),
            end_at: c.end_at.clone(),
            created_at: c.created_at.clone(),
            updated_at: c.updated_at.clone(),
            lecture_coupon_target: lecture_refs(&c.targets),
        }
    }
}

/// A coupon of a class page, with whether the caller already holds it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferedCoupon {
    #[serde(flatten)]
    coupon: CouponView,
    is_owned: bool,
}

impl OfferedCoupon {
    pub fn new(coupon: &CouponRecord, is_owned: bool) -> Self {
        let mut view = CouponView::from(coupon);
        if !coupon.is_exhausted() {
            view.usage_count = None;
        }
        OfferedCoupon { coupon: view, is_owned }
    }
}

/// A coupon the learner holds. Its `id` is the coupon's (a learner holds a coupon once).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HeldCoupon {
    id: i64,
    lecture_coupon_id: i64,
    is_used: bool,
    created_at: String,
    updated_at: String,
    lecture_coupon: CouponView,
}

impl HeldCoupon {
    pub fn new(holding: &HoldingRecord, coupon: &CouponRecord) -> Self {
        HeldCoupon {
            id: coupon.id,
            lecture_coupon_id: coupon.id,
            is_used: holding.is_used,
            created_at: holding.created_at.clone(),
            updated_at: holding.updated_at.clone(),
            lecture_coupon: coupon.into(),
        }
    }
}
