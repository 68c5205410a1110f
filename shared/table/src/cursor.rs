//! Opaque page cursors: the key attributes of the last item returned, as base64url JSON.
//! Both adapters write the same form, so a cursor says nothing about the backend.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::{Index, Item, PK, Result, SK, TableError};

/// Key attribute → value: a string, or an integer for a numeric sort key.
pub(crate) type CursorKey = BTreeMap<String, Value>;

/// The cursor that resumes a query of `index` after `item`.
pub(crate) fn encode(index: Index, item: &Item) -> Result<String> {
    let mut key = CursorKey::new();
    let (ipk, isk) = index.keys();
    for attr in [PK, SK, ipk, isk] {
        let value = item
            .get(attr)
            .filter(|v| if attr == isk && index.numeric_sort() { v.is_i64() } else { v.is_string() })
            .ok_or_else(|| TableError::Backend(format!("item without key attribute {attr}")))?;
        key.insert(attr.to_string(), value.clone());
    }
    let json = serde_json::to_vec(&key).map_err(|e| TableError::Backend(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// Reads a cursor back, refusing one that was not made for this index and partition.
pub(crate) fn decode(index: Index, pk: &str, cursor: &str) -> Result<CursorKey> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| TableError::InvalidCursor)?;
    let key: CursorKey = serde_json::from_slice(&bytes).map_err(|_| TableError::InvalidCursor)?;
    let (ipk, isk) = index.keys();
    let well_typed = [PK, SK, ipk, isk].iter().all(|a| match key.get(*a) {
        Some(v) if *a == isk && index.numeric_sort() => v.is_i64(),
        Some(v) => v.is_string(),
        None => false,
    });
    if !well_typed || key.get(ipk).and_then(Value::as_str) != Some(pk) || key.len() > 4 {
        return Err(TableError::InvalidCursor);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item() -> Item {
        json!({"pk": "P", "sk": "S", "gsi1pk": "G", "gsi1sk": "g", "rankpk": "R", "ranksk": 42})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_cursor_round_trips_for_its_own_partition() {
        let c = encode(Index::Gsi1, &item()).unwrap();
        let key = decode(Index::Gsi1, "G", &c).unwrap();
        assert_eq!(key["gsi1sk"], "g");
        assert_eq!(key["sk"], "S");
        let c = encode(Index::Rank, &item()).unwrap();
        assert_eq!(decode(Index::Rank, "R", &c).unwrap()["ranksk"], 42);
    }

    #[test]
    fn a_cursor_of_another_partition_or_garbage_is_refused() {
        let c = encode(Index::Primary, &item()).unwrap();
        assert_eq!(decode(Index::Primary, "other", &c), Err(TableError::InvalidCursor));
        assert_eq!(decode(Index::Gsi1, "G", &c), Err(TableError::InvalidCursor));
        assert_eq!(decode(Index::Primary, "P", "!!!"), Err(TableError::InvalidCursor));
        let forged = URL_SAFE_NO_PAD.encode(r#"{"pk":"P","sk":"S","rankpk":"R","ranksk":"9"}"#);
        assert_eq!(decode(Index::Rank, "R", &forged), Err(TableError::InvalidCursor));
    }
}
