//! The shapes a lecture takes on the wire: the raw row (api.md's `<Lecture row>`), the
//! LectureCard of lists (api.md §0.6, client.md §4 C7) and the links they share.

use connection_domain::lookups::LECTURE_METHODS;
use connection_http::views::{Category, RegionView, UrlView, regions, urls};
use connection_model::lecture::LectureRecord;
use connection_model::lecturer::{GenreLink, LecturerRecord};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenreView {
    dance_category_id: i64,
    name: Option<String>,
    dance_category: Category,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageView {
    /// The image's position, from 1 (0 is never used; the first is the cover).
    id: i64,
    image_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct MethodView {
    id: i64,
    name: &'static str,
}

pub fn genres(links: &[GenreLink]) -> Vec<GenreView> {
    links
        .iter()
        .map(|l| GenreView {
            dance_category_id: l.dance_category_id,
            name: l.name.clone(),
            dance_category: Category::of(l.dance_category_id),
        })
        .collect()
}

pub fn images(urls: &[String]) -> Vec<ImageView> {
    urls.iter().zip(1..).map(|(url, id)| ImageView { id, image_url: url.clone() }).collect()
}

pub fn method(id: i64) -> MethodView {
    let name = LECTURE_METHODS.iter().find(|(i, _)| *i == id).map(|(_, n)| *n).unwrap_or("");
    MethodView { id, name }
}

/// A lecture as its row: what `POST /lectures` answers and lists of raw lectures carry.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LectureRow {
    id: i64,
    lecturer_id: i64,
    lecture_type_id: i64,
    lecture_method_id: i64,
    is_group: bool,
    start_date: String,
    end_date: String,
    title: String,
    introduction: Option<String>,
    curriculum: String,
    duration: i64,
    difficulty_level: String,
    min_capacity: Option<i64>,
    max_capacity: Option<i64>,
    reservation_deadline: i64,
    reservation_comment: Option<String>,
    price: i64,
    no_show_deposit: Option<i64>,
    review_count: i64,
    /// The average of the reviews, to one decimal.
    stars: f64,
    is_active: bool,
    location_description: Option<String>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

impl From<&LectureRecord> for LectureRow {
    fn from(l: &LectureRecord) -> Self {
        LectureRow {
            id: l.id,
            lecturer_id: l.lecturer_id,
            lecture_type_id: l.lecture_type_id,
            lecture_method_id: l.lecture_method_id,
            is_group: l.is_group,
            start_date: l.start_date.clone(),
            end_date: l.end_date.clone(),
            title: l.title.clone(),
            introduction: l.introduction.clone(),
            curriculum: l.curriculum.clone(),
            duration: l.duration,
            difficulty_level: l.difficulty_level.clone(),
            min_capacity: l.min_capacity,
            max_capacity: l.max_capacity,
            reservation_deadline: l.reservation_deadline,
            reservation_comment: l.reservation_comment.clone(),
            price: l.price,
            no_show_deposit: l.no_show_deposit,
            review_count: l.review_count,
            stars: connection_model::lecturer::average(l.stars_sum, l.review_count),
            is_active: l.is_active,
            location_description: l.location_description.clone(),
            created_at: l.created_at.clone(),
            updated_at: l.updated_at.clone(),
            deleted_at: l.deleted_at.clone(),
        }
    }
}

/// The lecturer on a card.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardLecturer {
    id: i64,
    nickname: String,
    profile_card_image_url: Option<String>,
    lecturer_profile_image_url: Vec<UrlView>,
}

impl From<&LecturerRecord> for CardLecturer {
    fn from(l: &LecturerRecord) -> Self {
        CardLecturer {
            id: l.id,
            nickname: l.nickname.clone(),
            profile_card_image_url: l.profile_card_image_url.clone(),
            lecturer_profile_image_url: urls(&l.profile_images),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LikeId {
    id: i64,
}

/// LectureCard: what every list of lectures shows.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LectureCard {
    id: i64,
    title: String,
    lecture_image: Vec<ImageView>,
    start_date: String,
    end_date: String,
    is_active: bool,
    price: i64,
    /// `"4.5"`, or `"0"` without reviews.
    stars: String,
    review_count: i64,
    is_group: bool,
    lecture_to_dance_genre: Vec<GenreView>,
    lecture_to_region: Vec<RegionView>,
    lecture_method: MethodView,
    lecturer: Option<CardLecturer>,
    /// Whether the caller likes it (false for guests).
    is_like: bool,
    /// The caller's like, as the home page reads it: non-empty when liked.
    liked_lecture: Vec<LikeId>,
}

impl LectureCard {
    pub fn new(l: &LectureRecord, lecturer: Option<&LecturerRecord>, like: Option<i64>) -> Self {
        LectureCard {
            id: l.id,
            title: l.title.clone(),
            lecture_image: images(&l.images),
            start_date: l.start_date.clone(),
            end_date: l.end_date.clone(),
            is_active: l.is_active,
            price: l.price,
            stars: l.stars_text(),
            review_count: l.review_count,
            is_group: l.is_group,
            lecture_to_dance_genre: genres(&l.genres),
            lecture_to_region: regions(&l.regions),
            lecture_method: method(l.lecture_method_id),
            lecturer: lecturer.map(CardLecturer::from),
            is_like: like.is_some(),
            liked_lecture: like.map(|id| vec![LikeId { id }]).unwrap_or_default(),
        }
    }
}
