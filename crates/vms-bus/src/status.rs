//! Plane status reports, published periodically on NATS.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vms_base::Plane;

/// Whether a plane is serving or on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaneState {
    /// Serving its assignments.
    Running,
    /// Shutting down: its streams are being let go.
    Stopping,
}

impl PlaneState {
    /// The word used on the wire and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaneState::Running => "running",
            PlaneState::Stopping => "stopping",
        }
    }
}

/// What a plane says about itself every few seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaneStatusReport {
    /// Which plane.
    pub plane: Plane,
    /// Node it runs on.
    pub node_id: String,
    /// Build version.
    pub version: String,
    /// OS process id.
    pub pid: u32,
    /// Serving, or shutting down.
    pub state: PlaneState,
    /// Process start.
    pub started_at: DateTime<Utc>,
    /// When this report was made.
    pub reported_at: DateTime<Utc>,
    /// Revision of the assignments in force.
    pub assignments_revision: u64,
    /// Number of assigned streams.
    pub assigned_streams: u32,
    /// Whether the plane currently has a live assignment stream from control.
    pub control_connected: bool,
    /// Address of the plane's gRPC service.
    pub grpc_addr: String,
    /// Critical conditions the plane cannot clear by itself (a full disk,
    /// say), one message each; empty when all is well.
    #[serde(default)]
    pub alerts: Vec<String>,
    /// Other services the plane offers, by name, with their addresses (the
    /// media plane's `live` HTTP egress, say).
    #[serde(default)]
    pub endpoints: std::collections::BTreeMap<String, String>,
    /// What the analytics plane does with each of its streams (empty for other planes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub analytics: Vec<StreamAnalytics>,
    /// The recorder's storage roots, as its last retention sweep found
    /// them (empty for other planes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage: Vec<StorageRootStatus>,
    /// Times this plane's process was restarted by its supervisor (`vms
    /// up`), as the supervisor told it at start.
    #[serde(default)]
    pub restarts: u64,
    /// Why the supervisor last restarted it: `exited` (it died) or `hung`
    /// (its watchdog found it had stopped reporting); absent on a first start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_cause: Option<String>,
    /// For a recorder: how many seconds the recording index is behind the
    /// files written (absent for other planes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_lag_secs: Option<f64>,
}

/// One storage root of a recorder: its filesystem's room, what the
/// recordings in it take, and how far back they go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageRootStatus {
    /// The root's path on the recorder's machine.
    pub path: String,
    /// The filesystem's size.
    pub total_bytes: u64,
    /// Bytes the filesystem still has for the recorder.
    pub free_bytes: u64,
    /// Bytes of recordings indexed in the root.
    pub recorded_bytes: u64,
    /// Of those, bytes locked as evidence by bookmarks.
    pub locked_bytes: u64,
    /// The root's quota, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Where its oldest footage starts: the retention horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest: Option<DateTime<Utc>>,
    /// When retention last removed footage from this root to make room
    /// (over its quota, or short of free space) rather than for its age,
    /// since the recorder started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_removed_at: Option<DateTime<Utc>>,
    /// Why the filesystem could not be measured, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One stream's analysis, as the analytics plane reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamAnalytics {
    /// The camera.
    pub camera_id: uuid::Uuid,
    /// Its stream (`main`, `sub`).
    pub stream: String,
    /// Pictures a second asked for.
    pub detect_fps: u32,
    /// Pictures a second analysed since the last report.
    pub fps: f32,
    /// Pictures received over the frame link.
    pub received: u64,
    /// Pictures the media plane skipped for the plane (it fell behind).
    pub lost: u64,
    /// Pictures decoded.
    pub decoded: u64,
    /// Pictures analysed.
    pub analysed: u64,
    /// Pictures that failed to decode.
    pub decode_errors: u64,
    /// Whether only keyframes are decoded (the detect rate is that low).
    pub keyframes_only: bool,
    /// Whether motion is going on.
    pub motion: bool,
    /// The last error, until the stream decodes again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Objects followed now.
    #[serde(default)]
    pub objects: u32,
    /// Milliseconds the last inference took (0 before any).
    #[serde(default)]
    pub inference_ms: f32,
    /// Why objects are not looked for (no model, a broken one, a failed
    /// inference), until they are again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_error: Option<String>,
    /// Time spent in each stage so far.
    #[serde(default)]
    pub stages: StageTimes,
    /// Crossings of each of the camera's lines since its analysis started.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineCount>,
    /// Why the camera's own analytics settings cannot be used (they came
    /// from a control of another version); the camera is not analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings_error: Option<String>,
    /// Labels the camera's settings name that the plane's model does not
    /// know: filters and shapes with only those never match anything.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_labels: Vec<String>,
}

/// Crossings of one line, each way, as seen standing on its `a` looking at `b`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCount {
    /// The line's name.
    pub name: String,
    /// From left to right.
    pub left_to_right: u64,
    /// From right to left.
    pub right_to_left: u64,
}

/// Time a stream's analysis has spent in each stage, in microseconds, since it started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTimes {
    /// Decoding.
    pub decode_us: u64,
    /// Motion: scaling to the small luma plane, detection, start and end.
    pub motion_us: u64,
    /// Preparing pictures for the model (conversion, letterboxing).
    pub preprocess_us: u64,
    /// The model's inferences (not counting the wait for the plane's model).
    pub inference_us: u64,
    /// Following objects.
    pub tracking_us: u64,
    /// Inferences run.
    pub inferences: u64,
}

impl PlaneStatusReport {
    /// Encodes the report for the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("status report should serialize")
    }

    /// Decodes a report received from the wire.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
