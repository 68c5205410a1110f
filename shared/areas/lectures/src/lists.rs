//! Lists of classes: popular (the ranking index), latest (for members and for guests), a
//! lecturer's classes, and my classes' progress. Each list is one Query of an index plus one
//! batch read of the lecturers, the caller's likes and the caller's blocks of those lecturers.

use std::collections::HashMap;

use axum::extract::State;
use connection_domain::schedule::{parse_instant, progress};
use connection_http::extract::{PathId, QueryParams};
use connection_http::guards::{GuestOrUserToken, LecturerSession, UserToken, active_user};
use connection_http::openapi::{Envelope, ErrorBody};
use connection_http::{ApiError, Data};
use connection_model::lecture::{CohortRecord, LATEST, LectureRecord, RANKING, ScheduleRecord};
use connection_model::lecturer::LecturerRecord;
use connection_model::{decode, keys};
use connection_table::{Index, Item, Key, Query, Table};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::LecturesState;
use crate::views::{LectureCard, MethodView, method};

const POPULAR: usize = 5;
const LATEST_COUNT: usize = 8;
/// Candidates read per list entry, so that blocked lecturers rarely leave a list short.
const SLACK: usize = 3;

/// Whether a list leaves out the lecturers the caller blocks.
#[derive(Clone, Copy, PartialEq)]
enum Blocks {
    Respected,
    Ignored,
}

/// Cards of `lectures` (in order) for `caller`, at most `max`: one batch read of their
/// lecturers, the caller's profile (which must be an active user) and the caller's likes and
/// blocks; lectures of deleted or blocked lecturers drop.
async fn cards(
    table: &dyn Table,
    lectures: Vec<LectureRecord>,
    caller: Option<i64>,
    max: usize,
    blocks: Blocks,
) -> Result<Vec<LectureCard>, ApiError> {
    let lectures: Vec<LectureRecord> = lectures.into_iter().filter(|l| l.deleted_at.is_none()).collect();
    let mut wanted: Vec<Key> = lectures.iter().map(|l| keys::lecturer(l.lecturer_id)).collect();
    if let Some(user) = caller {
        // The caller's profile comes with the batch: the guard's read, saved.
        wanted.push(keys::user(user));
        wanted.extend(lectures.iter().map(|l| keys::lecture_like(user, l.id)));
        if blocks == Blocks::Respected {
            wanted.extend(lectures.iter().map(|l| keys::lecturer_block(user, l.lecturer_id)));
        }
    }
    let found = table.batch_get(&wanted).await?;
    let mut by_key: HashMap<Key, Item> =
        wanted.into_iter().zip(found).filter_map(|(k, item)| item.map(|i| (k, i))).collect();
    if let Some(user) = caller {
        active_user(by_key.remove(&keys::user(user)))?;
    }
    let mut out = Vec::with_capacity(max.min(lectures.len()));
    for lecture in &lectures {
        if out.len() == max {
            break;
        }
        let lecturer: Option<LecturerRecord> =
            by_key.get(&keys::lecturer(lecture.lecturer_id)).cloned().map(decode).transpose()?;
        let Some(lecturer) = lecturer.filter(|l| l.deleted_at.is_none()) else { continue };
        let (like, blocked) = match caller {
            Some(user) => (
                by_key
                    .get(&keys::lecture_like(user, lecture.id))
                    .and_then(|l| l.get("id"))
                    .and_then(|v| v.as_i64()),
                by_key.contains_key(&keys::lecturer_block(user, lecture.lecturer_id)),
            ),
            None => (None, false),
        };
        if !blocked {
            out.push(LectureCard::new(lecture, Some(&lecturer), like));
        }
    }
    Ok(out)
}

async fn query_lectures(table: &dyn Table, query: Query) -> Result<Vec<LectureRecord>, ApiError> {
    let page = table.query(query).await?;
    page.items.into_iter().map(|i| decode(i).map_err(ApiError::from)).collect()
}

#[derive(Serialize, ToSchema)]
pub struct CardsData {
    lectures: Vec<LectureCard>,
}

/// The most popular classes (flows.md §11), without those of lecturers the member blocks.
#[utoipa::path(get, path = "/popular-lectures", tag = "lectures", security((), ("bearer" = [])),
    responses((status = 200, description = "Up to 5 classes, most popular first", body = Envelope<CardsData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn popular(
    State(state): State<LecturesState>,
    GuestOrUserToken(caller): GuestOrUserToken,
) -> Result<Data<CardsData>, ApiError> {
    let table = state.core.table.as_ref();
    let query = Query::gsi(Index::Rank, RANKING).backward().limit((POPULAR * SLACK) as u32);
    let lectures = query_lectures(table, query).await?;
    let lectures = cards(table, lectures, caller, POPULAR, Blocks::Respected).await?;
    Ok(Data(CardsData { lectures }))
}

async fn latest(table: &dyn Table, caller: Option<i64>) -> Result<Vec<LectureCard>, ApiError> {
    let slack = if caller.is_some() { SLACK } else { 1 };
    let query = Query::gsi(Index::Gsi2, LATEST).backward().limit((LATEST_COUNT * slack) as u32);
    let lectures = query_lectures(table, query).await?;
    cards(table, lectures, caller, LATEST_COUNT, Blocks::Respected).await
}

/// The newest classes for a member: without blocked lecturers, with the member's likes.
#[utoipa::path(get, path = "/latest-lectures/users", tag = "lectures", security(("bearer" = [])),
    responses((status = 200, description = "Up to 8 classes, newest first", body = Envelope<CardsData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn latest_for_members(
    State(state): State<LecturesState>,
    UserToken(user): UserToken,
) -> Result<Data<CardsData>, ApiError> {
    Ok(Data(CardsData { lectures: latest(state.core.table.as_ref(), Some(user)).await? }))
}

/// The newest classes, for guests.
#[utoipa::path(get, path = "/latest-lectures/non-members", tag = "lectures",
    responses((status = 200, description = "Up to 8 classes, newest first", body = Envelope<CardsData>), (status = "default", description = "The error envelope", body = ErrorBody)))]
pub async fn latest_for_guests(State(state): State<LecturesState>) -> Result<Data<CardsData>, ApiError> {
    Ok(Data(CardsData { lectures: latest(state.core.table.as_ref(), None).await? }))
}

fn lecturer_query(lecturer_id: i64) -> Query {
    Query::gsi(Index::Gsi1, keys::lecturer_lectures(lecturer_id)).backward()
}

#[derive(Serialize, ToSchema)]
pub struct MyLecturesData {
    lecture: Vec<LectureCard>,
}

/// My active classes, newest first.
#[utoipa::path(get, path = "/lecturers/lectures", tag = "lectures", security(("bearer" = [])),
    responses((status = 200, description = "My active classes", body = Envelope<MyLecturesData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn mine(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
) -> Result<Data<MyLecturesData>, ApiError> {
    let lectures = query_lectures(state.core.table.as_ref(), lecturer_query(me.id)).await?;
    let lecture =
        lectures.iter().filter(|l| l.listed()).map(|l| LectureCard::new(l, Some(&me), None)).collect();
    Ok(Data(MyLecturesData { lecture }))
}

#[derive(Serialize, ToSchema)]
pub struct LecturerLectures {
    lecture: Vec<LectureCard>,
}

/// `data.lecture.lecture`: the client reads the list doubly nested.
#[derive(Serialize, ToSchema)]
pub struct LecturerLecturesData {
    lecture: LecturerLectures,
}

/// A lecturer's active classes, newest first, with the caller's likes.
#[utoipa::path(get, path = "/lecturers/lectures/{lecturerId}", tag = "lectures", security((), ("bearer" = [])),
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 200, description = "The lecturer's active classes", body = Envelope<LecturerLecturesData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused", body = ErrorBody)))]
pub async fn of_lecturer(
    State(state): State<LecturesState>,
    GuestOrUserToken(caller): GuestOrUserToken,
    PathId(lecturer_id): PathId,
) -> Result<Data<LecturerLecturesData>, ApiError> {
    let table = state.core.table.as_ref();
    let lectures = query_lectures(table, lecturer_query(lecturer_id)).await?;
    let active: Vec<LectureRecord> = lectures.into_iter().filter(LectureRecord::listed).collect();
    let count = active.len();
    // The page of one lecturer ignores blocks: the member chose to open it.
    let lecture = cards(table, active, caller, count, Blocks::Ignored).await?;
    Ok(Data(LecturerLecturesData { lecture: LecturerLectures { lecture } }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// `진행중` (classes with sessions to come) or `마감된 클래스` (every session started).
    progress_type: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    id: i64,
    title: String,
    start_date: String,
    end_date: String,
    lecture_method: MethodView,
    /// Percent of sessions that have started (classes in progress only).
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<i64>,
    schedules_count: usize,
    completed_schedules_count: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProgressData {
    lecture_progress: Vec<Progress>,
}

/// My classes in progress or closed, with how many of their sessions have taken place: my
/// lectures and every unit of them, two Queries.
#[utoipa::path(get, path = "/lecturers/in-progress", tag = "lectures", security(("bearer" = [])), params(ProgressQuery),
    responses((status = 200, description = "My classes' progress, newest class first", body = Envelope<ProgressData>), (status = "default", description = "The error envelope: 400 invalid progressType, 401 refused", body = ErrorBody)))]
pub async fn in_progress(
    State(state): State<LecturesState>,
    LecturerSession(me, _): LecturerSession,
    QueryParams(query): QueryParams<ProgressQuery>,
) -> Result<Data<ProgressData>, ApiError> {
    let ongoing = match query.progress_type.as_str() {
        "진행중" => true,
        "마감된 클래스" => false,
        _ => {
            return Err(ApiError::validation(vec![
                "progressType must be one of: 진행중, 마감된 클래스".into(),
            ]));
        }
    };
    let table = state.core.table.as_ref();
    let lectures = query_lectures(table, lecturer_query(me.id)).await?;
    let units = table.query(Query::gsi(Index::Gsi2, keys::lecturer_schedules(me.id))).await?;
    let mut starts: HashMap<i64, Vec<String>> = HashMap::new();
    for item in units.items {
        let entity = item.get("entity").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        if entity == "LectureSchedule" {
            let s: ScheduleRecord = decode(item)?;
            starts.entry(s.lecture_id).or_default().push(s.start_date_time);
        } else if entity == "RegularLectureStatus" {
            let c: CohortRecord = decode(item)?;
            starts.entry(c.lecture_id).or_default().extend(c.sessions.into_iter().map(|s| s.start_date_time));
        }
    }
    let now = state.core.clock.now();
    let mut out = Vec::new();
    for lecture in lectures.into_iter().filter(|l| l.deleted_at.is_none()) {
        let all = starts.remove(&lecture.id).unwrap_or_default();
        let done = all.iter().filter(|s| parse_instant(s).is_some_and(|at| at <= now)).count();
        let (total, ahead) = (all.len(), all.len() - done);
        let entry = |with_counts: bool| Progress {
            id: lecture.id,
            title: lecture.title.clone(),
            start_date: lecture.start_date.clone(),
            end_date: lecture.end_date.clone(),
            lecture_method: method(lecture.lecture_method_id),
            progress: with_counts.then(|| progress(done, total)),
            schedules_count: total,
            completed_schedules_count: done,
        };
        if ongoing && ahead > 0 {
            out.push(entry(true));
        } else if !ongoing && total > 0 && ahead == 0 {
            out.push(entry(false));
        }
    }
    Ok(Data(ProgressData { lecture_progress: out }))
}
