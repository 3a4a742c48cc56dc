//! Export request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::export::ExportJob;

/// Body of an export request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "camera_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
    "stream": "main",
    "start": "2026-12-03T10:00:00Z",
    "end": "2026-12-03T10:30:00Z",
    "watermark": true
}))]
pub struct CreateExport {
    /// The camera.
    pub camera_id: Uuid,
    /// `main` (the default) or `sub`.
    #[serde(default = "main")]
    pub stream: String,
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339 (at most 24 hours after `start`).
    pub end: String,
    /// Burn the user name, the export time (UTC) and the camera's name into
    /// every picture, re-encoding them as H.264 (slower, and the manifest
    /// then carries the same text, signed); default false: the pictures
    /// are copied as recorded.
    #[serde(default)]
    pub watermark: bool,
}

fn main() -> String {
    "main".to_owned()
}

/// An export and where it is.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
    "camera_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
    "stream": "main",
    "start": "2026-12-03T10:00:00Z",
    "end": "2026-12-03T10:30:00Z",
    "requested_by": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
    "created_at": "2026-12-03T10:31:12Z",
    "status": "done",
    "progress": 1.0,
    "error": null,
    "bytes": 412_385_280,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "expires_at": "2026-12-10T10:31:12Z",
    "file_url": "/api/exports/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b/file",
    "manifest_url": "/api/exports/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b/manifest"
}))]
pub struct ExportView {
    /// Its id.
    pub id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// `main` or `sub`.
    pub stream: String,
    /// Start of the exported window.
    pub start: DateTime<Utc>,
    /// End of the exported window.
    pub end: DateTime<Utc>,
    /// The user who asked for it (through an API key: the key's owner).
    pub requested_by: Uuid,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// `running`, `done`, `failed`, `cancelled` or `expired` (done, and its
    /// file deleted after `export.keep_secs`).
    pub status: String,
    /// Fraction done, 0 to 1: of the bytes copied or, for a watermarked
    /// export, of the pictures re-encoded.
    pub progress: f64,
    /// Why it failed (`interrupted`: control stopped while it ran).
    pub error: Option<String>,
    /// Size of the finished file.
    pub bytes: Option<u64>,
    /// SHA-256 of the finished file, hex.
    pub sha256: Option<String>,
    /// When the finished file is (or was) deleted.
    pub expires_at: Option<DateTime<Utc>>,
    /// Where to download the file, once done.
    pub file_url: Option<String>,
    /// Where to download the signed manifest, once done.
    pub manifest_url: Option<String>,
}

/// A page of exports, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "id": "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b6c",
        "camera_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
        "stream": "main",
        "start": "2026-12-03T11:00:00Z",
        "end": "2026-12-03T11:15:00Z",
        "requested_by": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        "created_at": "2026-12-03T11:20:45Z",
        "status": "running",
        "progress": 0.42,
        "error": null,
        "bytes": null,
        "sha256": null,
        "expires_at": null,
        "file_url": null,
        "manifest_url": null
    }],
    "next_cursor": "MTc5NjI5Njg0NTAwMDAwMC5mMmEzYjRjNS1kNmU3LTRmOGEtOWIwYy0xZDJlM2Y0YTViNmM"
}))]
pub struct ExportPage {
    /// The exports.
    pub items: Vec<ExportView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl ExportView {
    /// Shows a job as the catalog holds it; `running` is how far it got, as
    /// its recorder says, while it runs.
    pub fn new(row: &ExportJob, running: Option<f64>) -> Self {
        let done = row.status == "done";
        let progress = match row.status.as_str() {
            "running" => running.unwrap_or(0.0),
            "done" | "expired" => 1.0,
            _ => 0.0,
        };
        let finished = done || row.status == "expired";
        ExportView {
            id: row.id,
            camera_id: row.camera_id,
            stream: row.stream.clone(),
            start: row.start_time,
            end: row.end_time,
            requested_by: row.user_id,
            created_at: row.created_at,
            status: row.status.clone(),
            progress,
            error: row.error.clone(),
            bytes: finished.then(|| u64::try_from(row.bytes).unwrap_or(0)),
            sha256: row.sha256.clone(),
            expires_at: row.expires_at,
            file_url: done.then(|| format!("/api/exports/{}/file", row.id)),
            manifest_url: done.then(|| format!("/api/exports/{}/manifest", row.id)),
        }
    }
}
