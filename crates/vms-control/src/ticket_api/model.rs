//! Ticket request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the ticket is for.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PurposeInput {
    /// Live video (needs `camera.view_live`).
    Live,
    /// Playback (needs `camera.view_archive`).
    Archive,
    /// Export (needs `camera.export`).
    Export,
}

impl From<PurposeInput> for vms_ticket::Purpose {
    fn from(p: PurposeInput) -> Self {
        match p {
            PurposeInput::Live => vms_ticket::Purpose::Live,
            PurposeInput::Archive => vms_ticket::Purpose::Archive,
            PurposeInput::Export => vms_ticket::Purpose::Export,
        }
    }
}

/// Body of the ticket request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"purpose": "live"}))]
pub struct TicketRequest {
    /// What the ticket is for.
    pub purpose: PurposeInput,
}

/// A signed ticket.
#[derive(Serialize, ToSchema)]
pub struct TicketView {
    /// Present it to the media or recorder plane (e.g. `?ticket=`); opens one stream once, until it expires.
    pub ticket: String,
    /// When it stops opening streams.
    pub expires_at: DateTime<Utc>,
    /// What it is for.
    pub purpose: PurposeInput,
}
