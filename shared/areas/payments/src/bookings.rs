//! Bookings as the learner and the lecturer see them: whether I booked a class (api.md §5.8),
//! and the bookings of my classes (§4.15). Both read one partition of payments: mine (`gsi1`)
//! or the lecturer's (`gsi2`); the lecturer's list joins its learners in one batch read.

use axum::extract::State;
use connection_http::extract::{PathId, QueryParams};
use connection_http::guards::{LecturerSession, UserGuard};
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::pagination::{PageQuery, plan, window};
use connection_http::{ApiError, Data, Empty};
use connection_model::payments::{PaymentRecord, Unit};
use connection_model::user::UserRecord;
use connection_model::{decode, keys};
use connection_table::{Index, Key, Query, query_all};
use serde::Serialize;
use utoipa::ToSchema;

use crate::PaymentsState;

/// Whether I hold a paid booking of a class.
#[utoipa::path(get, path = "/lectures/{lectureId}/reservations", tag = "payments", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The class")),
    responses((status = 200, description = "I booked it", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no booking of mine (Reservation Not Found)", body = ErrorBody)))]
pub async fn booked(
    State(state): State<PaymentsState>,
    UserGuard(user): UserGuard,
    PathId(lecture_id): PathId,
) -> Result<Empty, ApiError> {
    let query = Query::gsi(Index::Gsi1, keys::user_payments(user.id));
    let items = query_all(state.core.table.as_ref(), query).await?;
    for item in items {
        let payment: PaymentRecord = decode(item)?;
        if payment.reservation.is_some_and(|r| r.lecture_id == lecture_id && r.is_enabled) {
            return Ok(Empty);
        }
    }
    Err(ApiError::not_found("Not Found", "Reservation Not Found"))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Booker {
    id: i64,
    nickname: String,
    profile_image_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookedClass {
    id: i64,
    title: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookedUnit {
    id: i64,
    start_date_time: Option<String>,
    end_date_time: Option<String>,
    day: Option<Vec<String>>,
    date_time: Option<String>,
    /// The seats this booking took.
    number_of_participants: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservationItem {
    id: i64,
    representative: String,
    phone_number: String,
    participants: i64,
    requests: Option<String>,
    lecture: BookedClass,
    user: Booker,
    lecture_schedule: Option<BookedUnit>,
    regular_lecture_status: Option<BookedUnit>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyReservations {
    my_reservation_list: Vec<ReservationItem>,
}

/// The paid bookings of my classes, newest first (`take`, `lastItemId`).
#[utoipa::path(get, path = "/lecturers/my-reservations", tag = "payments", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of bookings", body = Envelope<MyReservations>), (status = "default", description = "The error envelope: 400 invalid query, 401 refused", body = ErrorBody)))]
pub async fn my_reservations(
    State(state): State<PaymentsState>,
    LecturerSession(lecturer, _): LecturerSession,
    QueryParams(page): QueryParams<PageQuery>,
) -> Result<Data<MyReservations>, ApiError> {
    let table = state.core.table.as_ref();
    let query = Query::gsi(Index::Gsi2, keys::lecturer_payments(lecturer.id)).backward();
    let mut payments: Vec<PaymentRecord> =
        query_all(table, query).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
    payments.retain(|p| p.reservation.as_ref().is_some_and(|r| r.is_enabled));
    let payments = window(payments, &plan(&page), |p| p.id);
    let wanted: Vec<Key> = payments.iter().map(|p| keys::user(p.user_id)).collect();
    let users = table.batch_get(&wanted).await?;
    let mut list = Vec::with_capacity(payments.len());
    for (payment, user) in payments.iter().zip(users) {
        let Some(r) = &payment.reservation else { continue };
        let user: Option<UserRecord> = user.map(decode).transpose()?;
        let booker = match user {
            Some(u) => Booker {
                id: u.id,
                nickname: u.nickname,
                profile_image_url: u.profile_image.map(|i| i.image_url),
            },
            None => Booker { id: payment.user_id, nickname: String::new(), profile_image_url: None },
        };
        let (schedule, cohort) = match &r.unit {
            Unit::Schedule { id, start_date_time, end_date_time } => (
                Some(BookedUnit {
                    id: *id,
                    start_date_time: Some(start_date_time.clone()),
                    end_date_time: Some(end_date_time.clone()),
                    day: None,
                    date_time: None,
                    number_of_participants: r.participants,
                }),
                None,
            ),
            Unit::Cohort { id, day, date_time, sessions } => (
                None,
                Some(BookedUnit {
                    id: *id,
                    start_date_time: sessions.first().map(|s| s.start_date_time.clone()),
                    end_date_time: sessions.last().map(|s| s.end_date_time.clone()),
                    day: Some(day.clone()),
                    date_time: Some(date_time.clone()),
                    number_of_participants: r.participants,
                }),
            ),
        };
        list.push(ReservationItem {
            id: r.id,
            representative: r.representative.clone(),
            phone_number: r.phone_number.clone(),
            participants: r.participants,
            requests: r.requests.clone(),
            lecture: BookedClass { id: r.lecture_id, title: r.lecture_title.clone() },
            user: booker,
            lecture_schedule: schedule,
            regular_lecture_status: cohort,
        });
    }
    Ok(Data(MyReservations { my_reservation_list: list }))
}
