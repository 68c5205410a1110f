//! How passes and purchased passes look on the wire (client.md §6 L).

use connection_http::views::{LectureRef, lecture_refs};
use connection_model::offers::{PassRecord, PassTerms, UserPassRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// A pass with its target classes.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PassView {
    id: i64,
    lecturer_id: i64,
    title: String,
    price: i64,
    max_usage_count: i64,
    available_months: i64,
    sales_count: i64,
    is_disabled: bool,
    created_at: String,
    updated_at: String,
    lecture_pass_target: Vec<LectureRef>,
}

impl From<&PassRecord> for PassView {
    fn from(p: &PassRecord) -> Self {
        PassView {
            id: p.id,
            lecturer_id: p.lecturer_id,
            title: p.title.clone(),
            price: p.price,
            max_usage_count: p.max_usage_count,
            available_months: p.available_months,
            sales_count: p.sales_count,
            is_disabled: p.is_disabled,
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
            lecture_pass_target: lecture_refs(&p.targets),
        }
    }
}

/// The pass as it was bought (`LecturePassCore`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoughtPass {
    id: i64,
    title: String,
    price: i64,
    max_usage_count: i64,
    available_months: i64,
    created_at: String,
    updated_at: String,
}

impl From<&PassTerms> for BoughtPass {
    fn from(t: &PassTerms) -> Self {
        BoughtPass {
            id: t.id,
            title: t.title.clone(),
            price: t.price,
            max_usage_count: t.max_usage_count,
            available_months: t.available_months,
            created_at: t.created_at.clone(),
            updated_at: t.updated_at.clone(),
        }
    }
}

/// A pass a learner bought (`UserPassCore`): its window opens at the first use.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassView {
    id: i64,
    lecture_pass_id: i64,
    remaining_uses: i64,
    is_enabled: bool,
    start_at: Option<String>,
    end_at: Option<String>,
    lecture_pass: BoughtPass,
}

impl From<&UserPassRecord> for UserPassView {
    fn from(u: &UserPassRecord) -> Self {
        UserPassView {
            id: u.id,
            lecture_pass_id: u.lecture_pass_id,
            remaining_uses: u.remaining_uses,
            is_enabled: u.is_enabled,
            start_at: u.start_at.clone(),
            end_at: u.end_at.clone(),
            lecture_pass: (&u.pass).into(),
        }
    }
}
