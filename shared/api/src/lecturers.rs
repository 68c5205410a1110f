//! The lecturer profile as far as identity needs it: its id, its user, and whether it is
//! deleted. The lecturers area builds on this record.

use connection_http::ApiError;
use connection_table::Table;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::keys;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LecturerRecord {
    pub id: i64,
    pub user_id: i64,
    pub nickname: String,
    pub deleted_at: Option<String>,
}

/// A lecturer that exists and is not soft-deleted.
pub async fn find_active(table: &dyn Table, id: i64) -> Result<Option<LecturerRecord>, ApiError> {
    match table.get(&keys::lecturer(id)).await? {
        Some(item) => {
            let lecturer: LecturerRecord =
                serde_json::from_value(Value::Object(item)).map_err(ApiError::internal)?;
            Ok(Some(lecturer).filter(|l| l.deleted_at.is_none()))
        }
        None => Ok(None),
    }
}
