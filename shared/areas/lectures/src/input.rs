//! The fields of a lecture as `POST /lectures` receives them, and their checks: what the web
//! client sends (client.md §4 E6), turned into a validated lecture or a 400.

use connection_adapters::iso8601;
use connection_domain::lookups::LECTURE_METHODS;
use connection_domain::regions;
use connection_domain::schedule::parse_instant;
use connection_http::ApiError;
use connection_http::fields::{Checks, check_images, region_error, resolve_genres, resolve_regions};
use connection_http::lenient;
use connection_model::lecture::{DayPattern, Location};
use connection_model::lecturer::GenreLink;
use connection_model::offers::{CouponRecord, attachable_coupons};
use connection_table::Table;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

pub const TITLE_MAX: usize = 30;
pub const INTRODUCTION_MAX: usize = 500;
/// Characters of curriculum HTML (up to three bytes each, so a lecture stays far below an item's
/// 400 KB).
pub const CURRICULUM_MAX: usize = 30_000;
pub const NOTIFICATION_MAX: usize = 200;
pub const COMMENT_MAX: usize = 255;
pub const LOCATION_DESCRIPTION_MAX: usize = 300;
pub const DIFFICULTY_MAX: usize = 5;
pub const IMAGES_MAX: usize = 20;
/// Bookable units (one-day sessions plus regular cohorts) of one lecture.
pub const UNITS_MAX: usize = 500;
/// Sessions of one regular cohort.
pub const SESSIONS_MAX: usize = 200;
const SHORT_MAX: usize = 100;
const MINUTES_A_DAY: i64 = 24 * 60;
const PRICE_MAX: i64 = 100_000_000;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LocationBody {
    pub address: Option<String>,
    pub detail_address: Option<String>,
    pub building_name: Option<String>,
    /// 시/도 of the address, e.g. `서울특별시`.
    pub administrative_district: Option<String>,
    /// 시/군/구 of the address, e.g. `마포구`.
    pub district: Option<String>,
}

#[derive(Deserialize, serde::Serialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DayPatternBody {
    pub day: Vec<String>,
    pub date_time: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegularBody {
    /// Weekday labels, `월`…`일`.
    pub day: Vec<String>,
    /// The time label, `19:00`.
    pub date_time: String,
    /// Every session start of this cohort.
    pub start_date_time: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateBody {
    /// Region strings; required unless `location` names an address.
    pub regions: Option<Vec<String>>,
    pub location: Option<LocationBody>,
    /// `dance`.
    pub lecture_type: String,
    /// `원데이` or `정기`.
    pub lecture_method: String,
    #[serde(deserialize_with = "lenient::bool")]
    #[schema(value_type = bool)]
    pub is_group: bool,
    pub start_date: String,
    pub end_date: String,
    pub notification: Option<String>,
    pub genres: Vec<String>,
    pub etc_genres: Option<Vec<String>>,
    /// Uploaded image URLs; the first is the cover.
    pub images: Vec<String>,
    pub title: String,
    pub introduction: Option<String>,
    /// HTML.
    pub curriculum: String,
    /// Minutes per session.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pub duration: i64,
    pub difficulty_level: String,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    pub min_capacity: Option<i64>,
    /// Seats per session (null = unlimited).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    pub max_capacity: Option<i64>,
    /// Hours before a session when booking closes.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pub reservation_deadline: i64,
    pub reservation_comment: Option<String>,
    /// Per participant, in won.
    #[serde(deserialize_with = "lenient::int")]
    #[schema(value_type = i64)]
    pub price: i64,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    #[schema(value_type = Option<i64>)]
    pub no_show_deposit: Option<i64>,
    /// One-day classes: every session start.
    pub schedules: Option<Vec<String>>,
    /// One-day classes: the weekly pattern shown on the page.
    pub day_schedules: Option<Vec<DayPatternBody>>,
    /// Regular classes: one entry per cohort.
    pub regular_schedules: Option<Vec<RegularBody>>,
    pub holidays: Option<Vec<String>>,
    /// My enabled coupons that apply to this lecture.
    #[serde(default, deserialize_with = "lenient::opt_ints")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub coupons: Option<Vec<i64>>,
    pub location_description: Option<String>,
}

/// A cohort as validated: its labels and its session starts, in order.
pub struct Cohort {
    pub day: Vec<String>,
    pub date_time: String,
    pub starts: Vec<OffsetDateTime>,
}

/// A lecture that passed every check.
pub struct NewLecture {
    pub method_id: i64,
    pub start_date: String,
    pub end_date: String,
    pub regions: Vec<i64>,
    pub location: Option<Location>,
    pub genres: Vec<GenreLink>,
    pub holidays: Vec<String>,
    pub day_schedules: Vec<DayPattern>,
    /// The object keys of its images.
    pub image_keys: Vec<String>,
    /// One-day sessions, in start order.
    pub schedules: Vec<OffsetDateTime>,
    pub cohorts: Vec<Cohort>,
    /// The ids of the coupons to attach.
    pub coupons: Vec<i64>,
}

pub fn method_id(name: &str) -> Result<i64, ApiError> {
    LECTURE_METHODS
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(id, _)| *id)
        .ok_or_else(|| ApiError::bad_request("InvalidLectureMethod", "잘못된 강의 메소드입니다."))
}

pub fn instant(field: &str, text: &str) -> Result<OffsetDateTime, ApiError> {
    parse_instant(text).ok_or_else(|| ApiError::validation(vec![format!("{field} must be a Date instance")]))
}

pub fn instants(field: &str, texts: &[String]) -> Result<Vec<OffsetDateTime>, ApiError> {
    texts.iter().map(|t| instant(field, t)).collect()
}

/// Holidays as stored: ISO instants, without repeats, in order.
pub fn holidays(texts: &[String]) -> Result<Vec<String>, ApiError> {
    let mut days: Vec<OffsetDateTime> = instants("holidays", texts)?;
    days.sort();
    days.dedup();
    Ok(days.into_iter().map(iso8601).collect())
}

/// A location names a place only when it has an address (the client sends one of nulls for
/// "to be agreed").
pub fn place(location: Option<&LocationBody>) -> Result<Option<(Location, i64)>, ApiError> {
    let Some(body) = location.filter(|l| l.address.as_deref().is_some_and(|a| !a.trim().is_empty())) else {
        return Ok(None);
    };
    let admin = body.administrative_district.as_deref().unwrap_or_default();
    let district = body.district.as_deref().filter(|d| !d.is_empty());
    let text = format!("{admin} {}", district.unwrap_or_default());
    let region = regions::find(admin, district)
        .ok_or_else(|| region_error(text.trim(), connection_domain::regions::RegionError::Unknown))?;
    let location = Location {
        address: body.address.clone().unwrap_or_default(),
        detail_address: body.detail_address.clone().unwrap_or_default(),
        building_name: body.building_name.clone().unwrap_or_default(),
    };
    Ok(Some((location, region.id)))
}

/// At most this many coupons are attached from a class form.
pub const COUPONS_MAX: usize = 10;

/// The coupon ids of a form, without repeats.
pub fn coupon_ids(coupons: Option<&[i64]>) -> Result<Vec<i64>, ApiError> {
    let mut ids = coupons.unwrap_or_default().to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > COUPONS_MAX || ids.iter().any(|id| *id <= 0) {
        return Err(ApiError::validation(vec![format!(
            "coupons must hold at most {COUPONS_MAX} positive ids"
        )]));
    }
    Ok(ids)
}

/// The coupons a lecturer attaches to a class (`lecture`, once it exists): their own, enabled
/// ones (domain.md §7.2 let any coupon be attached). One batch read, none for no ids.
pub async fn coupons(
    table: &dyn Table,
    lecturer_id: i64,
    ids: &[i64],
    lecture: Option<i64>,
    now: &str,
) -> Result<Vec<CouponRecord>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    attachable_coupons(table, lecturer_id, ids, lecture, now).await?.map_err(|refused| {
        let ids: Vec<String> = refused.iter().map(i64::to_string).collect();
        ApiError::bad_request(
            "CouponNotFound",
            format!("존재하지 않는 쿠폰 {} 포함되어 있습니다.", ids.join(", ")),
        )
    })
}

/// A coupon of the class changed between its read and the write.
pub fn coupon_changed() -> ApiError {
    ApiError::conflict("CouponChanged", "쿠폰이 다른 요청으로 변경되었습니다. 다시 시도해 주세요.")
}

/// Our images that HTML fields show (the curriculum editor's).
pub fn embedded<'a>(image_base: &str, texts: impl IntoIterator<Item = Option<&'a String>>) -> Vec<String> {
    texts
        .into_iter()
        .flatten()
        .flat_map(|t| connection_http::fields::embedded_image_keys(image_base, t))
        .collect()
}

/// Weekday labels and time labels: short lists of short texts.
pub fn check_labels(checks: &mut Checks, field: &str, days: &[String], times: &[String]) {
    checks.list(&format!("{field}.day"), Some(days), 7, 10);
    checks.list(&format!("{field}.dateTime"), Some(times), 48, 20);
}

pub fn day_patterns(patterns: &[DayPatternBody]) -> Vec<DayPattern> {
    patterns.iter().map(|p| DayPattern { day: p.day.clone(), date_time: p.date_time.clone() }).collect()
}

/// The fields of a lecture that a new lecture, an update and a draft carry, each optional.
#[derive(Default)]
pub struct LectureFields<'a> {
    pub title: Option<&'a str>,
    pub introduction: Option<&'a str>,
    pub curriculum: Option<&'a str>,
    pub notification: Option<&'a str>,
    pub difficulty_level: Option<&'a str>,
    pub reservation_comment: Option<&'a str>,
    pub location_description: Option<&'a str>,
    pub duration: Option<i64>,
    pub min_capacity: Option<i64>,
    pub max_capacity: Option<i64>,
    pub reservation_deadline: Option<i64>,
    pub price: Option<i64>,
    pub no_show_deposit: Option<i64>,
    pub images: Option<&'a [String]>,
    pub regions: Option<&'a [String]>,
    pub genres: Option<&'a [String]>,
    pub etc_genres: Option<&'a [String]>,
    pub holidays: Option<&'a [String]>,
}

/// Lengths, ranges and list sizes of the fields present.
pub fn check_fields(checks: &mut Checks, f: LectureFields) {
    checks.text("title", f.title, TITLE_MAX);
    checks.text("introduction", f.introduction, INTRODUCTION_MAX);
    checks.text("curriculum", f.curriculum, CURRICULUM_MAX);
    checks.text("notification", f.notification, NOTIFICATION_MAX);
    checks.text("difficultyLevel", f.difficulty_level, DIFFICULTY_MAX);
    checks.text("reservationComment", f.reservation_comment, COMMENT_MAX);
    checks.text("locationDescription", f.location_description, LOCATION_DESCRIPTION_MAX);
    checks.range("duration", f.duration, 1, MINUTES_A_DAY);
    checks.range("reservationDeadline", f.reservation_deadline, 0, 24 * 365);
    checks.range("price", f.price, 0, PRICE_MAX);
    checks.range("noShowDeposit", f.no_show_deposit, 0, PRICE_MAX);
    checks.range("minCapacity", f.min_capacity, 1, 10_000);
    checks.range("maxCapacity", f.max_capacity, 1, 10_000);
    if let (Some(min), Some(max)) = (f.min_capacity, f.max_capacity)
        && min > max
    {
        checks.fail("minCapacity must not exceed maxCapacity");
    }
    checks.list("images", f.images, IMAGES_MAX, connection_http::fields::IMAGE_URL_MAX);
    checks.list("regions", f.regions, 50, SHORT_MAX);
    checks.list("genres", f.genres, 20, SHORT_MAX);
    checks.list("etcGenres", f.etc_genres, 20, SHORT_MAX);
    checks.list("holidays", f.holidays, 366, SHORT_MAX);
}

/// A lecture shows at least one image (a draft may have none yet).
pub fn check_has_images(checks: &mut Checks, images: Option<&[String]>) {
    if images.is_some_and(<[String]>::is_empty) {
        checks.fail("images should not be empty");
    }
}

/// The checks of a new lecture's own fields: every one of them and its required texts.
pub fn check_scalars(checks: &mut Checks, body: &CreateBody) {
    check_has_images(checks, Some(&body.images));
    checks.not_blank("title", &body.title);
    checks.not_blank("curriculum", &body.curriculum);
    checks.not_blank("difficultyLevel", &body.difficulty_level);
    check_fields(
        checks,
        LectureFields {
            title: Some(&body.title),
            introduction: body.introduction.as_deref(),
            curriculum: Some(&body.curriculum),
            notification: body.notification.as_deref(),
            difficulty_level: Some(&body.difficulty_level),
            reservation_comment: body.reservation_comment.as_deref(),
            location_description: body.location_description.as_deref(),
            duration: Some(body.duration),
            min_capacity: body.min_capacity,
            max_capacity: body.max_capacity,
            reservation_deadline: Some(body.reservation_deadline),
            price: Some(body.price),
            no_show_deposit: body.no_show_deposit,
            images: Some(&body.images),
            regions: body.regions.as_deref(),
            genres: Some(&body.genres),
            etc_genres: body.etc_genres.as_deref(),
            holidays: body.holidays.as_deref(),
        },
    );
    let patterns = body.day_schedules.as_deref().unwrap_or_default();
    if patterns.len() > 50 {
        checks.fail("daySchedules must contain no more than 50 elements");
    }
    for p in patterns {
        check_labels(checks, "daySchedules", &p.day, &p.date_time);
    }
    for r in body.regular_schedules.as_deref().unwrap_or_default() {
        check_labels(checks, "regularSchedules", &r.day, std::slice::from_ref(&r.date_time));
    }
}

/// Every check of `POST /lectures`, in the order the original answered them.
pub fn validate(body: &CreateBody, image_base: &str) -> Result<NewLecture, ApiError> {
    let mut checks = Checks::default();
    check_scalars(&mut checks, body);
    checks.finish()?;
    if body.lecture_type != "dance" {
        return Err(ApiError::bad_request("InvalidLectureType", "잘못된 강의 타입입니다."));
    }
    let method_id = method_id(&body.lecture_method)?;
    let start = instant("startDate", &body.start_date)?;
    let end = instant("endDate", &body.end_date)?;
    if end < start {
        return Err(ApiError::validation(vec!["endDate must not be before startDate".into()]));
    }
    let mut region_ids = resolve_regions(body.regions.as_deref().unwrap_or_default())?;
    let place = place(body.location.as_ref())?;
    if let Some((_, id)) = &place
        && !region_ids.contains(id)
    {
        region_ids.push(*id);
    }
    if region_ids.is_empty() {
        return Err(ApiError::validation(vec!["regions should not be empty".into()]));
    }
    let genres = resolve_genres(&body.genres, body.etc_genres.as_deref().unwrap_or_default())?;
    let mut image_keys = check_images(image_base, &body.images)?;
    image_keys.extend(embedded(image_base, [Some(&body.curriculum), body.introduction.as_ref()]));
    let coupons = coupon_ids(body.coupons.as_deref())?;
    let (schedules, cohorts) = units(body, method_id)?;
    Ok(NewLecture {
        method_id,
        start_date: iso8601(start),
        end_date: iso8601(end),
        regions: region_ids,
        location: place.map(|(l, _)| l),
        genres,
        holidays: holidays(body.holidays.as_deref().unwrap_or_default())?,
        day_schedules: day_patterns(body.day_schedules.as_deref().unwrap_or_default()),
        image_keys,
        coupons,
        schedules,
        cohorts,
    })
}

/// The bookable units of the chosen method: one-day starts (no repeats) or regular cohorts.
fn units(body: &CreateBody, method_id: i64) -> Result<(Vec<OffsetDateTime>, Vec<Cohort>), ApiError> {
    let too_many = || ApiError::validation(vec![format!("a lecture has at most {UNITS_MAX} schedules")]);
    if method_id == connection_model::lecture::ONE_DAY {
        let texts = body.schedules.as_deref().unwrap_or_default();
        if texts.is_empty() {
            return Err(ApiError::validation(vec!["schedules should not be empty".into()]));
        }
        if texts.len() > UNITS_MAX {
            return Err(too_many());
        }
        let mut starts = instants("schedules", texts)?;
        starts.sort();
        if starts.windows(2).any(|w| w[0] == w[1]) {
            return Err(duplicate_schedule());
        }
        return Ok((starts, Vec::new()));
    }
    let regular = body.regular_schedules.as_deref().unwrap_or_default();
    if regular.is_empty() {
        return Err(ApiError::validation(vec!["regularSchedules should not be empty".into()]));
    }
    if regular.len() > UNITS_MAX {
        return Err(too_many());
    }
    let mut cohorts = Vec::with_capacity(regular.len());
    for r in regular {
        if r.start_date_time.is_empty() || r.start_date_time.len() > SESSIONS_MAX {
            return Err(ApiError::validation(vec![format!(
                "each regular schedule has 1 to {SESSIONS_MAX} startDateTime values"
            )]));
        }
        let mut starts = instants("regularSchedules.startDateTime", &r.start_date_time)?;
        starts.sort();
        starts.dedup();
        cohorts.push(Cohort { day: r.day.clone(), date_time: r.date_time.clone(), starts });
    }
    Ok((Vec::new(), cohorts))
}

pub fn duplicate_schedule() -> ApiError {
    ApiError::conflict(
        "DuplicateSchedule",
        "Lecture schedule with the same lectureId and startDateTime already exists.",
    )
}
