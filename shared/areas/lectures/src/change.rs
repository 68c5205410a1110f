//! `PATCH /lectures/{lectureId}` and `DELETE /lectures/{lectureId}`: the owning lecturer only.
//! An update is one transaction: the lecture's fields, the seats of every future unit when
//! `maxCapacity` changes (refused below what is booked), new one-day sessions, and the
//! sessions that fall on new holidays (refused when booked).

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::schedule::{on_holiday, parse_instant};
use connection_http::extract::{JsonBody, PathId};
use connection_http::fields::{Checks, check_images, image_deleted};
use connection_http::guards::LecturerSession;
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecture::{CohortRecord, LectureRecord, Notification, ONE_DAY, ScheduleRecord};
use connection_model::offers::{CouponRecord, Target, attach_ops, target_offer_ids};
use connection_model::{claim_failed, claim_images, decode, keys};
use connection_table::{
    Cond, Key, MAX_TRANSACTION_ITEMS, Query, SkCond, Table, TableError, TxOp, Update, query_all,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::create::schedule_items;
use crate::input::{self, LectureFields};
use crate::read::{read_units, with_units};
use crate::views::LectureRow;
use crate::{LecturesState, not_author};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateBody {
    /// Replaces the images (the first is the cover).
    images: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    min_capacity: Option<i64>,
    /// Seats per session; refused below what a future session has booked.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    max_capacity: Option<i64>,
    /// Later than the current end date.
    end_date: Option<String>,
    introduction: Option<String>,
    curriculum: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    reservation_deadline: Option<i64>,
    reservation_comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    price: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    no_show_deposit: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_ints")]
    #[schema(value_type = Option<Vec<i64>>)]
    coupons: Option<Vec<i64>>,
    /// The notice (an empty string clears its text); absent leaves it.
    notification: Option<String>,
    /// The complete new list of holidays.
    holidays: Option<Vec<String>>,
    /// New one-day sessions to add.
    schedules: Option<Vec<String>>,
    location_description: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationRow {
    id: i64,
    lecture_id: i64,
    notification: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedLecture {
    #[serde(flatten)]
    row: LectureRow,
    lecture_notification: Option<NotificationRow>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedData {
    updated_lecture: UpdatedLecture,
}

fn check(body: &UpdateBody) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    input::check_fields(
        &mut checks,
        LectureFields {
            introduction: body.introduction.as_deref(),
            curriculum: body.curriculum.as_deref(),
            notification: body.notification.as_deref(),
            reservation_comment: body.reservation_comment.as_deref(),
            location_description: body.location_description.as_deref(),
            min_capacity: body.min_capacity,
            max_capacity: body.max_capacity,
            reservation_deadline: body.reservation_deadline,
            price: body.price,
            no_show_deposit: body.no_show_deposit,
            images: body.images.as_deref(),
            holidays: body.holidays.as_deref(),
            ..Default::default()
        },
    );
    input::check_has_images(&mut checks, body.images.as_deref());
    checks.list("schedules", body.schedules.as_deref(), input::UNITS_MAX, 100);
    checks.finish()
}

fn after(text: &str, now: OffsetDateTime) -> bool {
    parse_instant(text).is_some_and(|at| at > now)
}

/// A unit still to come: a session that has not started, a cohort with such a session.
fn future_schedule(s: &ScheduleRecord, now: OffsetDateTime) -> bool {
    after(&s.start_date_time, now)
}

fn future_cohort(c: &CohortRecord, now: OffsetDateTime) -> bool {
    c.sessions.iter().any(|s| after(&s.start_date_time, now))
}

fn exist_reservation(dates: &[&str]) -> ApiError {
    ApiError::bad_request("existReservation", format!("예약이 존재하는 일정입니다: {}", dates.join(", ")))
}

fn below_booked(booked: i64) -> ApiError {
    ApiError::bad_request(
        "maxCapacityIsSmallerThanParticipants",
        format!("maxCapacityIsSmallerThanParticipants {booked}"),
    )
}

/// Change my class.
#[utoipa::path(patch, path = "/lectures/{lectureId}", tag = "lectures", security(("bearer" = [])), request_body = UpdateBody,
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 200, description = "The updated lecture", body = Envelope<UpdatedData>), (status = "default", description = "The error envelope: 400 invalid input, not the author or booked sessions in the way, 401 refused, 404 no such lecture, 409 a repeated schedule", body = ErrorBody)))]
pub async fn update(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
    PathId(id): PathId,
    JsonBody(body): JsonBody<UpdateBody>,
) -> Result<Data<UpdatedData>, ApiError> {
    check(&body)?;
    let table = state.core.table.as_ref();
    let (mut lecture, schedules, cohorts) = with_units(table, id).await?;
    if lecture.lecturer_id != me.id {
        return Err(not_author());
    }
    let mut image_keys = match &body.images {
        Some(images) => check_images(&state.settings.image_base, images)?,
        None => Vec::new(),
    };
    image_keys.extend(input::embedded(
        &state.settings.image_base,
        [body.curriculum.as_ref(), body.introduction.as_ref()],
    ));
    let now_at = state.core.clock.now();
    let now = iso8601(now_at);
    let coupon_ops = match body.coupons.as_deref() {
        Some(ids) => retarget_coupons(table, &lecture, &input::coupon_ids(Some(ids))?, &now).await?,
        None => Vec::new(),
    };
    let mut update = Update::new().set("updatedAt", now.clone());
    let mut ops: Vec<TxOp> = Vec::new();
    let mut removed: Vec<Key> = Vec::new();

    if let Some(end) = &body.end_date {
        let end = input::instant("endDate", end)?;
        if parse_instant(&lecture.end_date).is_some_and(|old| end <= old) {
            return Err(ApiError::bad_request("InvalidEndDate", "종료일은 기존 종료일 이후여야 합니다."));
        }
        lecture.end_date = iso8601(end);
        update = update.set("endDate", lecture.end_date.clone());
    }
    if let Some(texts) = &body.holidays {
        let new = input::holidays(texts)?;
        let added: Vec<&String> = new.iter().filter(|h| !lecture.holidays.contains(h)).collect();
        let mut booked = Vec::new();
        for holiday in added.iter().filter_map(|h| parse_instant(h)) {
            for s in schedules
                .iter()
                .filter(|s| parse_instant(&s.start_date_time).is_some_and(|at| on_holiday(at, holiday)))
            {
                if s.number_of_participants > 0 {
                    booked.push(s.start_date_time.as_str());
                } else {
                    let key = keys::schedule(id, &s.start_date_time);
                    removed.push(key.clone());
                    ops.push(TxOp::Delete {
                        key,
                        cond: Some(Cond::Le("numberOfParticipants".into(), 0.into())),
                    });
                }
            }
        }
        if !booked.is_empty() {
            return Err(exist_reservation(&booked));
        }
        lecture.holidays = new;
        update = update.set("holidays", lecture.holidays.clone());
    }
    if let Some(max) = body.max_capacity {
        // Sessions that a new holiday removes keep no seats.
        let future_schedules = schedules.iter().filter(|s| {
            future_schedule(s, now_at) && !removed.contains(&keys::schedule(id, &s.start_date_time))
        });
        let future_cohorts = cohorts.iter().filter(|c| future_cohort(c, now_at));
        let booked = future_schedules
            .clone()
            .map(|s| s.number_of_participants)
            .chain(future_cohorts.clone().map(|c| c.number_of_participants))
            .max()
            .unwrap_or(0);
        if booked > max {
            return Err(below_booked(booked));
        }
        let seats = |key: Key| TxOp::Update {
            key,
            update: Update::new().set("maxCapacity", max),
            cond: Some(Cond::Le("numberOfParticipants".into(), max.into())),
        };
        // Units that already hold this capacity need no write.
        let changed = |m: Option<i64>| m != Some(max);
        ops.extend(
            future_schedules
                .filter(|s| changed(s.max_capacity))
                .map(|s| seats(keys::schedule(id, &s.start_date_time))),
        );
        ops.extend(future_cohorts.filter(|c| changed(c.max_capacity)).map(|c| seats(keys::cohort(id, c.id))));
        lecture.max_capacity = Some(max);
        update = update.set("maxCapacity", max);
    }
    if let Some(texts) = body.schedules.as_deref().filter(|s| !s.is_empty()) {
        if lecture.lecture_method_id != ONE_DAY {
            return Err(ApiError::validation(vec!["schedules are added to one-day lectures only".into()]));
        }
        let mut starts = input::instants("schedules", texts)?;
        starts.sort();
        starts.dedup();
        let taken = starts.iter().any(|s| schedules.iter().any(|x| x.start_date_time == iso8601(*s)));
        if taken {
            return Err(input::duplicate_schedule());
        }
        for item in schedule_items(table, &lecture, &starts).await? {
            ops.push(TxOp::Put { item, cond: Some(Cond::NotExists) });
        }
    }
    if let Some(content) = body.notification {
        let notice = Notification { content, updated_at: now.clone() };
        update = update.set("notification", serde_json::to_value(&notice).map_err(ApiError::internal)?);
        lecture.notification = Some(notice);
    }
    if let Some(images) = body.images {
        update = update.set("images", images.clone());
        lecture.images = images;
    }
    macro_rules! scalar {
        ($field:ident, $attr:literal) => {
            if let Some(value) = body.$field {
                update = update.set($attr, value.clone());
                lecture.$field = value.into();
            }
        };
    }
    scalar!(min_capacity, "minCapacity");
    scalar!(introduction, "introduction");
    scalar!(curriculum, "curriculum");
    scalar!(reservation_deadline, "reservationDeadline");
    scalar!(reservation_comment, "reservationComment");
    scalar!(price, "price");
    scalar!(no_show_deposit, "noShowDeposit");
    scalar!(location_description, "locationDescription");
    lecture.updated_at = now;
    let mine =
        Cond::And(vec![Cond::Eq("lecturerId".into(), me.id.into()), Cond::AttrNotExists("deletedAt".into())]);
    let unit_ops = ops.len();
    ops.push(TxOp::Update { key: keys::lecture(id), update, cond: Some(mine) });
    let first_claim = ops.len();
    ops.extend(claim_images(&image_keys));
    let first_coupon = ops.len();
    ops.extend(coupon_ops);
    if ops.len() > MAX_TRANSACTION_ITEMS {
        return Err(ApiError::validation(vec![format!(
            "one update changes at most {} sessions",
            MAX_TRANSACTION_ITEMS - 1
        )]));
    }
    match table.transact(ops).await {
        Ok(()) => {}
        Err(e) if claim_failed(&e, first_coupon) => return Err(input::coupon_changed()),
        Err(e) if claim_failed(&e, first_claim) => return Err(image_deleted()),
        // A booking arrived between the read and the write.
        Err(e) if (0..unit_ops).any(|i| e.failed_at(i)) => {
            return Err(match body.max_capacity {
                Some(max) => below_booked(max + 1),
                None if !removed.is_empty() => exist_reservation(&[]),
                None => input::duplicate_schedule(),
            });
        }
        Err(e) if e.failed_at(unit_ops) => return Err(crate::not_found_lecture()),
        Err(e) => return Err(e.into()),
    }
    Ok(Data(UpdatedData {
        updated_lecture: UpdatedLecture {
            row: LectureRow::from(&lecture),
            lecture_notification: lecture.notification.as_ref().map(|n| NotificationRow {
                id,
                lecture_id: id,
                notification: n.content.clone(),
                updated_at: n.updated_at.clone(),
            }),
        },
    }))
}

/// The writes that make exactly the coupons `ids` target the lecture: the coupons it gains
/// (the lecturer's own, enabled ones) and the coupons it drops each change their targets;
/// coupons it keeps are left as they are, even once they have ended.
async fn retarget_coupons(
    table: &dyn Table,
    lecture: &LectureRecord,
    ids: &[i64],
    now: &str,
) -> Result<Vec<TxOp>, ApiError> {
    let query =
        Query::partition(keys::lecture_offers(lecture.id)).sk(SkCond::BeginsWith(keys::COUPON_TARGET.into()));
    let current = target_offer_ids(&query_all(table, query).await?);
    let new: Vec<i64> = ids.iter().filter(|id| !current.contains(id)).copied().collect();
    let gained = input::coupons(table, lecture.lecturer_id, &new, Some(lecture.id), now).await?;
    let dropped: Vec<Key> =
        current.iter().filter(|id| !ids.contains(id)).map(|id| keys::coupon(*id)).collect();
    let dropped: Vec<CouponRecord> =
        table.batch_get(&dropped).await?.into_iter().flatten().map(decode).collect::<Result<_, _>>()?;
    let target = Target { id: lecture.id, title: lecture.title.clone() };
    let mut ops = attach_ops(&gained, &target, true, now);
    ops.extend(attach_ops(&dropped, &target, false, now));
    Ok(ops)
}

#[derive(Serialize, ToSchema)]
pub struct DeletedData {
    lecture: LectureRow,
}

/// Booked sessions still to come, by start.
fn booked_ahead<'a>(
    schedules: &'a [ScheduleRecord],
    cohorts: &'a [CohortRecord],
    now: OffsetDateTime,
) -> Vec<&'a str> {
    let mut dates: Vec<&str> = schedules
        .iter()
        .filter(|s| s.number_of_participants > 0 && future_schedule(s, now))
        .map(|s| s.start_date_time.as_str())
        .collect();
    for c in cohorts.iter().filter(|c| c.number_of_participants > 0 && future_cohort(c, now)) {
        dates.extend(c.sessions.first().map(|s| s.start_date_time.as_str()));
    }
    dates
}

/// Withdraw my class (a soft delete), unless sessions to come are booked. The lecture leaves
/// every list first, so no booking can start; the seats are then read again, and a booking
/// that slipped in brings the lecture back.
#[utoipa::path(delete, path = "/lectures/{lectureId}", tag = "lectures", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 200, description = "The withdrawn lecture", body = Envelope<DeletedData>), (status = "default", description = "The error envelope: 400 not the author or booked sessions ahead, 401 refused, 404 no such lecture", body = ErrorBody)))]
pub async fn delete(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
    PathId(id): PathId,
) -> Result<Data<DeletedData>, ApiError> {
    let table = state.core.table.as_ref();
    let (mut lecture, schedules, cohorts) = with_units(table, id).await?;
    if lecture.lecturer_id != me.id {
        return Err(not_author());
    }
    let now_at = state.core.clock.now();
    let booked = booked_ahead(&schedules, &cohorts, now_at);
    if !booked.is_empty() {
        return Err(exist_reservation(&booked));
    }
    let now = iso8601(now_at);
    let hide = Update::new()
        .set("deletedAt", now.clone())
        .set("updatedAt", now.clone())
        .remove("rankpk")
        .remove("gsi2pk")
        .remove("gsi2sk");
    let mine =
        Cond::And(vec![Cond::Eq("lecturerId".into(), me.id.into()), Cond::AttrNotExists("deletedAt".into())]);
    match table.update(&keys::lecture(id), hide, Some(mine)).await {
        Ok(_) => {}
        Err(TableError::ConditionFailed) => return Err(crate::not_found_lecture()),
        Err(e) => return Err(e.into()),
    }
    let (_, (schedules, cohorts)) = read_units(table, id).await?;
    let booked = booked_ahead(&schedules, &cohorts, now_at);
    if !booked.is_empty() {
        let mut restore = Update::new().remove("deletedAt");
        for (attr, value) in
            lecture.item()?.into_iter().filter(|(k, _)| ["rankpk", "gsi2pk", "gsi2sk"].contains(&k.as_str()))
        {
            restore = restore.set(attr, value);
        }
        table.update(&keys::lecture(id), restore, None).await?;
        return Err(exist_reservation(&booked));
    }
    lecture.deleted_at = Some(now.clone());
    lecture.updated_at = now;
    Ok(Data(DeletedData { lecture: LectureRow::from(&lecture) }))
}
