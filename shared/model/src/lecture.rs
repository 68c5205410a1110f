//! A lecture (class) and its bookable units, all in the lecture's partition so that one Query
//! reads a lecture with every schedule: the lecture item, one item per one-day schedule and one
//! per regular cohort (with its sessions). Each bookable unit holds its seat counter
//! (`numberOfParticipants`) and `maxCapacity` (null = unlimited), so a booking is one
//! conditional update.

use connection_table::{Item, TableError};
use serde::{Deserialize, Serialize};

use crate::lecturer::GenreLink;
use crate::{encode, keys};

/// The ranking partition of lectures (the `rank` index).
pub const RANKING: &str = "LECTURES";
/// The partition of `gsi2` that orders listed lectures by creation.
pub const LATEST: &str = "LATEST_LECTURES";

pub const ONE_DAY: i64 = 1;
pub const REGULAR: i64 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub address: String,
    pub detail_address: String,
    pub building_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub content: String,
    pub updated_at: String,
}

/// The display-only weekly pattern of a one-day class (`LectureDay`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayPattern {
    pub day: Vec<String>,
    pub date_time: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LectureRecord {
    pub id: i64,
    pub lecturer_id: i64,
    pub lecture_type_id: i64,
    pub lecture_method_id: i64,
    pub is_group: bool,
    pub start_date: String,
    pub end_date: String,
    pub title: String,
    pub introduction: Option<String>,
    pub curriculum: String,
    pub duration: i64,
    pub difficulty_level: String,
    pub min_capacity: Option<i64>,
    pub max_capacity: Option<i64>,
    pub reservation_deadline: i64,
    pub reservation_comment: Option<String>,
    pub price: i64,
    pub no_show_deposit: Option<i64>,
    pub location_description: Option<String>,
    /// Region lookup ids.
    pub regions: Vec<i64>,
    pub genres: Vec<GenreLink>,
    /// Index 0 is the cover.
    pub images: Vec<String>,
    pub location: Option<Location>,
    pub notification: Option<Notification>,
    pub holidays: Vec<String>,
    pub day_schedules: Vec<DayPattern>,
    pub stars_sum: i64,
    pub review_count: i64,
    pub like_count: i64,
    pub booking_count: i64,
    pub is_active: bool,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl LectureRecord {
    /// Shown in popular and latest lists: active and not deleted.
    pub fn listed(&self) -> bool {
        self.is_active && self.deleted_at.is_none()
    }

    /// The lecture item: in its lecturer's list always, in the ranking and the latest list
    /// while listed.
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::lecture(self.id), "Lecture", self)?;
        item.insert("gsi1pk".into(), keys::lecturer_lectures(self.lecturer_id).into());
        item.insert("gsi1sk".into(), keys::id_sort(self.id).into());
        if self.listed() {
            item.insert("gsi2pk".into(), LATEST.into());
            item.insert("gsi2sk".into(), format!("{}#{}", self.created_at, keys::id_sort(self.id)).into());
            item.insert("rankpk".into(), RANKING.into());
            let rank = connection_domain::catalog::popularity(self.booking_count, self.like_count);
            item.insert("ranksk".into(), rank.into());
        }
        Ok(item)
    }

    /// The average of its reviews as the wire shows it: `"4.5"`, or `"0"` without reviews.
    pub fn stars_text(&self) -> String {
        stars_text(self.stars_sum, self.review_count)
    }
}

pub fn stars_text(sum: i64, count: i64) -> String {
    if count <= 0 { "0".into() } else { format!("{:.1}", crate::lecturer::average(sum, count)) }
}

/// One session of a one-day class: the unit of booking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRecord {
    pub id: i64,
    pub lecture_id: i64,
    pub lecturer_id: i64,
    pub start_date_time: String,
    pub end_date_time: String,
    /// Weekday in Seoul, 0 = Sunday.
    pub day: u8,
    pub number_of_participants: i64,
    pub max_capacity: Option<i64>,
}

impl ScheduleRecord {
    /// Unique per start instant within its lecture (the key), found by id through `gsi1`, and
    /// in its lecturer's calendar through `gsi2`.
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item =
            encode(&keys::schedule(self.lecture_id, &self.start_date_time), "LectureSchedule", self)?;
        item.insert("gsi1pk".into(), keys::schedule_by_id(self.id).into());
        item.insert("gsi1sk".into(), "SCHEDULE".into());
        item.insert("gsi2pk".into(), keys::lecturer_schedules(self.lecturer_id).into());
        item.insert("gsi2sk".into(), format!("{}#S{}", self.start_date_time, keys::id_sort(self.id)).into());
        Ok(item)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: i64,
    pub day: u8,
    pub start_date_time: String,
    pub end_date_time: String,
}

/// One team of a regular class, booked as a whole: its seats and its sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CohortRecord {
    pub id: i64,
    pub lecture_id: i64,
    pub lecturer_id: i64,
    pub day: Vec<String>,
    pub date_time: String,
    pub number_of_participants: i64,
    pub max_capacity: Option<i64>,
    /// In start order.
    pub sessions: Vec<Session>,
}

impl CohortRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::cohort(self.lecture_id, self.id), "RegularLectureStatus", self)?;
        item.insert("gsi1pk".into(), keys::cohort_by_id(self.id).into());
        item.insert("gsi1sk".into(), "COHORT".into());
        let first = self.sessions.first().map(|s| s.start_date_time.as_str()).unwrap_or("");
        item.insert("gsi2pk".into(), keys::lecturer_schedules(self.lecturer_id).into());
        item.insert("gsi2sk".into(), format!("{first}#C{}", keys::id_sort(self.id)).into());
        Ok(item)
    }
}
