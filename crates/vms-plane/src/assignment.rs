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
        if self.sealed_credentials.is_empty() { None } else { STANDARD.decode(&self.sealed_credentials).ok() }
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
                    sealed_credentials: if s.sealed_credentials.is_empty() {
                        String::new()
                    } else {
                        STANDARD.encode(&s.sealed_credentials)
                    },
                    analytics: s.analytics,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(AssignmentSet { revision: set.revision, streams })
    }
}
