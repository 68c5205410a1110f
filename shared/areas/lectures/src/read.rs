//! `GET /lectures/{lectureId}/previews`, `/detail` and `/schedules`, and the retired
//! `GET /lectures`.

use axum::extract::State;
use axum::http::StatusCode;
use connection_http::extract::PathId;
use connection_http::guards::{GuestOrUserToken, active_user};
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecture::{CohortRecord, LectureRecord, ScheduleRecord};
use connection_model::lecturer::LecturerRecord;
use connection_model::{decode, keys};
use connection_table::{Query, Table};
use serde::Serialize;
use utoipa::ToSchema;

use connection_http::views::{RegionView, regions};

use crate::views::{self, GenreView, ImageView};
use crate::{LecturesState, not_found_lecture};

/// A lecture that exists and is not deleted.
pub(crate) async fn find(table: &dyn Table, id: i64) -> Result<LectureRecord, ApiError> {
    let lecture: LectureRecord =
        table.get(&keys::lecture(id)).await?.map(decode).transpose()?.ok_or_else(not_found_lecture)?;
    if lecture.deleted_at.is_some() {
        return Err(not_found_lecture());
    }
    Ok(lecture)
}

type Units = (Vec<ScheduleRecord>, Vec<CohortRecord>);

/// The lecture, its one-day schedules (start order) and cohorts (id order): one Query.
pub(crate) async fn with_units(
    table: &dyn Table,
    id: i64,
) -> Result<(LectureRecord, Vec<ScheduleRecord>, Vec<CohortRecord>), ApiError> {
    match read_units(table, id).await? {
        (Some(l), (schedules, cohorts)) if l.deleted_at.is_none() => Ok((l, schedules, cohorts)),
        _ => Err(not_found_lecture()),
    }
}

/// [`with_units`], deleted or not.
pub(crate) async fn read_units(
    table: &dyn Table,
    id: i64,
) -> Result<(Option<LectureRecord>, Units), ApiError> {
    let page = table.query(Query::partition(keys::lecture_partition(id))).await?;
    let (mut lecture, mut schedules, mut cohorts) = (None, Vec::new(), Vec::new());
    for item in page.items {
        let sk = item.get("sk").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        if sk == "LECTURE" {
            lecture = Some(decode::<LectureRecord>(item)?);
        } else if sk.starts_with(keys::SCHEDULE) {
            schedules.push(decode(item)?);
        } else if sk.starts_with(keys::COHORT) {
            cohorts.push(decode(item)?);
        }
    }
    Ok((lecture, (schedules, cohorts)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    id: i64,
    lecturer_id: i64,
    title: String,
    price: i64,
    /// `"4.5"`, or `"0"` without reviews.
    stars: String,
    lecture_to_region: Vec<RegionView>,
    lecture_to_dance_genre: Vec<GenreView>,
    is_group: bool,
    max_capacity: Option<i64>,
    duration: i64,
    difficulty_level: String,
    lecture_image: Vec<ImageView>,
    /// Whether the caller likes it.
    is_like: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewData {
    lecture_preview: Preview,
}

/// The head of a class page: the lecture, the caller's profile and like, in one batch read.
#[utoipa::path(get, path = "/lectures/{lectureId}/previews", tag = "lectures", security((), ("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 200, description = "The preview", body = Envelope<PreviewData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such lecture", body = ErrorBody)))]
pub async fn preview(
    State(state): State<LecturesState>,
    GuestOrUserToken(caller): GuestOrUserToken,
    PathId(id): PathId,
) -> Result<Data<PreviewData>, ApiError> {
    let mut wanted = vec![keys::lecture(id)];
    if let Some(user) = caller {
        wanted.extend([keys::user(user), keys::lecture_like(user, id)]);
    }
    let mut found = state.core.table.batch_get(&wanted).await?.into_iter();
    let lecture = found.next().flatten();
    let is_like = match caller {
        Some(_) => {
            active_user(found.next().flatten())?;
            found.next().flatten().is_some()
        }
        None => false,
    };
    let lecture: LectureRecord = lecture.map(decode).transpose()?.ok_or_else(not_found_lecture)?;
    if lecture.deleted_at.is_some() {
        return Err(not_found_lecture());
    }
    Ok(Data(PreviewData {
        lecture_preview: Preview {
            id: lecture.id,
            lecturer_id: lecture.lecturer_id,
            stars: lecture.stars_text(),
            lecture_to_region: regions(&lecture.regions),
            lecture_to_dance_genre: views::genres(&lecture.genres),
            lecture_image: views::images(&lecture.images),
            is_like,
            title: lecture.title,
            price: lecture.price,
            is_group: lecture.is_group,
            max_capacity: lecture.max_capacity,
            duration: lecture.duration,
            difficulty_level: lecture.difficulty_level,
        },
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DetailLecturer {
    id: i64,
    nickname: String,
    profile_card_image_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationView {
    /// The lecture's id: a lecture has one notice.
    id: i64,
    content: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LocationView {
    /// The lecture's id: a lecture has one place.
    id: i64,
    address: String,
    detail_address: String,
    building_name: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    id: i64,
    lecturer: DetailLecturer,
    start_date: String,
    end_date: String,
    duration: i64,
    /// Hours before a session when booking closes.
    reservation_deadline: i64,
    /// Always a string (the order page trims it).
    reservation_comment: String,
    price: i64,
    notification: Option<NotificationView>,
    introduction: Option<String>,
    curriculum: String,
    min_capacity: Option<i64>,
    max_capacity: Option<i64>,
    review_count: i64,
    location_description: Option<String>,
    location: Option<LocationView>,
    stars: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DetailData {
    lecture_detail: Detail,
}

/// The body of a class page: the lecture, then its lecturer.
#[utoipa::path(get, path = "/lectures/{lectureId}/detail", tag = "lectures",
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 200, description = "The detail", body = Envelope<DetailData>), (status = "default", description = "The error envelope: 400 invalid id, 404 no such lecture", body = ErrorBody)))]
pub async fn detail(
    State(state): State<LecturesState>,
    PathId(id): PathId,
) -> Result<Data<DetailData>, ApiError> {
    let table = state.core.table.as_ref();
    let lecture = find(table, id).await?;
    let lecturer: Option<LecturerRecord> =
        table.get(&keys::lecturer(lecture.lecturer_id)).await?.map(decode).transpose()?;
    let lecturer = lecturer.unwrap_or_default();
    Ok(Data(DetailData {
        lecture_detail: Detail {
            id: lecture.id,
            lecturer: DetailLecturer {
                id: lecture.lecturer_id,
                nickname: lecturer.nickname,
                profile_card_image_url: lecturer.profile_card_image_url,
            },
            stars: lecture.stars_text(),
            notification: lecture.notification.map(|n| NotificationView {
                id: lecture.id,
                content: n.content,
                updated_at: n.updated_at,
            }),
            location: lecture.location.map(|l| LocationView {
                id: lecture.id,
                address: l.address,
                detail_address: l.detail_address,
                building_name: l.building_name,
            }),
            start_date: lecture.start_date,
            end_date: lecture.end_date,
            duration: lecture.duration,
            reservation_deadline: lecture.reservation_deadline,
            reservation_comment: lecture.reservation_comment.unwrap_or_default(),
            price: lecture.price,
            introduction: lecture.introduction,
            curriculum: lecture.curriculum,
            min_capacity: lecture.min_capacity,
            max_capacity: lecture.max_capacity,
            review_count: lecture.review_count,
            location_description: lecture.location_description,
        },
    }))
}

#[derive(Serialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct OneDaySchedule {
    id: i64,
    lecture_id: i64,
    /// Weekday in Seoul, 0 = Sunday.
    day: u8,
    start_date_time: String,
    end_date_time: String,
    number_of_participants: i64,
    /// Seats of this session (null = unlimited).
    max_capacity: Option<i64>,
}

#[derive(Serialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    id: i64,
    day: u8,
    start_date_time: String,
    end_date_time: String,
}

#[derive(Serialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Cohort {
    id: i64,
    lecture_id: i64,
    day: Vec<String>,
    date_time: String,
    number_of_participants: i64,
    max_capacity: Option<i64>,
    regular_lecture_schedule: Vec<SessionView>,
}

#[derive(Serialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DayPatternView {
    id: i64,
    lecture_id: i64,
    day: Vec<String>,
    date_time: Vec<String>,
}

/// `schedule` holds the same units as `schedules` or `regularLectureStatus`.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum UnitsView {
    OneDay(Vec<OneDaySchedule>),
    Regular(Vec<Cohort>),
}

/// Both spellings the client reads: the class page reads `schedules` or
/// `regularLectureStatus` with `holidays`; the edit page reads `schedule` and `holidayArr`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchedulesData {
    #[serde(skip_serializing_if = "Option::is_none")]
    schedules: Option<Vec<OneDaySchedule>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regular_lecture_status: Option<Vec<Cohort>>,
    schedule: UnitsView,
    holidays: Vec<String>,
    holiday_arr: Vec<String>,
    day_schedules: Vec<DayPatternView>,
    day_schedule: Vec<DayPatternView>,
}

pub(crate) fn schedule_view(s: &ScheduleRecord) -> OneDaySchedule {
    OneDaySchedule {
        id: s.id,
        lecture_id: s.lecture_id,
        day: s.day,
        start_date_time: s.start_date_time.clone(),
        end_date_time: s.end_date_time.clone(),
        number_of_participants: s.number_of_participants,
        max_capacity: s.max_capacity,
    }
}

pub(crate) fn cohort_view(c: &CohortRecord) -> Cohort {
    Cohort {
        id: c.id,
        lecture_id: c.lecture_id,
        day: c.day.clone(),
        date_time: c.date_time.clone(),
        number_of_participants: c.number_of_participants,
        max_capacity: c.max_capacity,
        regular_lecture_schedule: c
            .sessions
            .iter()
            .map(|s| SessionView {
                id: s.id,
                day: s.day,
                start_date_time: s.start_date_time.clone(),
                end_date_time: s.end_date_time.clone(),
            })
            .collect(),
    }
}

/// Every session of a class with its seats, and its holidays: one Query.
#[utoipa::path(get, path = "/lectures/{lectureId}/schedules", tag = "lectures",
    params(("lectureId" = i64, Path, description = "The lecture")),
    responses((status = 200, description = "The schedules", body = Envelope<SchedulesData>), (status = "default", description = "The error envelope: 400 invalid id, 404 no such lecture", body = ErrorBody)))]
pub async fn schedules(
    State(state): State<LecturesState>,
    PathId(id): PathId,
) -> Result<Data<SchedulesData>, ApiError> {
    let (lecture, schedules, cohorts) = with_units(state.core.table.as_ref(), id).await?;
    let patterns: Vec<DayPatternView> = lecture
        .day_schedules
        .iter()
        .zip(1..)
        .map(|(p, n)| DayPatternView {
            id: n,
            lecture_id: id,
            day: p.day.clone(),
            date_time: p.date_time.clone(),
        })
        .collect();
    let (one_day, regular, units) = if lecture.lecture_method_id == connection_model::lecture::REGULAR {
        let cohorts: Vec<Cohort> = cohorts.iter().map(cohort_view).collect();
        (None, Some(cohorts.clone()), UnitsView::Regular(cohorts))
    } else {
        let schedules: Vec<OneDaySchedule> = schedules.iter().map(schedule_view).collect();
        (Some(schedules.clone()), None, UnitsView::OneDay(schedules))
    };
    Ok(Data(SchedulesData {
        schedules: one_day,
        regular_lecture_status: regular,
        schedule: units,
        holidays: lecture.holidays.clone(),
        holiday_arr: lecture.holidays,
        day_schedules: patterns.clone(),
        day_schedule: patterns,
    }))
}

/// The original's offset listing, retired: its filters never worked (gap #25) and no client
/// calls it. Search serves classes.
#[utoipa::path(get, path = "/lectures", tag = "lectures",
    responses((status = 410, description = "Retired: use GET /search/lecture", body = ErrorBody)))]
pub async fn retired_listing() -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "Gone",
        "GET /lectures is retired; search classes with GET /search/lecture",
    )
}
