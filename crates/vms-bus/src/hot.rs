//! Hot per-stream state in Redis, written by the planes and read by control.

use std::{collections::HashMap, time::Duration};

use anyhow::Context;
use chrono::{DateTime, Utc};
use redis::{AsyncCommands, aio::ConnectionManager};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use uuid::Uuid;

/// Whether the media plane has a stream's pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamStatus {
    /// Connecting, or reconnecting after a failure.
    #[default]
    Connecting,
    /// Pictures are arriving.
    Online,
    /// The last attempt failed; see the reason.
    Offline,
}

/// Why a stream is offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfflineReason {
    /// The camera refused the credentials.
    AuthFailed,
    /// The camera could not be reached (refused, timed out, no such host).
    Unreachable,
    /// The camera did not answer a request in time.
    TimedOut,
    /// The camera's address is one the device policy refuses.
    RefusedAddress,
    /// The camera offers no video.
    NoVideo,
    /// Video that is neither H.264 nor H.265.
    UnsupportedCodec,
    /// No picture for a while.
    Stalled,
    /// Pictures that cannot be decoded.
    Corrupt,
    /// The camera ended the session or closed the connection.
    Disconnected,
    /// Anything else (and any reason this build does not know).
    #[serde(other)]
    Error,
}

impl StreamStatus {
    /// The word used in the API and on the bus.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamStatus::Connecting => "connecting",
            StreamStatus::Online => "online",
            StreamStatus::Offline => "offline",
        }
    }
}

impl OfflineReason {
    /// The word used in the API and on the bus.
    pub fn as_str(self) -> &'static str {
        match self {
            OfflineReason::AuthFailed => "auth_failed",
            OfflineReason::Unreachable => "unreachable",
            OfflineReason::TimedOut => "timed_out",
            OfflineReason::RefusedAddress => "refused_address",
            OfflineReason::NoVideo => "no_video",
            OfflineReason::UnsupportedCodec => "unsupported_codec",
            OfflineReason::Stalled => "stalled",
            OfflineReason::Corrupt => "corrupt",
            OfflineReason::Disconnected => "disconnected",
            OfflineReason::Error => "error",
        }
    }
}

impl std::fmt::Display for StreamStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for OfflineReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Runtime state of one stream on the media plane.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamState {
    /// Whether pictures are arriving.
    pub status: StreamStatus,
    /// Why a stream is offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<OfflineReason>,
    /// Human-readable detail of the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Node whose media plane holds the stream.
    pub node_id: String,
    /// When the state last changed or was confirmed.
    #[serde(default = "Utc::now")]
    pub updated_at: DateTime<Utc>,
    /// `h264` or `h265`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// RFC 6381 codec string, e.g. `avc1.4d001f`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec_string: Option<String>,
    /// Picture width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Picture height.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Frames per second over the last few seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    /// Video bit rate over the last few seconds, in kbit/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate_kbps: Option<f64>,
    /// When the last keyframe arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_keyframe_at: Option<DateTime<Utc>>,
}

impl StreamState {
    /// Encodes the state once, for Redis and NATS alike.
    pub fn encode(&self) -> EncodedStreamState {
        EncodedStreamState(serde_json::to_vec(self).expect("stream state should serialize").into())
    }

    /// Decodes a state received from NATS or read from Redis.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// A [`StreamState`] as JSON.
#[derive(Debug, Clone)]
pub struct EncodedStreamState(bytes::Bytes);

impl EncodedStreamState {
    /// The JSON, shared rather than copied.
    pub fn bytes(&self) -> bytes::Bytes {
        self.0.clone()
    }
}

/// Hot state under a key prefix.
#[derive(Clone)]
pub struct HotState {
    client: redis::Client,
    conn: std::sync::Arc<OnceCell<ConnectionManager>>,
    prefix: String,
}

impl std::fmt::Debug for HotState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HotState").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

/// Every Redis round trip gives up after this long, so a dead server never stalls a request.
pub(crate) const OP_TIMEOUT: Duration = Duration::from_secs(2);

impl HotState {
    /// Creates a handle; the connection is made on first use and re-made after failures.
    pub fn new(url: &str, prefix: impl Into<String>) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("invalid Redis URL")?;
        Ok(Self { client, conn: Default::default(), prefix: prefix.into() })
    }

    pub(crate) async fn conn(&self) -> anyhow::Result<ConnectionManager> {
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(OP_TIMEOUT)
            .set_response_timeout(OP_TIMEOUT)
            .set_number_of_retries(1);
        let manager = tokio::time::timeout(
            OP_TIMEOUT * 2,
            self.conn.get_or_try_init(|| ConnectionManager::new_with_config(self.client.clone(), config)),
        )
        .await
        .context("timed out connecting to Redis")?
        .context("failed to connect to Redis")?;
        Ok(manager.clone())
    }

    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Runs a Lua script on one key with integer arguments, returning an integer.
    pub(crate) async fn script(&self, source: &str, key: &str, args: &[u64]) -> anyhow::Result<u64> {
        let mut conn = self.conn().await?;
        let script = redis::Script::new(source);
        let mut invocation = script.key(key);
        for a in args {
            invocation.arg(*a);
        }
        let value: i64 = tokio::time::timeout(OP_TIMEOUT, invocation.invoke_async(&mut conn))
            .await
            .context("Redis script timed out")??;
        Ok(value.max(0) as u64)
    }

    pub(crate) async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        tokio::time::timeout(OP_TIMEOUT, conn.del::<_, ()>(key)).await.context("Redis DEL timed out")??;
        Ok(())
    }

    fn stream_key(&self, stream: Uuid) -> String {
        format!("{}stream:{stream}:state", self.prefix)
    }

    /// Answers whether Redis is reachable.
    pub async fn ping(&self) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        tokio::time::timeout(OP_TIMEOUT, redis::cmd("PING").query_async::<String>(&mut conn))
            .await
            .context("Redis PING timed out")?
            .context("Redis PING failed")?;
        Ok(())
    }

    pub(crate) fn session_key(&self, session: Uuid) -> String {
        format!("{}revoked_session:{session}", self.prefix)
    }

    /// Marks a login revoked for `ttl` (the lifetime of its last access token).
    pub async fn revoke_session(&self, session: Uuid, ttl: Duration) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        tokio::time::timeout(OP_TIMEOUT, conn.set_ex::<_, _, ()>(self.session_key(session), 1, ttl.as_secs().max(1)))
            .await
            .context("Redis SET timed out")??;
        Ok(())
    }

    /// Answers whether a login was revoked.
    pub async fn is_session_revoked(&self, session: Uuid) -> anyhow::Result<bool> {
        let mut conn = self.conn().await?;
        let found: bool = tokio::time::timeout(OP_TIMEOUT, conn.exists(self.session_key(session)))
            .await
            .context("Redis EXISTS timed out")??;
        Ok(found)
    }

    /// Stores a stream's state; it expires after `ttl` unless refreshed.
    pub async fn set_stream_state(
        &self,
        stream: Uuid,
        state: &EncodedStreamState,
        ttl: Duration,
    ) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        let key = self.stream_key(stream);
        tokio::time::timeout(OP_TIMEOUT, conn.set_ex::<_, _, ()>(key, state.0.as_ref(), ttl.as_secs().max(1)))
            .await
            .context("Redis SET timed out")??;
        Ok(())
    }

    /// Reads the state of several streams; streams without state are absent from the map.
    pub async fn stream_states(&self, streams: &[Uuid]) -> anyhow::Result<HashMap<Uuid, StreamState>> {
        if streams.is_empty() {
            return Ok(HashMap::new());
        }
        let mut conn = self.conn().await?;
        let keys: Vec<String> = streams.iter().map(|s| self.stream_key(*s)).collect();
        let values: Vec<Option<String>> =
            tokio::time::timeout(OP_TIMEOUT, conn.mget(keys)).await.context("Redis MGET timed out")??;
        Ok(streams
            .iter()
            .zip(values)
            .filter_map(|(id, v)| Some((*id, StreamState::decode(v?.as_bytes()).ok()?)))
            .collect())
    }
}
