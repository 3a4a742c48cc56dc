//! Camera request and response bodies.
//!
//! Credentials go in and never come out: a response only says whether a
//! stream has them. Credentials embedded in a stream URL
//! (`rtsp://user:pass@host/...`) are moved out of the URL before it is stored.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_bus::hot::StreamState;
use vms_catalog::{
    camera::{Camera, CameraUpdate, CredentialsChange, NewCamera, Stream, StreamRole, StreamSpec, Transport},
    credentials::Credentials,
};

use crate::{error::ApiError, validate};

/// Role of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Full resolution; recorded.
    Main,
    /// Low resolution; grids and analytics.
    Sub,
}

impl From<Role> for StreamRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Main => StreamRole::Main,
            Role::Sub => StreamRole::Sub,
        }
    }
}

impl From<StreamRole> for Role {
    fn from(r: StreamRole) -> Self {
        match r {
            StreamRole::Main => Role::Main,
            StreamRole::Sub => Role::Sub,
        }
    }
}

/// RTP transport from the camera.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    /// Interleaved over the RTSP TCP connection (default).
    #[default]
    Tcp,
    /// Separate UDP ports.
    Udp,
}

impl From<TransportKind> for Transport {
    fn from(t: TransportKind) -> Self {
        match t {
            TransportKind::Tcp => Transport::Tcp,
            TransportKind::Udp => Transport::Udp,
        }
    }
}

impl From<Transport> for TransportKind {
    fn from(t: Transport) -> Self {
        match t {
            Transport::Tcp => TransportKind::Tcp,
            Transport::Udp => TransportKind::Udp,
        }
    }
}

/// A stream in a create or update request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StreamInput {
    /// `main` or `sub`; one stream per role.
    pub role: Role,
    /// `rtsp://` or `rtsps://` URL. Embedded credentials are moved out of it.
    pub url: String,
    /// Camera user name.
    pub username: Option<String>,
    /// Camera password (write-only).
    pub password: Option<String>,
    /// `tcp` (default) or `udp`.
    #[serde(default)]
    pub transport: TransportKind,
    /// On update: remove stored credentials. Without it, and without a user
    /// name, stored credentials are kept while the URL keeps its scheme, host
    /// and port; a stream moved to another server loses them unless they are
    /// given again in the same request.
    #[serde(default)]
    pub clear_credentials: bool,
}

/// Body of `POST /api/cameras`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Loading bay 2",
    "site_id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f",
    "description": "Dock door, north wall",
    "enabled": true,
    "streams": [
        {"role": "main", "url": "rtsp://192.0.2.10:554/Streaming/Channels/101", "username": "vms",
         "password": "Cam-pass-2026", "transport": "tcp"},
        {"role": "sub", "url": "rtsp://192.0.2.10:554/Streaming/Channels/102", "username": "vms",
         "password": "Cam-pass-2026", "transport": "tcp"}
    ]
}))]
pub struct CreateCamera {
    /// Name, unique within the site.
    pub name: String,
    /// Site of the caller's tenant.
    pub site_id: Uuid,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Whether the planes pull it (default true).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// At least one stream.
    pub streams: Vec<StreamInput>,
}

fn default_true() -> bool {
    true
}

impl CreateCamera {
    pub(crate) fn validate(self) -> Result<NewCamera, ApiError> {
        Ok(NewCamera {
            name: validate::name("name", &self.name, 200)?,
            site_id: self.site_id,
            description: validate::text("description", &self.description, 2000)?,
            enabled: self.enabled,
            streams: validate_streams(self.streams)?,
        })
    }
}

/// Body of `PATCH /api/cameras/{id}`; absent fields stay unchanged. `streams`,
/// when given, is the complete new set (roles left out are removed).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Loading bay 2 (north)",
    "description": "Dock door, north wall; moved to the new mast",
    "streams": [
        {"role": "main", "url": "rtsp://192.0.2.11:554/Streaming/Channels/101", "username": "vms",
         "password": "Cam-pass-2026"}
    ]
}))]
pub struct UpdateCamera {
    /// New name.
    pub name: Option<String>,
    /// Move to this site.
    pub site_id: Option<Uuid>,
    /// New description.
    pub description: Option<String>,
    /// Enable or disable.
    pub enabled: Option<bool>,
    /// New stream set.
    pub streams: Option<Vec<StreamInput>>,
}

impl UpdateCamera {
    pub(crate) fn validate(self) -> Result<CameraUpdate, ApiError> {
        Ok(CameraUpdate {
            name: self.name.map(|n| validate::name("name", &n, 200)).transpose()?,
            site_id: self.site_id,
            description: self.description.map(|d| validate::text("description", &d, 2000)).transpose()?,
            enabled: self.enabled,
            streams: self.streams.map(validate_streams).transpose()?,
        })
    }
}

pub(crate) fn validate_streams(streams: Vec<StreamInput>) -> Result<Vec<StreamSpec>, ApiError> {
    if streams.is_empty() {
        return Err(ApiError::invalid("streams", "at least one stream is required"));
    }
    let mut roles = HashSet::new();
    streams
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            if !roles.insert(s.role) {
                return Err(ApiError::invalid(&format!("streams[{i}].role"), "each role may appear only once"));
            }
            validate_stream(i, s)
        })
        .collect()
}

fn validate_stream(i: usize, s: StreamInput) -> Result<StreamSpec, ApiError> {
    let field = |name: &str| format!("streams[{i}].{name}");
    if s.url.len() > 2048 {
        return Err(ApiError::invalid(&field("url"), "must be at most 2048 characters"));
    }
    let mut url = url::Url::parse(s.url.trim())
        .map_err(|e| ApiError::invalid(&field("url"), format!("not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "rtsp" | "rtsps") {
        return Err(ApiError::invalid(&field("url"), "must be an rtsp:// or rtsps:// URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::invalid(&field("url"), "must name a host"));
    }
    let embedded_user = percent_decode(url.username());
    let embedded_password = url.password().map(percent_decode);
    let _ = url.set_username("");
    let _ = url.set_password(None);

    let username = s.username.or((!embedded_user.is_empty()).then_some(embedded_user));
    let password = s.password.or(embedded_password);
    let credentials = match (username, password) {
        (Some(user), password) => {
            let user = validate::text(&field("username"), &user, 200)?;
            if user.is_empty() {
                return Err(ApiError::invalid(&field("username"), "must not be empty"));
            }
            let password = validate::text(&field("password"), &password.unwrap_or_default(), 200)?;
            if s.clear_credentials {
                return Err(ApiError::invalid(&field("clear_credentials"), "conflicts with username"));
            }
            CredentialsChange::Set(Credentials { username: user, password })
        }
        (None, Some(_)) => {
            return Err(ApiError::invalid(&field("username"), "is required with a password"));
        }
        (None, None) if s.clear_credentials => CredentialsChange::Clear,
        (None, None) => CredentialsChange::Keep,
    };
    Ok(StreamSpec { role: s.role.into(), url: url.to_string(), transport: s.transport.into(), credentials })
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Live state of a stream, as reported by the media plane.
#[derive(Serialize, ToSchema)]
pub struct StreamStateView {
    /// `unknown` (no media plane has reported it), `connecting`, `online` or `offline`.
    pub status: String,
    /// Why it is offline: `auth_failed`, `unreachable`, `no_video`, `unsupported_codec`,
    /// `stalled`, `disconnected` or `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Detail of the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Node whose media plane holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// Last report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// `h264` or `h265`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// RFC 6381 codec string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec_string: Option<String>,
    /// Width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Frames per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    /// Bit rate in kbit/s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitrate_kbps: Option<f64>,
    /// Last keyframe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_keyframe_at: Option<DateTime<Utc>>,
}

impl StreamStateView {
    fn from_hot(state: Option<&StreamState>) -> Self {
        match state.cloned() {
            Some(s) => Self {
                status: s.status.to_string(),
                reason: s.reason.map(|r| r.to_string()),
                detail: s.detail,
                node_id: Some(s.node_id),
                updated_at: Some(s.updated_at),
                codec: s.codec,
                codec_string: s.codec_string,
                width: s.width,
                height: s.height,
                fps: s.fps,
                bitrate_kbps: s.bitrate_kbps,
                last_keyframe_at: s.last_keyframe_at,
            },
            None => Self {
                status: "unknown".to_owned(),
                reason: None,
                detail: None,
                node_id: None,
                updated_at: None,
                codec: None,
                codec_string: None,
                width: None,
                height: None,
                fps: None,
                bitrate_kbps: None,
                last_keyframe_at: None,
            },
        }
    }
}

/// A stream; credentials are never shown.
#[derive(Serialize, ToSchema)]
pub struct StreamView {
    /// Id.
    pub id: Uuid,
    /// `main` or `sub`.
    pub role: Role,
    /// RTSP URL without credentials.
    pub url: String,
    /// `tcp` or `udp`.
    pub transport: TransportKind,
    /// Whether credentials are stored.
    pub has_credentials: bool,
    /// Live state.
    pub state: StreamStateView,
}

/// A camera with its streams.
#[derive(Serialize, ToSchema)]
#[schema(example = camera_example)]
pub struct CameraView {
    /// Id.
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// Site.
    pub site_id: Uuid,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Whether the planes pull it.
    pub enabled: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Streams, main first.
    pub streams: Vec<StreamView>,
}

impl CameraView {
    pub(crate) fn new(camera: Camera, states: &HashMap<Uuid, StreamState>) -> Self {
        let view_stream = |s: Stream| StreamView {
            state: StreamStateView::from_hot(states.get(&s.id)),
            id: s.id,
            role: s.role.into(),
            url: s.url,
            transport: s.transport.into(),
            has_credentials: s.has_credentials,
        };
        Self {
            id: camera.id,
            tenant_id: camera.tenant_id,
            site_id: camera.site_id,
            name: camera.name,
            description: camera.description,
            enabled: camera.enabled,
            created_at: camera.created_at,
            updated_at: camera.updated_at,
            streams: camera.streams.into_iter().map(view_stream).collect(),
        }
    }
}

/// An example of [`CameraView`], for the API document.
fn camera_example() -> serde_json::Value {
    serde_json::json!({
        "id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
        "tenant_id": "9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4",
        "site_id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f",
        "name": "Loading bay 2",
        "description": "Dock door, north wall",
        "enabled": true,
        "created_at": "2026-11-20T09:12:44Z",
        "updated_at": "2026-12-01T16:03:10Z",
        "streams": [
            {
                "id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                "role": "main",
                "url": "rtsp://192.0.2.10:554/Streaming/Channels/101",
                "transport": "tcp",
                "has_credentials": true,
                "state": {
                    "status": "online",
                    "node_id": "node-a",
                    "updated_at": "2026-12-03T10:14:05Z",
                    "codec": "h264",
                    "codec_string": "avc1.640028",
                    "width": 1920,
                    "height": 1080,
                    "fps": 25.0,
                    "bitrate_kbps": 4096.0,
                    "last_keyframe_at": "2026-12-03T10:14:04Z"
                }
            },
            {
                "id": "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
                "role": "sub",
                "url": "rtsp://192.0.2.10:554/Streaming/Channels/102",
                "transport": "tcp",
                "has_credentials": true,
                "state": {
                    "status": "offline",
                    "reason": "auth_failed",
                    "detail": "401 Unauthorized from the camera",
                    "node_id": "node-a",
                    "updated_at": "2026-12-03T10:13:58Z"
                }
            }
        ]
    })
}

/// A list of cameras.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"items": [camera_example()]}))]
pub struct CameraList {
    /// The cameras, by name.
    pub items: Vec<CameraView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(url: &str) -> StreamInput {
        StreamInput {
            role: Role::Main,
            url: url.to_owned(),
            username: None,
            password: None,
            transport: TransportKind::Tcp,
            clear_credentials: false,
        }
    }

    #[test]
    fn moves_embedded_credentials_out_of_the_url() {
        let spec = validate_stream(0, input("rtsp://admin:p%40ss@10.0.0.9:554/live")).unwrap();
        assert_eq!(spec.url, "rtsp://10.0.0.9:554/live");
        match spec.credentials {
            CredentialsChange::Set(c) => assert_eq!((c.username.as_str(), c.password.as_str()), ("admin", "p@ss")),
            other => panic!("expected credentials, got {other:?}"),
        }
    }

    #[test]
    fn rejects_non_rtsp_and_password_without_user() {
        assert!(validate_stream(0, input("http://cam/live")).is_err());
        assert!(validate_stream(0, input("not a url")).is_err());
        let mut s = input("rtsp://cam/live");
        s.password = Some("x".into());
        assert!(validate_stream(3, s).is_err());
        assert!(matches!(validate_stream(0, input("rtsp://cam/live")).unwrap().credentials, CredentialsChange::Keep));
    }
}
