//! Lecture drafts (`/lecture-temporarily-save`): the creation wizard saves each step here. A
//! draft lives in its lecturer's partition, so only its lecturer reaches it; a lecturer holds
//! at most five (a bounded counter on the lecturer, written with the draft).

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::catalog::genre_name;
use connection_domain::lookups::{LECTURE_METHODS, LECTURE_TYPES};
use connection_domain::regions;
use connection_http::extract::{JsonBody, PathId};
use connection_http::fields::{Checks, check_images, image_deleted, resolve_genres, resolve_regions};
use connection_http::guards::LecturerSession;
use connection_http::lenient;
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::lecturer::GenreLink;
use connection_model::{claim_failed, claim_images, decode, encode, keys};
use connection_table::{Cond, Query, SkCond, TableError, TxOp, Update, counter_bounds, next_id};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::LecturesState;
use crate::input::{self, DayPatternBody, LectureFields, LocationBody, method_id};

/// Drafts a lecturer may hold at once.
pub const DRAFTS_MAX: i64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftLocation {
    address: Option<String>,
    detail_address: Option<String>,
    building_name: Option<String>,
    administrative_district: Option<String>,
    district: Option<String>,
}

/// A one-day date with its times (`{date, dateTime: ["19:00"]}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DateTimes {
    date: String,
    date_time: Vec<String>,
}

/// The wizard's schedules: by date, or by weekday.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum DraftSchedules {
    ByDate(Vec<DateTimes>),
    ByDay(Vec<DayPatternBody>),
}

/// A draft as stored: every field of a lecture, each optional; its scalars are its row.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftRecord {
    #[serde(flatten)]
    row: DraftRow,
    notification: Option<String>,
    images: Vec<String>,
    coupons: Vec<i64>,
    regions: Vec<i64>,
    genres: Vec<GenreLink>,
    holidays: Vec<String>,
    location: Option<DraftLocation>,
    schedules: Option<DraftSchedules>,
}

/// The draft's row, as the original answered it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftRow {
    id: i64,
    lecturer_id: i64,
    step: Option<i64>,
    lecture_type_id: Option<i64>,
    lecture_method_id: Option<i64>,
    is_group: Option<bool>,
    start_date: Option<String>,
    end_date: Option<String>,
    title: Option<String>,
    introduction: Option<String>,
    curriculum: Option<String>,
    duration: Option<i64>,
    difficulty_level: Option<String>,
    min_capacity: Option<i64>,
    max_capacity: Option<i64>,
    reservation_deadline: Option<i64>,
    reservation_comment: Option<String>,
    price: Option<i64>,
    no_show_deposit: Option<i64>,
    location_description: Option<String>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

fn not_found_draft() -> ApiError {
    ApiError::not_found("NotFoundTemporaryLecture", "존재하지 않는 임시저장입니다.")
}

/// Start a draft.
#[utoipa::path(post, path = "/lecture-temporarily-save", tag = "lecture drafts", security(("bearer" = [])),
    responses((status = 201, description = "The new, empty draft", body = Envelope<DraftRow>), (status = "default", description = "The error envelope: 400 five drafts already, 401 refused", body = ErrorBody)))]
pub async fn create(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
) -> Result<Data<DraftRow>, ApiError> {
    let table = state.core.table.as_ref();
    let id = next_id(table, "temporaryLecture").await?;
    let now = iso8601(state.core.clock.now());
    let row =
        DraftRow { id, lecturer_id: me.id, created_at: now.clone(), updated_at: now, ..Default::default() };
    let draft = DraftRecord { row, ..Default::default() };
    let ops = vec![
        TxOp::Put {
            item: encode(&keys::draft(me.id, id), "TemporaryLecture", &draft)?,
            cond: Some(Cond::NotExists),
        },
        TxOp::Update {
            key: keys::lecturer(me.id),
            update: Update::new().add("draftCount", 1),
            cond: counter_bounds("draftCount", 1, None, Some(DRAFTS_MAX)),
        },
    ];
    match state.core.table.transact(ops).await {
        Ok(()) => Ok(Data(draft.row)),
        Err(e) if e.failed_at(1) => {
            Err(ApiError::bad_request("TooManyTemporaryLectures", "더 이상 임시저장을 생성할 수 없습니다."))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SaveBody {
    /// The draft's id.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    lecture_id: i64,
    /// The wizard step the lecturer is on.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    step: i64,
    regions: Option<Vec<String>>,
    location: Option<LocationBody>,
    lecture_type: Option<String>,
    lecture_method: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    #[schema(value_type = Option<bool>)]
    is_group: Option<bool>,
    start_date: Option<String>,
    end_date: Option<String>,
    notification: Option<String>,
    genres: Option<Vec<String>>,
    etc_genres: Option<Vec<String>>,
    images: Option<Vec<String>>,
    title: Option<String>,
    introduction: Option<String>,
    curriculum: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    duration: Option<i64>,
    difficulty_level: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    min_capacity: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    max_capacity: Option<i64>,
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
    /// `[{date, dateTime: [...]}]` or `[{day: [...], dateTime: [...]}]`.
    schedules: Option<DraftSchedules>,
    holidays: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::opt_ints")]
    #[schema(value_type = Option<Vec<i64>>)]
    coupons: Option<Vec<i64>>,
    location_description: Option<String>,
}

fn check(body: &SaveBody) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    checks.range("step", Some(body.step), 0, 100);
    input::check_fields(
        &mut checks,
        LectureFields {
            title: body.title.as_deref(),
            introduction: body.introduction.as_deref(),
            curriculum: body.curriculum.as_deref(),
            notification: body.notification.as_deref(),
            difficulty_level: body.difficulty_level.as_deref(),
            reservation_comment: body.reservation_comment.as_deref(),
            location_description: body.location_description.as_deref(),
            duration: body.duration,
            min_capacity: body.min_capacity,
            max_capacity: body.max_capacity,
            reservation_deadline: body.reservation_deadline,
            price: body.price,
            no_show_deposit: body.no_show_deposit,
            images: body.images.as_deref(),
            regions: body.regions.as_deref(),
            genres: body.genres.as_deref(),
            etc_genres: body.etc_genres.as_deref(),
            holidays: body.holidays.as_deref(),
        },
    );
    let entries = match &body.schedules {
        Some(DraftSchedules::ByDate(d)) => d.len(),
        Some(DraftSchedules::ByDay(d)) => d.len(),
        None => 0,
    };
    if entries > input::UNITS_MAX {
        checks.fail(format!("schedules must contain no more than {} elements", input::UNITS_MAX));
    }
    match &body.schedules {
        Some(DraftSchedules::ByDate(dates)) => {
            for d in dates {
                input::check_labels(&mut checks, "schedules", &[], &d.date_time);
            }
        }
        Some(DraftSchedules::ByDay(days)) => {
            for d in days {
                input::check_labels(&mut checks, "schedules", &d.day, &d.date_time);
            }
        }
        None => {}
    }
    checks.finish()
}

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// Save a step of my draft: every field present replaces what the draft held.
#[utoipa::path(patch, path = "/lecture-temporarily-save", tag = "lecture drafts", security(("bearer" = [])), request_body = SaveBody,
    responses((status = 200, description = "Saved", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401 refused, 404 no such draft of mine", body = ErrorBody)))]
pub async fn save(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
    JsonBody(body): JsonBody<SaveBody>,
) -> Result<Empty, ApiError> {
    check(&body)?;
    let mut update = Update::new().set("step", body.step).set("updatedAt", iso8601(state.core.clock.now()));
    if let Some(name) = &body.lecture_type {
        let id = LECTURE_TYPES.iter().find(|(_, n)| n == name).map(|(id, _)| *id);
        let id = id.ok_or_else(|| ApiError::bad_request("InvalidLectureType", "잘못된 강의 타입입니다."))?;
        update = update.set("lectureTypeId", id);
    }
    if let Some(name) = &body.lecture_method {
        update = update.set("lectureMethodId", method_id(name)?);
    }
    for (attr, text) in [("startDate", &body.start_date), ("endDate", &body.end_date)] {
        if let Some(text) = text {
            input::instant(attr, text)?;
            update = update.set(attr, text.clone());
        }
    }
    if let Some(location) = &body.location {
        let place = input::place(Some(location))?;
        let stored = DraftLocation {
            address: location.address.clone(),
            detail_address: location.detail_address.clone(),
            building_name: location.building_name.clone(),
            administrative_district: location.administrative_district.clone(),
            district: location.district.clone(),
        };
        update = update.set("location", json(&stored)?);
        if body.regions.is_none() {
            update = update.set("regions", json(&place.map(|(_, id)| vec![id]).unwrap_or_default())?);
        }
    }
    if let Some(texts) = &body.regions {
        update = update.set("regions", json(&resolve_regions(texts)?)?);
    }
    if let Some(genres) = &body.genres {
        let links = resolve_genres(genres, body.etc_genres.as_deref().unwrap_or_default())?;
        update = update.set("genres", json(&links)?);
    }
    let mut image_keys =
        input::embedded(&state.settings.image_base, [body.curriculum.as_ref(), body.introduction.as_ref()]);
    if let Some(images) = &body.images {
        image_keys.extend(check_images(&state.settings.image_base, images)?);
        update = update.set("images", images.clone());
    }
    if let Some(holidays) = &body.holidays {
        update = update.set("holidays", input::holidays(holidays)?);
    }
    if let Some(coupons) = &body.coupons {
        let ids = input::coupon_ids(Some(coupons))?;
        let now = iso8601(state.core.clock.now());
        input::coupons(state.core.table.as_ref(), me.id, &ids, None, &now).await?;
        update = update.set("coupons", json(&ids)?);
    }
    if let Some(schedules) = &body.schedules {
        if let DraftSchedules::ByDate(dates) = schedules {
            for d in dates {
                input::instant("schedules.date", &d.date)?;
            }
        }
        update = update.set("schedules", json(schedules)?);
    }
    if let Some(value) = body.is_group {
        update = update.set("isGroup", value);
    }
    for (attr, value) in [
        ("title", body.title),
        ("introduction", body.introduction),
        ("curriculum", body.curriculum),
        ("difficultyLevel", body.difficulty_level),
        ("reservationComment", body.reservation_comment),
        ("locationDescription", body.location_description),
        ("notification", body.notification),
    ] {
        if let Some(value) = value {
            update = update.set(attr, value);
        }
    }
    for (attr, value) in [
        ("duration", body.duration),
        ("minCapacity", body.min_capacity),
        ("maxCapacity", body.max_capacity),
        ("reservationDeadline", body.reservation_deadline),
        ("price", body.price),
        ("noShowDeposit", body.no_show_deposit),
    ] {
        if let Some(value) = value {
            update = update.set(attr, value);
        }
    }
    let key = keys::draft(me.id, body.lecture_id);
    let table = state.core.table.as_ref();
    if image_keys.is_empty() {
        return match table.update(&key, update, Some(Cond::Exists)).await {
            Ok(_) => Ok(Empty),
            Err(TableError::ConditionFailed) => Err(not_found_draft()),
            Err(e) => Err(e.into()),
        };
    }
    let mut ops = vec![TxOp::Update { key, update, cond: Some(Cond::Exists) }];
    ops.extend(claim_images(&image_keys));
    match table.transact(ops).await {
        Ok(()) => Ok(Empty),
        Err(e) if e.failed_at(0) => Err(not_found_draft()),
        Err(e) if claim_failed(&e, 1) => Err(image_deleted()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct NameView {
    name: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    notification: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageView {
    image_url: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CouponTarget {
    lecture_coupon_id: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionRow {
    administrative_district: &'static str,
    district: Option<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct RegionView {
    region: RegionRow,
}

#[derive(Serialize, ToSchema)]
pub struct GenreName {
    genre: &'static str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenreView {
    name: Option<String>,
    dance_category: GenreName,
}

#[derive(Serialize, ToSchema)]
pub struct HolidayView {
    holiday: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    #[serde(flatten)]
    row: DraftRow,
    lecture_type: Option<NameView>,
    lecture_method: Option<NameView>,
    /// (sic) the client reads this casing.
    #[serde(rename = "temporaryLecturenotification")]
    notification: Option<NotificationView>,
    temporary_lecture_image: Vec<ImageView>,
    temporary_lecture_coupon_target: Vec<CouponTarget>,
    temporary_lecture_to_region: Vec<RegionView>,
    temporary_lecture_to_dance_genre: Vec<GenreView>,
    temporary_lecture_holiday: Vec<HolidayView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftData {
    temporary_lecture: DraftView,
    location: Option<DraftLocation>,
    schedules: Option<DraftSchedules>,
}

fn name_of(table: &[(i64, &'static str)], id: Option<i64>) -> Option<NameView> {
    id.and_then(|id| table.iter().find(|(i, _)| *i == id)).map(|(_, name)| NameView { name })
}

/// One of my drafts, with everything it holds.
#[utoipa::path(get, path = "/lecture-temporarily-save/{lectureId}", tag = "lecture drafts", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The draft")),
    responses((status = 200, description = "The draft", body = Envelope<DraftData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such draft of mine", body = ErrorBody)))]
pub async fn read(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
    PathId(id): PathId,
) -> Result<Data<DraftData>, ApiError> {
    let item = state.core.table.get(&keys::draft(me.id, id)).await?.ok_or_else(not_found_draft)?;
    let d: DraftRecord = decode(item)?;
    let view = DraftView {
        lecture_type: name_of(LECTURE_TYPES, d.row.lecture_type_id),
        lecture_method: name_of(LECTURE_METHODS, d.row.lecture_method_id),
        row: d.row,
        notification: d.notification.clone().map(|notification| NotificationView { notification }),
        temporary_lecture_image: d.images.iter().map(|u| ImageView { image_url: u.clone() }).collect(),
        temporary_lecture_coupon_target: d
            .coupons
            .iter()
            .map(|c| CouponTarget { lecture_coupon_id: *c })
            .collect(),
        temporary_lecture_to_region: d
            .regions
            .iter()
            .filter_map(|r| regions::by_id(*r))
            .map(|r| RegionView {
                region: RegionRow {
                    administrative_district: r.administrative_district,
                    district: r.district,
                },
            })
            .collect(),
        temporary_lecture_to_dance_genre: d
            .genres
            .iter()
            .map(|g| GenreView {
                name: g.name.clone(),
                dance_category: GenreName { genre: genre_name(g.dance_category_id).unwrap_or("") },
            })
            .collect(),
        temporary_lecture_holiday: d.holidays.iter().map(|h| HolidayView { holiday: h.clone() }).collect(),
    };
    Ok(Data(DraftData { temporary_lecture: view, location: d.location, schedules: d.schedules }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftsData {
    temporary_lectures: Vec<DraftRow>,
}

/// My drafts, oldest first.
#[utoipa::path(get, path = "/lecture-temporarily-save", tag = "lecture drafts", security(("bearer" = [])),
    responses((status = 200, description = "My drafts", body = Envelope<DraftsData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn list(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
) -> Result<Data<DraftsData>, ApiError> {
    let query = Query::partition(format!("LECTURER#{}", me.id)).sk(SkCond::BeginsWith(keys::DRAFT.into()));
    let page = state.core.table.query(query).await?;
    let drafts = page.items.into_iter().map(decode::<DraftRecord>).collect::<Result<Vec<_>, _>>()?;
    Ok(Data(DraftsData { temporary_lectures: drafts.into_iter().map(|d| d.row).collect() }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeletedData {
    temporary_lecture: DraftRow,
}

/// Discard my draft (the client does this after publishing it).
#[utoipa::path(delete, path = "/lecture-temporarily-save/{lectureId}", tag = "lecture drafts", security(("bearer" = [])),
    params(("lectureId" = i64, Path, description = "The draft")),
    responses((status = 200, description = "The discarded draft", body = Envelope<DeletedData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such draft of mine", body = ErrorBody)))]
pub async fn discard(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
    PathId(id): PathId,
) -> Result<Data<DeletedData>, ApiError> {
    let table = state.core.table.as_ref();
    let key = keys::draft(me.id, id);
    let item = table.get(&key).await?.ok_or_else(not_found_draft)?;
    let draft: DraftRecord = decode(item)?;
    let ops = vec![
        TxOp::Delete { key, cond: Some(Cond::Exists) },
        TxOp::Update {
            key: keys::lecturer(me.id),
            update: Update::new().add("draftCount", -1),
            cond: counter_bounds("draftCount", -1, Some(0), None),
        },
    ];
    match table.transact(ops).await {
        Ok(()) => Ok(Data(DeletedData { temporary_lecture: draft.row })),
        Err(e) if e.failed_at(0) => Err(not_found_draft()),
        Err(e) => Err(e.into()),
    }
}
