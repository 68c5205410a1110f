//! Wire shapes the catalog areas share: a region link, a genre's category, an image URL and an
//! offer's target lecture.

use connection_domain::catalog::genre_name;
use connection_domain::regions;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Category {
    pub id: i64,
    pub genre: &'static str,
}

impl Category {
    pub fn of(id: i64) -> Self {
        Category { id, genre: genre_name(id).unwrap_or("") }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionRow {
    id: i64,
    administrative_district: &'static str,
    district: Option<&'static str>,
}

/// `{region: {id, administrativeDistrict, district}}`.
#[derive(Serialize, ToSchema)]
pub struct RegionView {
    region: RegionRow,
}

/// The region links of region lookup ids.
pub fn regions(ids: &[i64]) -> Vec<RegionView> {
    ids.iter()
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

#[derive(Serialize, ToSchema)]
pub struct UrlView {
    url: String,
}

/// `[{url}]` of a gallery.
pub fn urls(urls: &[String]) -> Vec<UrlView> {
    urls.iter().map(|url| UrlView { url: url.clone() }).collect()
}

#[derive(Serialize, ToSchema)]
pub struct LectureTitle {
    id: i64,
    title: String,
}

/// A lecture an offer targets, as coupons and passes show their targets.
#[derive(Serialize, ToSchema)]
pub struct LectureRef {
    lecture: LectureTitle,
}

pub fn lecture_refs(targets: &[connection_model::offers::Target]) -> Vec<LectureRef> {
    targets
        .iter()
        .map(|t| LectureRef { lecture: LectureTitle { id: t.id, title: t.title.clone() } })
        .collect()
}
