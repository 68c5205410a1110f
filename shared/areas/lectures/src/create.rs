//! `POST /lectures`: the lecture and every bookable unit (one-day sessions or regular cohorts
//! with their sessions) in one transaction; a lecture with more units than a transaction takes
//! writes its units first and the lecture item last, so it becomes visible only when complete.
//! The lecturer's followers then get a notification item.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::schedule::{seoul_weekday, session_end};
use connection_http::extract::JsonBody;
use connection_http::fields::image_deleted;
use connection_http::guards::LecturerSession;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecture::{CohortRecord, LectureRecord, Notification, ScheduleRecord, Session};
use connection_model::offers::{Target, attach_ops};
use connection_model::{claim_images, keys};
use connection_table::{
    Cond, Index, Item, Key, MAX_TRANSACTION_ITEMS, Query, Table, TableError, TxOp, next_id, next_ids,
};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::LecturesState;
use crate::input::{self, CreateBody, NewLecture, duplicate_schedule, validate};
use crate::views::LectureRow;

/// What followers read when a lecturer they like opens a class (flows.md §9).
pub const NEW_LECTURE_NOTICE: &str = "관심강사가 새로운 클래스를 개설했습니다.";

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    new_lecture: LectureRow,
}

/// Open a class.
#[utoipa::path(post, path = "/lectures", tag = "lectures", security(("bearer" = [])), request_body = CreateBody,
    responses((status = 201, description = "The new lecture", body = Envelope<Created>), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 409 a repeated schedule", body = ErrorBody)))]
pub async fn create(
    State(state): State<LecturesState>,
    LecturerSession(lecturer, _): LecturerSession,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<Data<Created>, ApiError> {
    let new = validate(&body, &state.settings.image_base)?;
    let table = state.core.table.as_ref();
    let now = iso8601(state.core.clock.now());
    let coupons = input::coupons(table, lecturer.id, &new.coupons, None, &now).await?;
    let id = next_id(table, "lecture").await?;
    let lecture = LectureRecord {
        id,
        lecturer_id: lecturer.id,
        lecture_type_id: 1,
        lecture_method_id: new.method_id,
        is_group: body.is_group,
        start_date: new.start_date.clone(),
        end_date: new.end_date.clone(),
        title: body.title,
        introduction: body.introduction,
        curriculum: body.curriculum,
        duration: body.duration,
        difficulty_level: body.difficulty_level,
        min_capacity: body.min_capacity,
        max_capacity: body.max_capacity,
        reservation_deadline: body.reservation_deadline,
        reservation_comment: body.reservation_comment,
        price: body.price,
        no_show_deposit: body.no_show_deposit,
        location_description: body.location_description,
        regions: new.regions.clone(),
        genres: new.genres.clone(),
        images: body.images,
        location: new.location.clone(),
        notification: body.notification.map(|content| Notification { content, updated_at: now.clone() }),
        holidays: new.holidays.clone(),
        day_schedules: new.day_schedules.clone(),
        is_active: true,
        created_at: now.clone(),
        updated_at: now.clone(),
        ..Default::default()
    };
    let units = unit_items(table, &lecture, &new).await?;
    let target = Target { id, title: lecture.title.clone() };
    let mut last = claim_images(&new.image_keys);
    let first_coupon = last.len();
    last.extend(attach_ops(&coupons, &target, true, &now));
    write(table, lecture.item()?, units, last, first_coupon).await?;
    // The class is open whatever happens to its notices: a failure is logged, not answered.
    if let Err(e) = notify_followers(table, &lecture, &now).await {
        tracing::error!(error = ?e, lecture = lecture.id, "new-class notifications failed");
    }
    Ok(Data(Created { new_lecture: LectureRow::from(&lecture) }))
}

/// The items of the lecture's bookable units, with their ids.
pub(crate) async fn unit_items(
    table: &dyn Table,
    lecture: &LectureRecord,
    new: &NewLecture,
) -> Result<Vec<Item>, ApiError> {
    let mut items = Vec::new();
    if !new.schedules.is_empty() {
        items.extend(schedule_items(table, lecture, &new.schedules).await?);
    }
    if !new.cohorts.is_empty() {
        let first_cohort = next_ids(table, "regularLectureStatus", new.cohorts.len() as i64).await?;
        let sessions: usize = new.cohorts.iter().map(|c| c.starts.len()).sum();
        let mut session_id = next_ids(table, "regularLectureSchedule", sessions as i64).await?;
        for (cohort, cohort_id) in new.cohorts.iter().zip(first_cohort..) {
            let sessions = cohort
                .starts
                .iter()
                .map(|start| {
                    session_id += 1;
                    Session {
                        id: session_id - 1,
                        day: seoul_weekday(*start),
                        start_date_time: iso8601(*start),
                        end_date_time: iso8601(session_end(*start, lecture.duration)),
                    }
                })
                .collect();
            let record = CohortRecord {
                id: cohort_id,
                lecture_id: lecture.id,
                lecturer_id: lecture.lecturer_id,
                day: cohort.day.clone(),
                date_time: cohort.date_time.clone(),
                number_of_participants: 0,
                max_capacity: lecture.max_capacity,
                sessions,
            };
            items.push(record.item()?);
        }
    }
    Ok(items)
}

/// One-day schedule items for `starts`, with fresh ids.
pub(crate) async fn schedule_items(
    table: &dyn Table,
    lecture: &LectureRecord,
    starts: &[OffsetDateTime],
) -> Result<Vec<Item>, ApiError> {
    let first = next_ids(table, "lectureSchedule", starts.len() as i64).await?;
    starts
        .iter()
        .zip(first..)
        .map(|(start, id)| {
            let record = ScheduleRecord {
                id,
                lecture_id: lecture.id,
                lecturer_id: lecture.lecturer_id,
                start_date_time: iso8601(*start),
                end_date_time: iso8601(session_end(*start, lecture.duration)),
                day: seoul_weekday(*start),
                number_of_participants: 0,
                max_capacity: lecture.max_capacity,
            };
            record.item().map_err(ApiError::from)
        })
        .collect()
}

/// Writes the units and then the lecture with `with_lecture` (the claims of its images, then
/// from `first_coupon` on the coupons that come to target it): in one transaction when they fit,
/// else units in transactions of their own and the lecture last; a failure removes what was
/// written.
async fn write(
    table: &dyn Table,
    lecture: Item,
    units: Vec<Item>,
    with_lecture: Vec<TxOp>,
    first_coupon: usize,
) -> Result<(), ApiError> {
    let put = |item: Item| TxOp::Put { item, cond: Some(Cond::NotExists) };
    // Which of the lecture transaction's writes failed, counted from the lecture's own.
    let explain = |e: TableError, lecture_at: usize| {
        let coupons_at = lecture_at + 1 + first_coupon;
        if (coupons_at..coupons_at + with_lecture.len()).any(|i| e.failed_at(i)) {
            input::coupon_changed()
        } else if (lecture_at + 1..coupons_at).any(|i| e.failed_at(i)) {
            image_deleted()
        } else if (0..=lecture_at).any(|i| e.failed_at(i)) {
            duplicate_schedule()
        } else {
            e.into()
        }
    };
    if units.len() + with_lecture.len() < MAX_TRANSACTION_ITEMS {
        let n = units.len();
        let mut ops: Vec<TxOp> = units.into_iter().map(put).collect();
        ops.push(put(lecture));
        ops.extend(with_lecture.iter().cloned());
        return table.transact(ops).await.map_err(|e| explain(e, n));
    }
    let keys: Vec<Key> = units.iter().filter_map(|i| Key::of(i).ok()).collect();
    let mut written = 0;
    let mut failure = None;
    for chunk in units.chunks(MAX_TRANSACTION_ITEMS) {
        match table.transact(chunk.iter().cloned().map(put).collect()).await {
            Ok(()) => written += chunk.len(),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let mut last_failed = false;
    if failure.is_none() {
        let mut last = vec![put(lecture)];
        last.extend(with_lecture.iter().cloned());
        failure = table.transact(last).await.err();
        last_failed = failure.is_some();
    }
    let Some(e) = failure else {
        return Ok(());
    };
    for key in &keys[..written] {
        table.delete(key, None).await?;
    }
    Err(if last_failed { explain(e, 0) } else { e.into() })
}

/// A notification for every follower of the lecturer, written after the lecture.
async fn notify_followers(table: &dyn Table, lecture: &LectureRecord, now: &str) -> Result<(), ApiError> {
    let followers =
        table.query(Query::gsi(Index::Gsi2, keys::lecturer_followers(lecture.lecturer_id))).await?;
    let notices: Vec<TxOp> = followers
        .items
        .iter()
        .filter_map(|f| f.get("userId").and_then(|v| v.as_i64()))
        .map(|user_id| {
            let key = keys::notification(user_id, now, lecture.id);
            let item = key.item_with(json!({
                "entity": "Notification", "id": key.sk, "target": {"userId": user_id},
                "description": NEW_LECTURE_NOTICE, "lectureId": lecture.id, "createdAt": now,
            }));
            TxOp::Put { item, cond: None }
        })
        .collect();
    let mut notices = notices.into_iter().peekable();
    while notices.peek().is_some() {
        table.transact(notices.by_ref().take(MAX_TRANSACTION_ITEMS).collect()).await?;
    }
    Ok(())
}
