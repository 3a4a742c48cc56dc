//! Audit search query and results.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use vms_catalog::audit::AuditRecord;

/// Filters of `GET /api/audit`; every one narrows the result.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// By this user or API key.
    pub actor_id: Option<Uuid>,
    /// Actions starting with this, e.g. `auth.` or `camera.update`.
    pub action: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: Option<String>,
    /// Target kind, e.g. `camera`.
    pub target_kind: Option<String>,
    /// Target id.
    pub target_id: Option<String>,
    /// Page backwards: only entries older than this `seq` (from `next_before`).
    pub before: Option<i64>,
    /// At most this many entries, newest first (1 to 500; default 100).
    pub limit: Option<i64>,
}

/// One audit entry.
#[derive(Serialize, ToSchema)]
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

/// A page of audit entries.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditView>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}
