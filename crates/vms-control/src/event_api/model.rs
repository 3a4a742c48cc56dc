//! The JSON of the events API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::event::StoredEvent;

/// An event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = event_example)]
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

/// An example of [`EventView`], for the API document.
fn event_example() -> serde_json::Value {
    serde_json::json!({
        "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "tenant_id": "9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4",
        "site_id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f",
        "site_name": "Harbour depot",
        "camera_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
        "camera_name": "Loading bay 2",
        "type": "zone_enter",
        "start": "2026-12-03T10:14:07Z",
        "end": "2026-12-03T10:14:31Z",
        "attributes": {"label": "person", "score": 0.91, "zones": ["dock_door"], "track_id": 4187,
                       "box": [0.42, 0.31, 0.55, 0.88]},
        "has_snapshot": true,
        "snapshot_at": "2026-12-03T10:14:07Z",
        "acknowledged_at": "2026-12-03T10:16:40Z",
        "acknowledged_by": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        "updated_at": "2026-12-03T10:16:40Z"
    })
}

/// A page of events, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "items": [event_example()],
    "next_cursor": "MTc5NjI5Mjg0NzAwMDAwMC43YzllNjY3OS03NDI1LTQwZGUtOTQ0Yi1lMDdmYzFmOTBhZTc"
}))]
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
#[schema(example = json!({
    "id": "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a",
    "camera_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
    "type": "door_forced",
    "attributes": {"door": "Loading bay 2", "reader": "ACS-17", "badge": null}
}))]
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
#[schema(example = json!({"id": "1f0c8e2a-6b3d-5a4e-9c7f-8d2e1b0a3c4f"}))]
pub struct PostedEvent {
    /// The event's id.
    pub id: Uuid,
}
