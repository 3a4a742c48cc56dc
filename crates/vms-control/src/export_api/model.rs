//! Export request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::export::ExportJob;

/// Body of an export request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
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
pub struct ExportView {
    /// Its id.
    pub id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
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
