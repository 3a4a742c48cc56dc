//! The assignment set as planes keep it (and cache it on disk).

use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vms_proto::v1;

/// Everything a plane should be doing, as of `revision`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentSet {
    /// Catalog revision this set reflects.
    pub revision: u64,
    /// The streams.
    pub streams: Vec<StreamAssignment>,
    /// Devices whose alarms to subscribe to (the media plane's only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceAssignment>,
}

/// A device whose own alarms become events of its cameras.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceAssignment {
    /// The onboarded camera's id, or the NVR's.
    pub device_id: Uuid,
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// `onvif`, `hikvision` or `dahua`.
    pub protocol: String,
    /// The ONVIF device service URL, or the NVR's base URL.
    pub address: String,
    /// Credentials sealed for `device_id`, base64 (they stay sealed on disk).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sealed_credentials: String,
    /// Its cameras, by channel.
    pub cameras: Vec<DeviceCamera>,
}

/// A camera of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCamera {
    /// The camera.
    pub camera_id: Uuid,
    /// Its NVR channel, from 1; `None` for a camera's own device.
    pub channel: Option<u32>,
    /// Its name, for logs.
    pub camera_name: String,
}

impl DeviceAssignment {
    /// Returns the sealed credentials, if any.
    pub fn sealed_credentials(&self) -> Option<Vec<u8>> {
        decode_sealed(&self.sealed_credentials)
    }
}

fn decode_sealed(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() { None } else { STANDARD.decode(text).ok() }
}

fn encode_sealed(bytes: &[u8]) -> String {
    if bytes.is_empty() { String::new() } else { STANDARD.encode(bytes) }
}

/// One stream a plane must serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamAssignment {
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// Camera.
    pub camera_id: Uuid,
    /// Stream.
    pub stream_id: Uuid,
    /// Camera name, for logs.
    pub camera_name: String,
    /// Which of the camera's streams.
    pub role: vms_base::StreamRole,
    /// Camera URL without credentials.
    pub source_url: String,
    /// How RTP travels from the camera.
    pub transport: vms_base::Transport,
    /// Credentials sealed for this stream, base64 (they stay sealed on disk).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sealed_credentials: String,
    /// The camera's analytics settings as JSON
    /// ([`vms_base::analytics::CameraAnalytics`]); only the analytics plane
    /// gets them (so editing them restarts nothing else); empty elsewhere,
    /// read as the defaults.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub analytics: String,
}

impl StreamAssignment {
    /// Returns the sealed credentials, if any.
    pub fn sealed_credentials(&self) -> Option<Vec<u8>> {
        decode_sealed(&self.sealed_credentials)
    }

    /// Whether `other` is this stream with only its analytics settings changed.
    pub fn differs_only_in_analytics(&self, other: &StreamAssignment) -> bool {
        self.analytics != other.analytics
            && StreamAssignment { analytics: String::new(), ..self.clone() }
                == StreamAssignment { analytics: String::new(), ..other.clone() }
    }

    /// The camera's analytics settings: the defaults when none were sent.
    pub fn analytics(&self) -> Result<vms_base::analytics::CameraAnalytics, serde_json::Error> {
        if self.analytics.is_empty() { Ok(Default::default()) } else { serde_json::from_str(&self.analytics) }
    }
}

impl TryFrom<v1::AssignmentSet> for AssignmentSet {
    type Error = anyhow::Error;

    fn try_from(set: v1::AssignmentSet) -> anyhow::Result<Self> {
        let streams = set
            .streams
            .into_iter()
            .map(|s| {
                Ok(StreamAssignment {
                    tenant_id: s.tenant_id.parse()?,
                    camera_id: s.camera_id.parse()?,
                    stream_id: s.stream_id.parse()?,
                    camera_name: s.camera_name,
                    role: s.role.parse()?,
                    source_url: s.source_url,
                    transport: s.transport.parse()?,
                    sealed_credentials: encode_sealed(&s.sealed_credentials),
                    analytics: s.analytics,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let devices = set
            .devices
            .into_iter()
            .map(|d| {
                Ok(DeviceAssignment {
                    device_id: d.device_id.parse()?,
                    tenant_id: d.tenant_id.parse()?,
                    protocol: d.protocol,
                    address: d.address,
                    sealed_credentials: encode_sealed(&d.sealed_credentials),
                    cameras: d
                        .cameras
                        .into_iter()
                        .map(|c| {
                            Ok(DeviceCamera {
                                camera_id: c.camera_id.parse()?,
                                channel: (c.channel > 0).then_some(c.channel),
                                camera_name: c.camera_name,
                            })
                        })
                        .collect::<anyhow::Result<_>>()?,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(AssignmentSet { revision: set.revision, streams, devices })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream() -> StreamAssignment {
        StreamAssignment {
            tenant_id: Uuid::from_u128(1),
            camera_id: Uuid::from_u128(2),
            stream_id: Uuid::from_u128(3),
            camera_name: "door".into(),
            role: vms_base::StreamRole::Sub,
            source_url: "rtsp://cam/sub".into(),
            transport: vms_base::Transport::Tcp,
            sealed_credentials: String::new(),
            analytics: r#"{"enabled":true}"#.into(),
        }
    }

    #[test]
    fn only_a_change_of_analytics_settings_is_one() {
        let a = stream();
        let drawn = StreamAssignment { analytics: r#"{"lines":[]}"#.into(), ..a.clone() };
        assert!(a.differs_only_in_analytics(&drawn));
        assert!(!a.differs_only_in_analytics(&a), "no change at all");
        let moved = StreamAssignment { source_url: "rtsp://cam/other".into(), ..drawn.clone() };
        assert!(!a.differs_only_in_analytics(&moved), "the stream itself changed too");
    }
}
