//! Export request and response bodies.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::job::{Job, State};

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
}

fn main() -> String {
    "main".to_owned()
}

/// An export and where it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportView {
    /// Its id.
    pub id: Uuid,
    /// `running`, `done`, `failed` or `cancelled`.
    pub status: &'static str,
    /// Fraction copied, 0 to 1.
    pub progress: f64,
    /// Why it failed.
    pub error: Option<String>,
    /// Size of the finished file.
    pub bytes: Option<u64>,
    /// SHA-256 of the finished file, hex.
    pub sha256: Option<String>,
    /// Where to download the file, once done.
    pub file_url: Option<String>,
    /// Where to download the signed manifest, once done.
    pub manifest_url: Option<String>,
}

impl From<&Job> for ExportView {
    fn from(job: &Job) -> Self {
        let mut view = ExportView {
            id: job.id,
            status: "running",
            progress: job.progress(),
            error: None,
            bytes: None,
            sha256: None,
            file_url: None,
            manifest_url: None,
        };
        match job.state() {
            State::Running => {}
            State::Done(m) => {
                view.status = "done";
                view.bytes = Some(m.bytes);
                view.sha256 = Some(m.sha256.clone());
                view.file_url = Some(format!("/api/exports/{}/file", job.id));
                view.manifest_url = Some(format!("/api/exports/{}/manifest", job.id));
            }
            State::Failed(e) => {
                view.status = "failed";
                view.error = Some(e);
            }
            State::Cancelled => view.status = "cancelled",
        }
        view
    }
}
