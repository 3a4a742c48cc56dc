//! Request and response bodies of discovery, onboarding and PTZ.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::camera_api::model::CameraView;

/// Body of `POST /api/discovery/scan`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ranges": ["192.168.1.0/24", "10.0.0.5-10.0.0.40"], "multicast": true}))]
pub struct StartScan {
    /// Addresses to probe one by one: CIDR blocks (`192.168.1.0/24`), ranges
    /// (`10.0.0.5-10.0.0.40` or `10.0.0.5-40`) or single addresses; at most
    /// 1024 addresses in all (a /22).
    #[serde(default)]
    pub ranges: Vec<String>,
    /// Also probe the WS-Discovery multicast group on every local network
    /// (default false; super-admins only, since it reaches every network and
    /// tenant of the installation). Multicast reaches only the local link.
    #[serde(default)]
    pub multicast: bool,
    /// Seconds to listen after the last probe, 1–30 (default 3).
    pub window_secs: Option<u32>,
}

/// Answer of `POST /api/discovery/scan`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "0b0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11"}))]
pub struct ScanStarted {
    /// The scan's id.
    pub id: Uuid,
}

/// Where a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScanState {
    /// Probing or listening.
    Running,
    /// Finished its window.
    Done,
    /// Cancelled by a user.
    Cancelled,
    /// Could not run (its reason is in `error`).
    Failed,
}

/// How far a scan has come.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScanProgress {
    /// Addresses probed so far.
    pub probed: usize,
    /// Addresses to probe.
    pub total: usize,
}

/// A device that answered.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FoundDeviceView {
    /// The address its answer came from.
    pub address: String,
    /// Its ONVIF device service URL (what onboarding takes).
    pub device_url: String,
    /// Its WS-Discovery endpoint reference.
    pub endpoint: String,
    /// From its scopes.
    pub manufacturer: Option<String>,
    /// From its `hardware` scope.
    pub model: Option<String>,
    /// From its `name` scope.
    pub name: Option<String>,
    /// From its `location` scope.
    pub location: Option<String>,
    /// Every scope it sent.
    pub scopes: Vec<String>,
    /// The camera already made from it in this tenant, if any.
    pub camera_id: Option<Uuid>,
}

/// A scan and what it found.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "0b0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11", "state": "done", "progress": {"probed": 254, "total": 254},
    "devices": [{"address": "192.168.1.64", "device_url": "http://192.168.1.64/onvif/device_service",
        "endpoint": "urn:uuid:4d454930-0000-1000-8000-bcad28e4f7b1", "manufacturer": "HIKVISION",
        "model": "DS-2CD2143G2-I", "name": "Gate", "location": null,
        "scopes": ["onvif://www.onvif.org/name/Gate"], "camera_id": null}],
    "error": null, "started_at": "2026-12-03T10:00:00Z", "finished_at": "2026-12-03T10:00:05Z"
}))]
pub struct ScanView {
    /// The scan's id.
    pub id: Uuid,
    /// `running`, `done`, `cancelled` or `failed`.
    pub state: ScanState,
    /// Addresses probed of those asked for (multicast probes are not counted).
    pub progress: ScanProgress,
    /// Devices in the order they answered.
    pub devices: Vec<FoundDeviceView>,
    /// Why it failed.
    pub error: Option<String>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Body of `POST /api/cameras/onboard`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "device_url": "http://192.0.2.64/onvif/device_service", "username": "vms", "password": "Cam-pass-2026",
    "site_id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f", "name": "Gate"
}))]
pub struct OnboardCamera {
    /// The device's address (`192.0.2.64` or `192.0.2.64:8080`); give this or `device_url`.
    pub address: Option<String>,
    /// The device service URL, as a scan found it; give this or `address`.
    pub device_url: Option<String>,
    /// The device's user name.
    pub username: String,
    /// The device's password (write-only, sealed at rest).
    pub password: String,
    /// The site of a new camera.
    pub site_id: Uuid,
    /// The camera's name (default: the device's model, or its address).
    pub name: Option<String>,
}

/// What onboarding learnt about the device.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeviceView {
    /// The device service URL.
    pub device_url: String,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware version.
    pub firmware: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// The profile of the main stream.
    pub main_profile: Option<String>,
    /// The profile of the sub stream.
    pub sub_profile: Option<String>,
    /// Whether the camera has PTZ.
    pub ptz: bool,
    /// Whether the device gave a snapshot URI.
    pub snapshot: bool,
}

/// Answer of `POST /api/cameras/onboard`.
#[derive(Serialize, ToSchema)]
pub struct Onboarded {
    /// True when a camera was added, false when the device's camera was updated.
    pub created: bool,
    /// The camera.
    pub camera: CameraView,
    /// The device.
    pub device: DeviceView,
}

/// Pan, tilt and zoom velocities for `POST /api/cameras/{id}/ptz/move`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pan": 0.5, "tilt": 0.0, "zoom": 0.0, "timeout_ms": 1000}))]
pub struct PtzMove {
    /// −1 (left) to 1 (right).
    #[serde(default)]
    pub pan: f32,
    /// −1 (down) to 1 (up).
    #[serde(default)]
    pub tilt: f32,
    /// −1 (out) to 1 (in).
    #[serde(default)]
    pub zoom: f32,
    /// Stop by itself after this long, 1–60000 ms (default: until stopped).
    pub timeout_ms: Option<u64>,
}

/// A position (`/ptz/absolute`: pan and tilt −1..1, zoom 0..1) or a
/// translation (`/ptz/relative`: each −1..1).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pan": -0.25, "tilt": 0.1, "zoom": 0.5}))]
pub struct PtzPosition {
    /// Pan.
    #[serde(default)]
    pub pan: f32,
    /// Tilt.
    #[serde(default)]
    pub tilt: f32,
    /// Zoom.
    #[serde(default)]
    pub zoom: f32,
}

/// Answer of `GET /api/cameras/{id}/ptz/status`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"pan": 0.25, "tilt": -0.1, "zoom": 0.0, "moving": false}))]
pub struct PtzStatusView {
    /// Pan, if the camera reports its position.
    pub pan: Option<f32>,
    /// Tilt.
    pub tilt: Option<f32>,
    /// Zoom.
    pub zoom: Option<f32>,
    /// Whether it moves.
    pub moving: bool,
}

/// A preset.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"token": "3", "name": "Gate"}))]
pub struct PresetView {
    /// Its token (used to go to or remove it).
    pub token: String,
    /// Its name.
    pub name: Option<String>,
}

/// Answer of `GET /api/cameras/{id}/ptz/presets`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PresetList {
    /// The presets.
    pub items: Vec<PresetView>,
}

/// Body of `POST /api/cameras/{id}/ptz/presets`: stores where the camera points now.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Gate"}))]
pub struct NewPreset {
    /// Its name, 1–64 characters.
    pub name: String,
}
