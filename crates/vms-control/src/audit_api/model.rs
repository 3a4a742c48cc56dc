//! Audit search query and results.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::audit::{AuditFilter, AuditRecord};

use crate::{error::ApiError, list_query};

/// A parsed `GET /api/audit` query: every filter narrows the result, and a
/// list filter (given repeated or comma-separated) keeps entries matching
/// any of its values.
#[derive(Debug, Default, PartialEq)]
pub struct AuditQuery {
    /// The filter, with the page's size and start.
    pub filter: AuditFilter,
}

impl AuditQuery {
    /// Parses `from`, `to`, `actor_id`, `action` (prefixes), `outcome`,
    /// `target_kind`, `target_id`, `limit` and `cursor` (or the older
    /// `before`, a `seq`).
    pub fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let mut f = AuditFilter { limit: list_query::DEFAULT_LIMIT, ..Default::default() };
        for (key, value) in list_query::pairs(query) {
            let key = key.as_str();
            match key {
                "from" => f.from = Some(list_query::time(key, &value)?),
                "to" => f.to = Some(list_query::time(key, &value)?),
                "actor_id" => list_query::push_ids(&mut f.actor_ids, key, &value)?,
                "action" => list_query::push_words(&mut f.actions, key, &value)?,
                "outcome" => list_query::push_words(&mut f.outcomes, key, &value)?,
                "target_kind" => list_query::push_words(&mut f.target_kinds, key, &value)?,
                "target_id" => list_query::push_words(&mut f.target_ids, key, &value)?,
                "limit" => f.limit = list_query::limit(key, &value)?,
                "cursor" => f.before_seq = Some(list_query::number_cursor(key, &value)?),
                "before" => {
                    f.before_seq = Some(value.parse().map_err(|_| ApiError::invalid(key, "must be an entry's seq"))?)
                }
                other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
            }
        }
        if let Some(odd) = f.outcomes.iter().find(|o| !["success", "failure", "denied"].contains(&o.as_str())) {
            return Err(ApiError::invalid("outcome", format!("{odd:?} is not success, failure or denied")));
        }
        list_query::ordered(f.from, f.to, "to")?;
        Ok(Self { filter: f })
    }
}

/// One audit entry.
#[derive(Serialize, ToSchema)]
#[schema(example = audit_example)]
pub struct AuditView {
    /// Position in the tamper-evident chain.
    pub seq: i64,
    /// Entry id.
    pub id: Uuid,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// `user`, `api_key`, `system` or `anonymous`.
    pub actor_kind: String,
    /// User or key id.
    pub actor_id: Option<Uuid>,
    /// User or key name.
    pub actor_name: String,
    /// Action.
    pub action: String,
    /// Target kind.
    pub target_kind: String,
    /// Target id.
    pub target_id: String,
    /// Client address.
    pub source_ip: String,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    /// Details.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<AuditRecord> for AuditView {
    fn from(r: AuditRecord) -> Self {
        Self {
            seq: r.seq,
            id: r.entry_id,
            occurred_at: r.occurred_at,
            actor_kind: r.actor_kind,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            action: r.action,
            target_kind: r.target_kind,
            target_id: r.target_id,
            source_ip: r.source_ip,
            outcome: r.outcome,
            details: r.details,
        }
    }
}

/// An example of [`AuditView`], for the API document.
fn audit_example() -> serde_json::Value {
    serde_json::json!({
        "seq": 18_342,
        "id": "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
        "occurred_at": "2026-12-03T10:31:12Z",
        "actor_kind": "user",
        "actor_id": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        "actor_name": "j.meyer",
        "action": "export.create",
        "target_kind": "camera",
        "target_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
        "source_ip": "198.51.100.23",
        "outcome": "success",
        "details": {
            "export": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
            "stream": "main",
            "start": "2026-12-03T10:00:00+00:00",
            "end": "2026-12-03T10:30:00+00:00",
            "watermark": true
        }
    })
}

/// A page of audit entries.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"items": [audit_example()], "next_cursor": "bjE4MzQy", "next_before": 18_342}))]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The `seq` to pass as `before` for the next page: the older form of
    /// `next_cursor`, kept for clients of API 1.0.
    #[schema(deprecated)]
    pub next_before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_repeat_or_take_commas_and_pages_come_by_cursor() {
        let actor = Uuid::from_u128(9);
        let q = AuditQuery::parse(Some(&format!(
            "action=camera.&action=auth.login,user.&outcome=denied&outcome=failure&actor_id={actor}\
             &target_kind=camera&target_id=a,b&limit=20&cursor={}",
            list_query::encode_number(77)
        )))
        .unwrap()
        .filter;
        assert_eq!(q.actions, vec!["camera.", "auth.login", "user."]);
        assert_eq!(q.outcomes, vec!["denied", "failure"]);
        assert_eq!(
            (q.actor_ids, q.target_kinds, q.target_ids),
            (vec![actor], vec!["camera".to_owned()], vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!((q.limit, q.before_seq), (20, Some(77)));
        assert_eq!(AuditQuery::parse(Some("before=12")).unwrap().filter.before_seq, Some(12));
        assert_eq!(AuditQuery::parse(None).unwrap().filter.limit, 100);
        for bad in [
            "outcome=maybe",
            "limit=0",
            "limit=501",
            "cursor=12",
            "before=x",
            "from=yesterday",
            "actor_id=bob",
            "from=2026-12-02T10:00:00Z&to=2026-12-02T09:00:00Z",
            "nope=1",
        ] {
            assert!(AuditQuery::parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
