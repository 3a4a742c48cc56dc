//! Request and response bodies of NVR import, sync and removal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::nvr::{ChannelRow, Nvr};

/// The protocol an NVR is spoken to with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NvrVendor {
    /// ONVIF (Profile S): one channel per video source.
    Onvif,
    /// Hikvision ISAPI.
    Hikvision,
    /// Dahua RPC2.
    Dahua,
}

impl From<NvrVendor> for vms_devices::nvr::Vendor {
    fn from(v: NvrVendor) -> Self {
        match v {
            NvrVendor::Onvif => vms_devices::nvr::Vendor::Onvif,
            NvrVendor::Hikvision => vms_devices::nvr::Vendor::Hikvision,
            NvrVendor::Dahua => vms_devices::nvr::Vendor::Dahua,
        }
    }
}

/// Body of `POST /api/nvrs`.
// No `Debug`: it holds a password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vendor": "hikvision", "address": "192.168.1.20", "username": "admin",
    "password": "secret", "site_id": "7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11", "channels": [1, 2, 5]}))]
pub struct ImportNvr {
    /// How to speak to it.
    pub vendor: NvrVendor,
    /// `host`, `host:port` or `http://host:port` (ONVIF: or its device service URL).
    pub address: String,
    /// Its user name.
    pub username: String,
    /// Its password (write-only; sealed at rest, used for its streams too).
    pub password: String,
    /// The site its cameras join.
    pub site_id: Uuid,
    /// Its name (default: what it calls itself, else its model and address).
    pub name: Option<String>,
    /// The channels to make cameras of (default: every channel, and channels
    /// a later sync finds too).
    pub channels: Option<Vec<u32>>,
}

/// An imported NVR (never its credentials).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NvrView {
    /// Its id.
    pub id: Uuid,
    /// The site of its cameras.
    pub site_id: Uuid,
    /// Its name.
    pub name: String,
    /// How it is spoken to.
    pub vendor: NvrVendor,
    /// Where it answers.
    pub address: String,
    /// Manufacturer, as it says.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware version.
    pub firmware: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Whether channels found by a sync become cameras.
    pub all_channels: bool,
    /// Its channels.
    pub channel_count: i64,
    /// Its channels that are cameras.
    pub camera_count: i64,
    /// When it was last read.
    pub synced_at: DateTime<Utc>,
    /// When it was imported.
    pub created_at: DateTime<Utc>,
}

impl From<Nvr> for NvrView {
    fn from(n: Nvr) -> Self {
        // The catalog allows these three only (a CHECK constraint).
        let vendor = match vms_devices::nvr::Vendor::parse(&n.record.vendor) {
            Some(vms_devices::nvr::Vendor::Hikvision) => NvrVendor::Hikvision,
            Some(vms_devices::nvr::Vendor::Dahua) => NvrVendor::Dahua,
            _ => NvrVendor::Onvif,
        };
        NvrView {
            id: n.id,
            site_id: n.site_id,
            name: n.name,
            vendor,
            address: n.record.address,
            manufacturer: n.record.manufacturer,
            model: n.record.model,
            firmware: n.record.firmware,
            serial: n.record.serial,
            all_channels: n.all_channels,
            channel_count: n.channel_count,
            camera_count: n.camera_count,
            synced_at: n.synced_at,
            created_at: n.created_at,
        }
    }
}

/// One channel of an NVR.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NvrChannelView {
    /// Its number as the NVR shows it, from 1.
    pub number: i32,
    /// Its title on the NVR.
    pub name: Option<String>,
    /// Whether a camera streams to it, where the NVR says.
    pub online: Option<bool>,
    /// Main stream address (credentials are the NVR's, never in it).
    pub main_url: String,
    /// Sub stream address.
    pub sub_url: Option<String>,
    /// The camera made from it, if it is one.
    pub camera_id: Option<Uuid>,
}

impl From<ChannelRow> for NvrChannelView {
    fn from(c: ChannelRow) -> Self {
        NvrChannelView {
            number: c.number,
            name: c.name,
            online: c.online,
            main_url: c.main_url,
            sub_url: c.sub_url,
            camera_id: c.camera_id,
        }
    }
}

/// An NVR with its channels: the answer of `GET /api/nvrs/{id}`, of an import and of a sync.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"nvr": {"id": "0b0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11",
    "site_id": "7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11", "name": "Warehouse NVR", "vendor": "hikvision",
    "address": "http://192.168.1.20/", "manufacturer": "Hikvision", "model": "DS-7608NI-K2",
    "firmware": "V4.30.085", "serial": "DS-7608NI-K20820191234", "all_channels": true, "channel_count": 2,
    "camera_count": 2, "synced_at": "2026-12-04T09:00:00Z", "created_at": "2026-12-04T09:00:00Z"},
    "channels": [{"number": 1, "name": "Gate", "online": true,
        "main_url": "rtsp://192.168.1.20:554/Streaming/Channels/101",
        "sub_url": "rtsp://192.168.1.20:554/Streaming/Channels/102",
        "camera_id": "5a0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11"}],
    "cameras_created": ["5a0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11"], "cameras_updated": []}))]
pub struct NvrDetail {
    /// The NVR.
    pub nvr: NvrView,
    /// Its channels, by number.
    pub channels: Vec<NvrChannelView>,
    /// Cameras this request made (import and sync only; empty otherwise).
    #[serde(default)]
    pub cameras_created: Vec<Uuid>,
    /// Cameras whose streams this request updated (import and sync only).
    #[serde(default)]
    pub cameras_updated: Vec<Uuid>,
}

/// Answer of `GET /api/nvrs`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NvrList {
    /// The NVRs on sites where the caller manages cameras, by name.
    pub items: Vec<NvrView>,
}

/// What happens to an NVR's cameras when it is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeepCameras {
    /// The cameras stay (with their recordings), no longer linked to an NVR.
    Keep,
    /// The cameras are deleted too.
    Remove,
}

/// Query of `DELETE /api/nvrs/{id}`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteNvrQuery {
    /// `keep` or `remove` its cameras; required, so nobody loses cameras by default.
    #[param(inline)]
    pub cameras: KeepCameras,
}
