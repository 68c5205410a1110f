//! Keeping claimed uploads. An upload is stored tagged `upload=unclaimed`, which the bucket's
//! lifecycle rule expires after two days. When an entity starts showing the image, its write
//! deletes the upload's record (a claim); this consumer of the table's stream sees that removal
//! and re-tags the object, which then stays. A record the TTL removed (nobody claimed the image
//! within a day) is left alone: its object expires.

use aws_lambda_events::dynamodb::{Event, EventRecord};
use connection_adapters::{BlobError, Blobs};

/// The principal that removes items whose `ttl` passed.
const TTL_PRINCIPAL: &str = "dynamodb.amazonaws.com";

fn expired(record: &EventRecord) -> bool {
    record.user_identity.as_ref().is_some_and(|u| u.type_ == "Service" && u.principal_id == TTL_PRINCIPAL)
}

/// The object keys whose upload records a write removed (not the TTL), in stream order.
pub fn claimed_keys(event: &Event) -> Vec<String> {
    event
        .records
        .iter()
        .filter(|r| r.event_name == "REMOVE" && !expired(r))
        .filter_map(|r| {
            // Keys in DynamoDB's JSON: `{"pk": {"S": "UPLOAD#lectures/…"}, …}`.
            let keys = serde_json::to_value(&r.change.keys).ok()?;
            keys["pk"]["S"].as_str()?.strip_prefix("UPLOAD#").map(str::to_owned)
        })
        .collect()
}

/// Keeps every claimed upload of `event`. Keeping is idempotent, so a retried batch is harmless.
pub async fn keep_claimed(blobs: &dyn Blobs, event: Event) -> Result<usize, BlobError> {
    let keys = claimed_keys(&event);
    for key in &keys {
        blobs.keep(key).await?;
    }
    Ok(keys.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(name: &str, pk: &str, identity: Option<serde_json::Value>) -> serde_json::Value {
        let mut r = json!({
            "eventID": "1", "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "ap-northeast-2",
            "dynamodb": {"Keys": {"pk": {"S": pk}, "sk": {"S": "UPLOAD"}}, "SequenceNumber": "1",
                "SizeBytes": 10, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        });
        if let Some(identity) = identity {
            r["userIdentity"] = identity;
        }
        r
    }

    #[test]
    fn claims_are_removals_by_a_write_and_expiries_are_not() {
        let ttl = json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"});
        let event: Event = serde_json::from_value(json!({"Records": [
            record("REMOVE", "UPLOAD#lectures/a.png", None),
            record("REMOVE", "UPLOAD#lectures/old.png", Some(ttl)),
            record("INSERT", "UPLOAD#lectures/new.png", None),
            record("REMOVE", "USER#1", None),
            record("REMOVE", "UPLOAD#lecturers/b.gif", None),
        ]}))
        .unwrap();
        assert_eq!(claimed_keys(&event), vec!["lectures/a.png", "lecturers/b.gif"]);
    }
}
