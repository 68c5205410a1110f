//! The user: its profile item, with the Auth binding and the profile image embedded (both are
//! 1–1 with the user and share its id), so a profile is one GetItem.

use connection_table::{Item, Table, TableError};
use serde::{Deserialize, Serialize};

use crate::{decode, encode, keys};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRecord {
    /// Auth is 1–1 with its user and shares the user's id.
    pub id: i64,
    pub email: String,
    pub sign_up_type_id: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileImage {
    /// At most one per user; it shares the user's id.
    pub id: i64,
    pub image_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRecord {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub nickname: String,
    pub email: String,
    pub is_profile_open: bool,
    pub phone_number: Option<String>,
    pub gender: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    pub auth: AuthRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image: Option<ProfileImage>,
    /// Set once the user becomes a lecturer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lecturer_id: Option<i64>,
}

impl UserRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        encode(&keys::user(self.id), "User", self)
    }
}

pub async fn find(table: &dyn Table, id: i64) -> Result<Option<UserRecord>, TableError> {
    table.get(&keys::user(id)).await?.map(decode).transpose()
}

/// A user that exists and is not soft-deleted.
pub async fn find_active(table: &dyn Table, id: i64) -> Result<Option<UserRecord>, TableError> {
    Ok(find(table, id).await?.filter(|u| u.deleted_at.is_none()))
}
