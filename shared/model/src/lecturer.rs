//! The lecturer profile: one item holding the profile, its regions, genres, gallery and
//! Instagram posts (each replaced wholesale, never queried apart), and its counters. Identity
//! reads only `id`, `userId`, `nickname` and `deletedAt`.

use connection_table::{Item, Table, TableError};
use serde::{Deserialize, Serialize};

use crate::{decode, encode, keys};

/// The ranking partition of lecturers (the `rank` index).
pub const RANKING: &str = "LECTURERS";

/// A genre link: a seeded category, with the free text of `기타`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenreLink {
    pub dance_category_id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LecturerRecord {
    pub id: i64,
    pub user_id: i64,
    pub nickname: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    pub email: String,
    pub phone_number: String,
    pub profile_card_image_url: Option<String>,
    pub youtube_url: Option<String>,
    pub instagram_url: Option<String>,
    pub homepage_url: Option<String>,
    pub affiliation: Option<String>,
    pub introduction: Option<String>,
    pub experience: Option<String>,
    /// Region lookup ids.
    pub regions: Vec<i64>,
    pub genres: Vec<GenreLink>,
    /// The gallery, first = main.
    pub profile_images: Vec<String>,
    pub instagram_posts: Vec<String>,
    /// Review counters (the reviews area adds to them): the average is `starsSum / reviewCount`.
    pub stars_sum: i64,
    pub review_count: i64,
    pub like_count: i64,
    pub booking_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl LecturerRecord {
    /// The profile item, ranked among lecturers while it is not deleted.
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::lecturer(self.id), "Lecturer", self)?;
        if self.deleted_at.is_none() {
            item.insert("rankpk".into(), RANKING.into());
            let rank = connection_domain::catalog::popularity(self.booking_count, self.like_count);
            item.insert("ranksk".into(), rank.into());
        }
        Ok(item)
    }

    /// The average of its reviews to one decimal (0 without reviews).
    pub fn stars(&self) -> f64 {
        average(self.stars_sum, self.review_count)
    }
}

/// A star average to one decimal; 0 when nothing was rated.
pub fn average(sum: i64, count: i64) -> f64 {
    if count <= 0 { 0.0 } else { (sum as f64 / count as f64 * 10.0).round() / 10.0 }
}

/// A lecturer that exists and is not soft-deleted.
pub async fn find_active(table: &dyn Table, id: i64) -> Result<Option<LecturerRecord>, TableError> {
    let found: Option<LecturerRecord> = table.get(&keys::lecturer(id)).await?.map(decode).transpose()?;
    Ok(found.filter(|l| l.deleted_at.is_none()))
}
