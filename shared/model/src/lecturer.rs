//! The lecturer profile as far as identity needs it: its id, its user, and whether it is
//! deleted. The lecturers area builds on this record.

use connection_table::{Table, TableError};
use serde::{Deserialize, Serialize};

use crate::{decode, keys};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LecturerRecord {
    pub id: i64,
    pub user_id: i64,
    pub nickname: String,
    pub deleted_at: Option<String>,
}

/// A lecturer that exists and is not soft-deleted.
pub async fn find_active(table: &dyn Table, id: i64) -> Result<Option<LecturerRecord>, TableError> {
    let found: Option<LecturerRecord> = table.get(&keys::lecturer(id)).await?.map(decode).transpose()?;
    Ok(found.filter(|l| l.deleted_at.is_none()))
}
