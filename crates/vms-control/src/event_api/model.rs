//! The JSON of the events API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::event::StoredEvent;

/// An event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventView {
    /// Its id.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// That tenant's name now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_name: Option<String>,
    /// Its camera's site when it happened.
    pub site_id: Option<Uuid>,
    /// That site's name now.
    pub site_name: Option<String>,
    /// The camera it concerns.
    pub camera_id: Option<Uuid>,
    /// The camera's name now (kept after the camera's deletion).
    pub camera_name: Option<String>,
    /// What happened: `motion`, `object`, `zone_enter`, `line_crossed`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended; absent while it goes on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// What its source reported (label, score, box, zones, line, direction, track id, …).
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
    /// Whether it has a snapshot (`GET /api/events/{id}/snapshot`).
    pub has_snapshot: bool,
    /// When the snapshot's keyframe arrived from the camera.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_at: Option<DateTime<Utc>>,
    /// Why a rule could not take a snapshot (`no snapshot: camera offline: …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_error: Option<String>,
    /// When an operator acknowledged it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<Uuid>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<StoredEvent> for EventView {
    fn from(e: StoredEvent) -> Self {
        Self {
            id: e.id,
            tenant_id: e.tenant_id,
            tenant_name: e.tenant_name,
            site_id: e.site_id,
            site_name: e.site_name,
            camera_id: e.camera_id,
            camera_name: e.camera_name,
            kind: e.kind,
            start: e.start_time,
            end: e.end_time,
            attributes: e.attributes,
            has_snapshot: e.snapshot.is_some(),
            snapshot_at: e.snapshot_at,
            snapshot_error: e.snapshot_error,
            acknowledged_at: e.acked_at,
            acknowledged_by: e.acked_by,
            updated_at: e.updated_at,
        }
    }
}

/// A page of events, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventPage {
    /// The events.
    pub items: Vec<EventView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Events counted per time bucket.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventHistogram {
    /// Buckets with at least one event, oldest first.
    pub buckets: Vec<Bucket>,
}

/// One bucket of a histogram.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Bucket {
    /// The bucket's start.
    pub start: DateTime<Utc>,
    /// Events that started in it.
    pub count: i64,
}

/// An event posted by an integration (a door sensor, an access-control system).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostEvent {
    /// The integration's own id for it, to post it again safely (repeats
    /// within two minutes are dropped): the event's id is then derived from
    /// it and the tenant, the same on every post. A new one by default.
    pub id: Option<Uuid>,
    /// The camera it concerns.
    pub camera_id: Uuid,
    /// Its type: 1 to 64 of `a-z`, `0-9` and `_`, starting with a letter.
    #[serde(rename = "type")]
    pub kind: String,
    /// When it started; now by default.
    pub start: Option<DateTime<Utc>>,
    /// When it ended, if it has.
    pub end: Option<DateTime<Utc>>,
    /// What the integration knows about it (at most 16 KiB of JSON).
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The answer to a posted event: it is on the bus and will be stored shortly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PostedEvent {
    /// The event's id.
    pub id: Uuid,
}
