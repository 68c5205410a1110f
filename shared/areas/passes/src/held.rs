//! The passes a learner bought (written by the purchase in the payments area): only enabled
//! ones (paid for) are listed, newest first, from one Query of the learner's passes; a copy's
//! bookings come from one Query of the learner's payments.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_http::extract::{PathId, QueryParams};
use connection_http::guards::UserGuard;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::pagination::{PageQuery, plan, window};
use connection_http::{ApiError, Data};
use connection_model::offers::UserPassRecord;
use connection_model::payments::{PaymentRecord, Unit};
use connection_model::{decode, keys};
use connection_table::{Index, Query, Table, query_all};
use serde::Serialize;
use utoipa::ToSchema;

use crate::PassesState;
use crate::views::UserPassView;

/// A learner's enabled passes, newest first.
async fn enabled_passes(table: &dyn Table, user_id: i64) -> Result<Vec<UserPassRecord>, ApiError> {
    let items = query_all(table, Query::gsi(Index::Gsi1, keys::user_passes(user_id)).backward()).await?;
    Ok(items.into_iter().map(decode).collect::<Result<_, _>>()?)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassPage {
    total_item_count: usize,
    user_pass_list: Vec<UserPassView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassListData {
    user_pass_list: UserPassPage,
}

/// My passes, newest first (`take` and `lastItemId`).
#[utoipa::path(get, path = "/user-passes", tag = "user passes", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of my passes and how many I hold", body = Envelope<UserPassListData>), (status = "default", description = "The error envelope: 400 invalid query or unknown member, 401 refused", body = ErrorBody)))]
pub async fn user_passes(
    State(state): State<PassesState>,
    UserGuard(user): UserGuard,
    QueryParams(page): QueryParams<PageQuery>,
) -> Result<Data<UserPassListData>, ApiError> {
    let passes = enabled_passes(state.core.table.as_ref(), user.id).await?;
    let total_item_count = passes.len();
    let user_pass_list = window(passes, &plan(&page), |p| p.id).iter().map(UserPassView::from).collect();
    Ok(Data(UserPassListData { user_pass_list: UserPassPage { total_item_count, user_pass_list } }))
}

#[derive(Serialize, ToSchema)]
pub struct LectureTitle {
    id: i64,
    title: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookedSession {
    id: i64,
    start_date_time: Option<String>,
    end_date_time: Option<String>,
    /// The seats this booking took.
    number_of_participants: i64,
    lecture: LectureTitle,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookingPayment {
    id: i64,
    created_at: String,
    updated_at: String,
}

/// A class booked with the pass.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PassBooking {
    id: i64,
    representative: String,
    phone_number: String,
    participants: i64,
    requests: Option<String>,
    lecture_schedule: BookedSession,
    payment: BookingPayment,
}

/// The bookings paid with the copy `user_pass_id`, newest first, from the learner's payments.
async fn bookings_with(
    table: &dyn Table,
    user_id: i64,
    user_pass_id: i64,
) -> Result<Vec<PassBooking>, ApiError> {
    let items = query_all(table, Query::gsi(Index::Gsi1, keys::user_payments(user_id)).backward()).await?;
    let mut bookings = Vec::new();
    for item in items {
        let payment: PaymentRecord = decode(item)?;
        let (Some(usage), Some(r)) = (&payment.pass_usage, &payment.reservation) else { continue };
        if usage.user_pass_id != user_pass_id {
            continue;
        }
        let (id, start, end) = match &r.unit {
            Unit::Schedule { id, start_date_time, end_date_time } => {
                (*id, Some(start_date_time.clone()), Some(end_date_time.clone()))
            }
            Unit::Cohort { id, sessions, .. } => (
                *id,
                sessions.first().map(|s| s.start_date_time.clone()),
                sessions.last().map(|s| s.end_date_time.clone()),
            ),
        };
        bookings.push(PassBooking {
            id: r.id,
            representative: r.representative.clone(),
            phone_number: r.phone_number.clone(),
            participants: r.participants,
            requests: r.requests.clone(),
            lecture_schedule: BookedSession {
                id,
                start_date_time: start,
                end_date_time: end,
                number_of_participants: r.participants,
                lecture: LectureTitle { id: r.lecture_id, title: r.lecture_title.clone() },
            },
            payment: BookingPayment {
                id: payment.id,
                created_at: payment.created_at.clone(),
                updated_at: payment.updated_at.clone(),
            },
        });
    }
    Ok(bookings)
}

#[derive(Serialize, ToSchema)]
pub struct UserPassInfo {
    #[serde(flatten)]
    pass: UserPassView,
    reservation: Vec<PassBooking>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPassData {
    /// Null when I hold no enabled copy of that pass.
    user_pass_info: Option<UserPassInfo>,
}

/// My enabled copy of a pass (by the pass's id), with the classes I booked with it.
#[utoipa::path(get, path = "/user-passes/{passId}", tag = "user passes", security(("bearer" = [])),
    params(("passId" = i64, Path, description = "The pass (not the purchase)")),
    responses((status = 200, description = "My copy, or null", body = Envelope<UserPassData>), (status = "default", description = "The error envelope: 400 invalid id or unknown member, 401 refused", body = ErrorBody)))]
pub async fn user_pass(
    State(state): State<PassesState>,
    UserGuard(user): UserGuard,
    PathId(pass_id): PathId,
) -> Result<Data<UserPassData>, ApiError> {
    let table = state.core.table.as_ref();
    let passes = enabled_passes(table, user.id).await?;
    let info = match passes.iter().find(|p| p.lecture_pass_id == pass_id) {
        Some(copy) => Some(UserPassInfo {
            pass: copy.into(),
            reservation: bookings_with(table, user.id, copy.id).await?,
        }),
        None => None,
    };
    Ok(Data(UserPassData { user_pass_info: info }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsablePasses {
    usable_pass_list: Vec<UserPassView>,
}

/// My passes that can book a class now: enabled, with uses left, not past their window, and
/// covering the class.
#[utoipa::path(get, path = "/user-passes/lectures/{lectureId}", tag = "user passes", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The class")),
    responses((status = 200, description = "My usable passes", body = Envelope<UsablePasses>), (status = "default", description = "The error envelope: 400 invalid id or unknown member, 401 refused", body = ErrorBody)))]
pub async fn usable_passes(
    State(state): State<PassesState>,
    UserGuard(user): UserGuard,
    PathId(lecture_id): PathId,
) -> Result<Data<UsablePasses>, ApiError> {
    let now = iso8601(state.core.clock.now());
    let mut passes = enabled_passes(state.core.table.as_ref(), user.id).await?;
    passes.retain(|p| p.usable_for(lecture_id, &now));
    Ok(Data(UsablePasses { usable_pass_list: passes.iter().map(UserPassView::from).collect() }))
}
