//! A lecturer's passes: sell one for some of their classes, and stop selling it. A stopped pass
//! stays usable for those who bought it.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::{JsonBody, PathId};
use connection_http::fields::Checks;
use connection_http::guards::LecturerSession;
use connection_http::lenient;
use connection_http::openapi::{ErrorBody, StatusOnly};
use connection_http::{ApiError, Empty};
use connection_model::offers::{PassRecord, Retarget, TARGETS_MAX, TargetKind, own_lectures};
use connection_model::{decode, keys, live};
use connection_table::{Cond, TableError, TxOp, Update, next_id};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{PassesState, pass_not_found};

/// A pass as the lecturer's form sends it: the numbers arrive as digit strings.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PassBody {
    title: String,
    /// In won.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    price: i64,
    /// Participant-uses the pass grants.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    max_usage_count: i64,
    /// Months of validity, counted from the first use.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    available_months: i64,
    /// My classes the pass books.
    #[serde(deserialize_with = "lenient::ints")]
    #[schema(value_type = Vec<i64>)]
    lecture_ids: Vec<i64>,
}

/// Sell a pass for some of my classes.
#[utoipa::path(post, path = "/passes/lecture", tag = "passes", security(("bearer" = [])),
    request_body = PassBody,
    responses((status = 201, description = "On sale", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid fields or a class not mine (InvalidClassIncluded), 401 refused", body = ErrorBody)))]
pub async fn create(
    State(state): State<PassesState>,
    LecturerSession(lecturer, _): LecturerSession,
    JsonBody(body): JsonBody<PassBody>,
) -> Result<Empty, ApiError> {
    let mut checks = Checks::default();
    checks.required_text("title", &body.title, 100);
    checks.range("price", Some(body.price), 0, 100_000_000);
    checks.range("maxUsageCount", Some(body.max_usage_count), 1, 1000);
    checks.range("availableMonths", Some(body.available_months), 1, 60);
    if body.lecture_ids.is_empty()
        || body.lecture_ids.len() > TARGETS_MAX
        || body.lecture_ids.iter().any(|id| *id <= 0)
    {
        checks.fail(format!("lectureIds must hold 1 to {TARGETS_MAX} positive ids"));
    }
    checks.finish()?;
    let table = state.core.table.as_ref();
    let targets = own_lectures(table, lecturer.id, &body.lecture_ids).await?.ok_or_else(|| {
        ApiError::bad_request("InvalidClassIncluded", "유효하지 않은 클래스가 포함되었습니다.")
    })?;
    let id = next_id(table, "lecturePass").await?;
    let at = iso8601(state.core.clock.now());
    let pass = PassRecord {
        id,
        lecturer_id: lecturer.id,
        title: body.title.trim().to_string(),
        price: body.price,
        max_usage_count: body.max_usage_count,
        available_months: body.available_months,
        sales_count: 0,
        is_disabled: false,
        targets,
        created_at: at.clone(),
        updated_at: at,
        deleted_at: None,
    };
    let retarget = Retarget {
        offer: keys::pass(id),
        kind: TargetKind::Pass,
        offer_id: id,
        version: 0,
        before: &[],
        after: &pass.targets,
    };
    let mut ops = vec![TxOp::Put { item: pass.item()?, cond: Some(Cond::NotExists) }];
    ops.extend(retarget.target_writes());
    table.transact(ops).await?;
    Ok(Empty)
}

/// Stop selling one of my passes.
#[utoipa::path(patch, path = "/passes/{passId}/deactivate", tag = "passes", security(("bearer" = [])),
    params(("passId" = i64, Path, description = "The pass")),
    responses((status = 200, description = "No longer on sale", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 403 not my pass (PermissionDenied), 404 no such pass (PassNotFound)", body = ErrorBody)))]
pub async fn deactivate(
    State(state): State<PassesState>,
    LecturerSession(lecturer, _): LecturerSession,
    PathId(id): PathId,
) -> Result<Empty, ApiError> {
    let table = state.core.table.as_ref();
    let pass: Option<PassRecord> = table.get(&keys::pass(id)).await?.map(decode).transpose()?;
    let pass = pass.filter(|p| p.deleted_at.is_none()).ok_or_else(pass_not_found)?;
    if pass.lecturer_id != lecturer.id {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "PermissionDenied",
            "패스권을 수정할 권한이 없습니다.",
        ));
    }
    let update = Update::new().set("isDisabled", true).set("updatedAt", iso8601(state.core.clock.now()));
    match table.update(&keys::pass(id), update, Some(live())).await {
        Ok(_) => Ok(Empty),
        Err(TableError::ConditionFailed) => Err(pass_not_found()),
        Err(e) => Err(e.into()),
    }
}
