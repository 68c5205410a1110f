//! The shapes a lecturer takes on the wire (api.md §0.6 LecturerCard and the profile's links),
//! shared by the area's routes.

use connection_http::views::{Category, UrlView, urls};
use connection_model::lecturer::{GenreLink, LecturerRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// A genre link; `name` is the free text of `기타`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenreView {
    /// The link's position in the profile, from 1.
    id: i64,
    dance_category_id: i64,
    lecturer_id: i64,
    name: Option<String>,
    dance_category: Category,
}

pub fn genres(lecturer: &LecturerRecord) -> Vec<GenreView> {
    lecturer
        .genres
        .iter()
        .zip(1..)
        .map(|(GenreLink { dance_category_id, name }, id)| GenreView {
            id,
            dance_category_id: *dance_category_id,
            lecturer_id: lecturer.id,
            name: name.clone(),
            dance_category: Category::of(*dance_category_id),
        })
        .collect()
}

/// LecturerCard (api.md §0.6) with its gallery.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LecturerCard {
    id: i64,
    nickname: String,
    profile_card_image_url: Option<String>,
    lecturer_profile_image_url: Vec<UrlView>,
}

impl From<&LecturerRecord> for LecturerCard {
    fn from(l: &LecturerRecord) -> Self {
        LecturerCard {
            id: l.id,
            nickname: l.nickname.clone(),
            profile_card_image_url: l.profile_card_image_url.clone(),
            lecturer_profile_image_url: urls(&l.profile_images),
        }
    }
}
