//! The shapes a lecturer takes on the wire (api.md §0.6 LecturerCard and the profile's links),
//! shared by the area's routes.

use connection_domain::catalog::genre_name;
use connection_domain::regions;
use connection_model::lecturer::{GenreLink, LecturerRecord};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Category {
    id: i64,
    genre: &'static str,
}

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

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionRow {
    id: i64,
    administrative_district: &'static str,
    district: Option<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct RegionView {
    region: RegionRow,
}

#[derive(Serialize, ToSchema)]
pub struct UrlView {
    url: String,
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
            dance_category: Category {
                id: *dance_category_id,
                genre: genre_name(*dance_category_id).unwrap_or(""),
            },
        })
        .collect()
}

pub fn regions(lecturer: &LecturerRecord) -> Vec<RegionView> {
    lecturer
        .regions
        .iter()
        .filter_map(|id| regions::by_id(*id))
        .map(|r| RegionView {
            region: RegionRow {
                id: r.id,
                administrative_district: r.administrative_district,
                district: r.district,
            },
        })
        .collect()
}

pub fn urls(urls: &[String]) -> Vec<UrlView> {
    urls.iter().map(|url| UrlView { url: url.clone() }).collect()
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
