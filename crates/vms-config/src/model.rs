//! The configuration types. Doc comments state each default.

use std::{
    marker::PhantomData,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use vms_base::Plane;

use crate::ConfigError;

/// File (in the secrets directory) holding the export signing key's public half, hex-encoded.
pub const EXPORT_PUBLIC_KEY_FILE: &str = "export-signing.pub";

/// The whole configuration of a VMS node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Format version of this file. Default and only accepted value: 1.
    pub version: u32,
    /// Where the embedded servers, secrets, caches and recordings live. Default: `vms-data`.
    pub data_dir: PathBuf,
    /// Name of this node; planes report it and fetch the assignments made to it. Default: `local`.
    pub node_id: String,
    /// Prefix of NATS subjects and Redis keys, so several systems can share servers. Default: `vms`.
    pub bus_prefix: String,
    /// The control plane.
    pub control: ControlConfig,
    /// The media plane.
    pub media: PlaneConfig<MediaPort>,
    /// How the media plane pulls streams from cameras.
    pub ingest: IngestConfig,
    /// Which device addresses may be connected to.
    pub devices: crate::DevicesConfig,
    /// The media plane's RTSP restream server.
    pub restream: RestreamConfig,
    /// The media plane's live egress to browsers (WebRTC, MSE, LL-HLS).
    pub live: LiveConfig,
    /// The media plane's frame link to the recorder and analytics.
    pub link: LinkConfig,
    /// Connection limits of the public listeners (API, restream, ICE-TCP).
    pub limits: crate::LimitsConfig,
    /// The recorder plane.
    pub recorder: PlaneConfig<RecorderPort>,
    /// Where and how recordings are written.
    pub recording: RecordingConfig,
    /// The recorder plane's archive listener (playback, thumbnails, exports).
    pub archive: ArchiveConfig,
    /// Exports of recorded windows (made and kept by the recorder holding the footage).
    pub export: ExportConfig,
    /// The analytics plane.
    pub ai: PlaneConfig<AiPort>,
    /// What the analytics plane does with each camera.
    pub analytics: AnalyticsConfig,
    /// What control does with events: webhook deliveries.
    pub events: EventsConfig,
    /// The MQTT broker rules publish to.
    pub mqtt: crate::MqttConfig,
    /// Where each process serves its Prometheus metrics.
    pub metrics: crate::MetricsConfig,
    /// PostgreSQL.
    pub database: DatabaseConfig,
    /// Redis.
    pub redis: ServerConfig<RedisPort>,
    /// NATS.
    pub nats: ServerConfig<NatsPort>,
    /// `vms up`.
    pub supervisor: SupervisorConfig,
    /// `vms up --demo`.
    pub demo: DemoConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            version: 1,
            data_dir: PathBuf::from("vms-data"),
            node_id: "local".to_owned(),
            bus_prefix: "vms".to_owned(),
            control: ControlConfig::default(),
            media: PlaneConfig::default(),
            ingest: IngestConfig::default(),
            analytics: AnalyticsConfig::default(),
            events: EventsConfig::default(),
            mqtt: crate::MqttConfig::default(),
            metrics: crate::MetricsConfig::default(),
            devices: crate::DevicesConfig::default(),
            restream: RestreamConfig::default(),
            live: LiveConfig::default(),
            link: LinkConfig::default(),
            limits: crate::LimitsConfig::default(),
            recorder: PlaneConfig::default(),
            recording: RecordingConfig::default(),
            archive: ArchiveConfig::default(),
            export: ExportConfig::default(),
            ai: PlaneConfig::default(),
            database: DatabaseConfig::default(),
            redis: ServerConfig::default(),
            nats: ServerConfig::default(),
            supervisor: SupervisorConfig::default(),
            demo: DemoConfig::default(),
        }
    }
}

impl Config {
    /// Returns the settings of a non-control plane.
    pub fn plane(&self, plane: Plane) -> Option<PlaneSettings> {
        match plane {
            Plane::Control => None,
            Plane::Media => Some(self.media.settings()),
            Plane::Recorder => Some(self.recorder.settings()),
            Plane::Ai => Some(self.ai.settings()),
        }
    }

    /// Returns the directory holding generated secrets (signing and encryption keys).
    pub fn secrets_dir(&self) -> PathBuf {
        self.data_dir.join("secrets")
    }

    /// Returns the file holding the public half of the export signing key
    /// (hex), which a recorder makes on its first start: what a signed
    /// export manifest is checked against.
    pub fn export_public_key_path(&self) -> PathBuf {
        self.secrets_dir().join(EXPORT_PUBLIC_KEY_FILE)
    }

    /// Returns the directory where planes cache state that must survive a control outage.
    pub fn state_dir(&self) -> PathBuf {
        self.data_dir.join("state")
    }

    /// Returns the directory holding pid files and sockets of running processes.
    pub fn run_dir(&self) -> PathBuf {
        self.data_dir.join("run")
    }

    pub(crate) fn absolutize(&mut self) {
        if let Ok(cwd) = std::env::current_dir() {
            let abs = |p: &mut PathBuf| {
                if p.is_relative() {
                    *p = cwd.join(&*p);
                }
            };
            abs(&mut self.data_dir);
            for file in [
                &mut self.database.url_file,
                &mut self.redis.url_file,
                &mut self.nats.url_file,
                &mut self.mqtt.password_file,
                &mut self.mqtt.ca_file,
                &mut self.metrics.token_file,
            ]
            .into_iter()
            .flatten()
            {
                abs(file);
            }
            if let Some(dir) = &mut self.control.web_dir {
                abs(dir);
            }
            if let Some(dir) = &mut self.demo.clips_dir {
                abs(dir);
            }
            for root in &mut self.recording.roots {
                abs(&mut root.path);
            }
            for file in [&mut self.control.tls.cert_file, &mut self.control.tls.key_file].into_iter().flatten() {
                abs(file);
            }
        }
    }
}

/// The control plane section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ControlConfig {
    /// HTTP API and web UI address. Default: `0.0.0.0:8080`.
    pub listen: SocketAddr,
    /// gRPC address the other planes connect to. Default: `127.0.0.1:50051`.
    pub grpc_listen: SocketAddr,
    /// URL the other planes use to reach control's gRPC. Default: derived from `grpc_listen`.
    pub grpc_url: Option<String>,
    /// Externally visible base URL, printed by `vms up`. Default: derived from `listen`.
    pub public_url: Option<String>,
    /// Directory of the built web app. Default: `web/dist` when it exists.
    pub web_dir: Option<PathBuf>,
    /// HTTPS for the API and web UI.
    pub tls: TlsConfig,
    /// Lifetime of access tokens in seconds. Default: 900 (15 min).
    pub access_token_ttl_secs: u32,
    /// Lifetime of refresh tokens in seconds. Default: 2592000 (30 days).
    pub refresh_token_ttl_secs: u32,
    /// A plane whose last status is older than this many seconds counts as down. Default: 15.
    pub plane_stale_after_secs: u32,
    /// Login attempts allowed per client address per minute. Default: 20.
    pub login_attempts_per_ip_per_minute: u32,
    /// Failed logins of one account before it is locked out for a while. Default: 5.
    pub login_failures_before_lockout: u32,
    /// First lockout in seconds; it doubles with each further failure. Default: 30.
    pub login_lockout_base_secs: u32,
    /// Longest lockout in seconds. Default: 900.
    pub login_lockout_max_secs: u32,
    /// API requests allowed per user or API key per minute. Default: 600.
    pub api_requests_per_minute: u32,
    /// Password hashes (Argon2id, 19 MiB each) computed at once, server-wide; further logins,
    /// resets and password changes wait up to 10 s for a turn, then get 503. Default: 4.
    pub password_hash_concurrency: u32,
    /// Lifetime of stream tickets in seconds (they are used to open a stream, not to keep it). Default: 60.
    pub ticket_ttl_secs: u32,
    /// Days the audit trail is kept (whole months are dropped once older); at
    /// least 2557, which the database enforces too. Default: 2557 (7 years).
    pub audit_retention_days: u32,
    /// Reverse proxies (their own addresses, or ranges holding nothing but
    /// proxies) whose `X-Forwarded-For` or `Forwarded` header names the real
    /// client for rate limits, lockouts and the audit trail. Anyone else's such
    /// headers are ignored. Default: none.
    pub trusted_proxies: Vec<crate::IpRange>,
    /// The header the trusted proxies set: `forwarded` (RFC 7239), or a header
    /// holding a comma-separated address list (`x-forwarded-for`, `x-real-ip`).
    /// Name the one your proxy writes, so a client cannot slip in the other.
    /// Default: `x-forwarded-for`.
    pub trusted_proxy_header: String,
}

impl Default for ControlConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            grpc_listen: SocketAddr::from(([127, 0, 0, 1], 50051)),
            grpc_url: None,
            public_url: None,
            web_dir: None,
            tls: TlsConfig::default(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            plane_stale_after_secs: 15,
            login_attempts_per_ip_per_minute: 20,
            login_failures_before_lockout: 5,
            login_lockout_base_secs: 30,
            login_lockout_max_secs: 900,
            api_requests_per_minute: 600,
            password_hash_concurrency: 4,
            audit_retention_days: 2557,
            ticket_ttl_secs: 60,
            trusted_proxies: Vec::new(),
            trusted_proxy_header: "x-forwarded-for".to_owned(),
        }
    }
}

impl ControlConfig {
    /// Returns `https` or `http`, as control serves.
    pub fn scheme(&self) -> &'static str {
        if self.tls.mode == TlsMode::Off { "http" } else { "https" }
    }

    /// Returns the URL at which planes reach control's gRPC service.
    pub fn grpc_url(&self) -> String {
        self.grpc_url.clone().unwrap_or_else(|| format!("http://{}", loopback_for(self.grpc_listen)))
    }

    /// Returns the base URL people use to open the web UI and API.
    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("{}://{}", self.scheme(), loopback_for(self.listen)))
    }
}

/// How control serves HTTPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// A certificate signed by a local CA generated on first run in `<data_dir>/tls/`
    /// (import `ca.pem` into browsers to trust it).
    #[default]
    SelfSigned,
    /// The certificate and key named by `cert_file` and `key_file`.
    Files,
    /// Plain HTTP (only behind a TLS-terminating proxy, or for tests).
    Off,
}

/// The `[control.tls]` section.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsConfig {
    /// `self_signed` (default), `files` or `off`.
    pub mode: TlsMode,
    /// PEM certificate chain, for `files`.
    pub cert_file: Option<PathBuf>,
    /// PEM private key, for `files`.
    pub key_file: Option<PathBuf>,
}

/// Replaces an unspecified bind address (0.0.0.0 / ::) with loopback so it can be dialled.
fn loopback_for(addr: SocketAddr) -> SocketAddr {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    addr
}

/// Settings shared by the media, recorder and AI planes; `D` names the plane's
/// own default gRPC port, so a partial section keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlaneConfig<D> {
    /// gRPC address the control plane calls. Defaults: media 127.0.0.1:50061, recorder :50062, ai :50063.
    pub grpc_listen: SocketAddr,
    /// Seconds between status reports on NATS. Default: 5.
    pub status_interval_secs: u32,
    #[serde(skip)]
    defaults: PhantomData<D>,
}

impl<D: DefaultPort> Default for PlaneConfig<D> {
    fn default() -> Self {
        Self {
            grpc_listen: SocketAddr::from(([127, 0, 0, 1], D::PORT)),
            status_interval_secs: 5,
            defaults: PhantomData,
        }
    }
}

impl<D> PlaneConfig<D> {
    /// Returns the settings independent of the plane.
    pub fn settings(&self) -> PlaneSettings {
        PlaneSettings { grpc_listen: self.grpc_listen, status_interval_secs: self.status_interval_secs }
    }
}

/// The settings of one plane, whichever it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaneSettings {
    /// gRPC address.
    pub grpc_listen: SocketAddr,
    /// Seconds between status reports.
    pub status_interval_secs: u32,
}

/// How the media plane pulls streams from cameras over RTSP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// Seconds to wait for a camera: to connect and answer each request
    /// (DESCRIBE, SETUP, PLAY). A camera that takes longer counts as offline
    /// and is retried. Default: 10.
    pub request_timeout_secs: u32,
    /// Milliseconds between two looks at the cameras' sockets: every camera's
    /// pictures are read together on this tick instead of each waking the
    /// plane as it arrives (see the media plane's `ticked` module). A picture
    /// reaches viewers and the recorder at most this much later. 0 reads each
    /// socket as soon as it has data. Default: 20 (half a frame at 25 fps); at most 100.
    pub tick_ms: u32,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self { request_timeout_secs: 10, tick_ms: 20 }
    }
}

impl IngestConfig {
    /// Returns how long to wait for a camera's answer.
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout_secs.into())
    }

    /// Returns the ingest tick, or `None` when sockets are read on readiness.
    pub fn tick(&self) -> Option<std::time::Duration> {
        (self.tick_ms > 0).then(|| std::time::Duration::from_millis(self.tick_ms.into()))
    }
}

/// What the analytics plane does with each camera it is assigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyticsConfig {
    /// Pictures a second looked at, 1–30. Pictures in between are not
    /// analysed, and not decoded where the codec allows; when the rate is at
    /// or below the stream's keyframe rate only keyframes are decoded.
    /// Default: 5.
    pub detect_fps: u32,
    /// The most pictures a second any one camera's own setting may ask for,
    /// 1–30: cameras of every tenant share the plane, so none may take it
    /// over. Default: 15.
    pub max_detect_fps: u32,
    /// Rows of the small luma picture motion detection works on, 48–480
    /// (the width keeps the aspect). Default: 120.
    pub motion_height: u32,
    /// Seconds without motion that end a motion event, 1–600. Default: 10.
    pub motion_end_secs: u32,
    /// Events the plane keeps while NATS is away, 100–1,000,000; past that
    /// the oldest are dropped (and an alert raised). Default: 10,000.
    pub event_queue: u32,
    /// A YOLO-format ONNX model (YOLOv5, YOLOv8/11 or YOLOX output) to find
    /// objects with; none: motion only. Default: none.
    pub model: Option<PathBuf>,
    /// Its labels, one class name a line in the model's order. Default: the
    /// model's path with the extension `labels`.
    pub labels: Option<PathBuf>,
    /// The ONNX Runtime library (`libonnxruntime.so.1.31.x`). Default: the
    /// `ORT_DYLIB_PATH` environment variable.
    pub runtime: Option<PathBuf>,
    /// Where inference runs: `cpu`, or `cuda` (an error, reported, when the
    /// GPU or the CUDA runtime is missing). Default: `cpu`.
    pub provider: String,
    /// CPU threads one inference may use, 1–64. Default: 2.
    pub inference_threads: u32,
    /// The least score of a detection, and of the median of a track's
    /// recent scores, 0.05–0.99. Default: 0.5.
    pub min_score: f32,
    /// Seconds between looks for objects in a picture where nothing moves
    /// (while something moves, or is followed, every analysed picture is
    /// looked at), 1–3,600. Default: 10.
    pub idle_detect_secs: u32,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        Self {
            detect_fps: 5,
            max_detect_fps: 15,
            motion_height: 120,
            motion_end_secs: 10,
            event_queue: 10_000,
            model: None,
            labels: None,
            runtime: None,
            provider: "cpu".to_owned(),
            inference_threads: 2,
            min_score: 0.5,
            idle_detect_secs: 10,
        }
    }
}

/// What control does with events: delivering rules' webhooks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventsConfig {
    /// Tries of one webhook delivery before it is dead-lettered, 1–100. Default: 10.
    pub webhook_max_attempts: u32,
    /// Seconds before the first retry of a failed delivery, 1–3600; each
    /// later retry waits twice as long (at most an hour), with jitter. Default: 10.
    pub webhook_retry_secs: u32,
    /// Seconds a receiver has to answer, 1–60. Default: 10.
    pub webhook_timeout_secs: u32,
    /// Certificates (PEM) trusted for HTTPS receivers besides the system's,
    /// for receivers with a private CA. Default: none.
    pub webhook_ca_file: Option<PathBuf>,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self { webhook_max_attempts: 10, webhook_retry_secs: 10, webhook_timeout_secs: 10, webhook_ca_file: None }
    }
}

/// The RTSP restream server of the media plane: every live stream at
/// `rtsp://HOST:PORT/<camera id>/<main|sub>`, for the recorder, the analytics
/// plane and standard clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RestreamConfig {
    /// Where it listens. Default: `0.0.0.0:8554` (every client must present a
    /// stream ticket or VMS credentials).
    pub listen: SocketAddr,
}

impl Default for RestreamConfig {
    fn default() -> Self {
        Self { listen: SocketAddr::from(([0, 0, 0, 0], 8554)) }
    }
}

impl RestreamConfig {
    /// Returns the restream's base URL as seen from this node (`rtsp://127.0.0.1:8554`
    /// for the default, which listens on every address).
    pub fn local_url(&self) -> String {
        format!("rtsp://{}", loopback_for(self.listen))
    }
}

/// Live egress from the media plane to browsers. Browsers reach it through
/// the control plane (`/api/live/...`), which forwards to `listen`; WebRTC
/// media flows directly between the browser and `webrtc_port`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LiveConfig {
    /// HTTP address of live egress (WHEP, WebSocket, LL-HLS), called by the
    /// control plane only. Default: `127.0.0.1:8555`.
    pub listen: SocketAddr,
    /// UDP port for WebRTC media, and the TCP port of its fallback (ICE-TCP), on
    /// every address in `webrtc_addresses`. Default: 8189.
    pub webrtc_port: u16,
    /// Addresses offered to browsers as WebRTC candidates. Default: empty,
    /// meaning every address of this machine's interfaces (IPv4), loopback included.
    /// Name the public address here when browsers reach the server through NAT.
    pub webrtc_addresses: Vec<std::net::IpAddr>,
}

impl Default for LiveConfig {
    fn default() -> Self {
        Self { listen: SocketAddr::from(([127, 0, 0, 1], 8555)), webrtc_port: 8189, webrtc_addresses: Vec::new() }
    }
}

/// The `[link]` section: the media plane's frame link (docs/design/0005-frame-link.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkConfig {
    /// TCP address the media plane serves pictures on, to the recorder and
    /// analytics (authenticated with the internal secret). Default:
    /// `127.0.0.1:50065`; open it to other nodes' recorders and analytics only.
    pub listen: SocketAddr,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self { listen: SocketAddr::from(([127, 0, 0, 1], 50065)) }
    }
}

impl LinkConfig {
    /// The address this node's planes connect to.
    pub fn address(&self) -> SocketAddr {
        loopback_for(self.listen)
    }
}

/// The `[archive]` section: the recorder plane's HTTP listener, which
/// serves the footage it holds (playlists, file bytes, thumbnails, exports)
/// to the control plane. Control authenticates users and proxies to the
/// recorder that holds a file; the recorder takes only calls bearing the
/// installation's internal secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArchiveConfig {
    /// HTTP address of the recorder's archive. Default: `127.0.0.1:8556`;
    /// open it to the control plane's node only.
    pub listen: SocketAddr,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        Self { listen: SocketAddr::from(([127, 0, 0, 1], 8556)) }
    }
}

/// Recording storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecordingConfig {
    /// Storage roots; each new segment goes to the one with the most free space. Default: none, meaning
    /// one root `<data_dir>/recordings` without a size limit.
    pub roots: Vec<StorageRoot>,
    /// Seconds of video per segment file; a new file also starts at every
    /// codec or resolution change. Default: 600 (10 minutes).
    pub segment_secs: u32,
    /// Free space kept on every root's filesystem: below it, the oldest
    /// recordings of the root are deleted. Default: 1 GiB.
    pub min_free_bytes: u64,
    /// Seconds between retention sweeps (age, quota, free space). Default: 30.
    pub retention_interval_secs: u32,
    /// Days the footage of a deleted camera is kept (its own retention went
    /// with it); footage of a deleted tenant goes at the next sweep. Default: 30.
    pub orphan_retention_days: u32,
}

impl Default for RecordingConfig {
    fn default() -> Self {
        Self {
            roots: Vec::new(),
            segment_secs: 600,
            min_free_bytes: 1 << 30,
            retention_interval_secs: 30,
            orphan_retention_days: 30,
        }
    }
}

/// Exports: one MP4 of a recorded window each, made and kept in
/// `<data_dir>/exports` by the recorder holding the footage until they expire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExportConfig {
    /// Exports one user may have running at once; more are refused (429). Default: 2.
    pub max_running_per_user: u32,
    /// Exports running at once on this node, whoever asked; more are refused (429). Default: 4.
    pub max_running: u32,
    /// Seconds a finished export is kept; then its file is deleted and the export
    /// shows as `expired`. Default: 86400 (24 hours).
    pub keep_secs: u32,
    /// Most bytes exports may hold on this node, finished files and running
    /// exports' expected sizes together; an export that would pass it is
    /// refused (409). 0 means no limit. Default: 100 GiB.
    pub max_bytes: u64,
}

impl Default for ExportConfig {
    fn default() -> Self {
        Self { max_running_per_user: 2, max_running: 4, keep_secs: 24 * 3600, max_bytes: 100 << 30 }
    }
}

/// One directory recordings are written under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageRoot {
    /// The directory.
    pub path: PathBuf,
    /// Most bytes of recordings it may hold. Default: no limit.
    #[serde(default)]
    pub max_bytes: Option<u64>,
}

impl Config {
    /// Returns the storage roots, or the default one under the data directory.
    pub fn recording_roots(&self) -> Vec<StorageRoot> {
        if self.recording.roots.is_empty() {
            vec![StorageRoot { path: self.data_dir.join("recordings"), max_bytes: None }]
        } else {
            self.recording.roots.clone()
        }
    }
}

/// PostgreSQL connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Connection URL of an existing server. Default: none, so `vms up` starts an embedded one.
    pub url: Option<String>,
    /// File holding the URL (for secrets). Default: none.
    pub url_file: Option<PathBuf>,
    /// URL of the role that owns the schema, for migrations; the processes
    /// themselves use `url`, a role that cannot bypass row level security.
    /// Default: the embedded owner, or `url`.
    pub owner_url: Option<String>,
    /// File holding the owner URL. Default: none.
    pub owner_url_file: Option<PathBuf>,
    /// URL of a role granted only `vms_audit` (insert-only), which writes the
    /// audit trail. Default: the embedded audit role.
    pub audit_url: Option<String>,
    /// File holding the audit URL. Default: none.
    pub audit_url_file: Option<PathBuf>,
    /// Loopback port of the embedded server. Default: 55432.
    pub embedded_port: u16,
    /// Connection pool size per process. Default: 10.
    pub max_connections: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            url_file: None,
            owner_url: None,
            owner_url_file: None,
            audit_url: None,
            audit_url_file: None,
            embedded_port: 55432,
            max_connections: 10,
        }
    }
}

impl DatabaseConfig {
    /// Returns the configured URL from `url` or `url_file`, or `None` for the embedded server.
    pub fn resolve_url(&self) -> Result<Option<String>, ConfigError> {
        resolve(self.url.as_deref(), self.url_file.as_deref())
    }

    /// Returns the configured audit-writer URL from `audit_url` or `audit_url_file`.
    pub fn resolve_audit_url(&self) -> Result<Option<String>, ConfigError> {
        resolve(self.audit_url.as_deref(), self.audit_url_file.as_deref())
    }

    /// Returns the configured owner URL from `owner_url` or `owner_url_file`.
    pub fn resolve_owner_url(&self) -> Result<Option<String>, ConfigError> {
        resolve(self.owner_url.as_deref(), self.owner_url_file.as_deref())
    }
}

/// A server used over a URL (Redis, NATS); `D` names its embedded port's default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig<D> {
    /// URL of an existing server. Default: none, so `vms up` starts an embedded one.
    pub url: Option<String>,
    /// File holding the URL (for secrets). Default: none.
    pub url_file: Option<PathBuf>,
    /// Loopback port of the embedded server. Defaults: Redis 56379, NATS 54222.
    pub embedded_port: u16,
    #[serde(skip)]
    defaults: PhantomData<D>,
}

impl<D: DefaultPort> Default for ServerConfig<D> {
    fn default() -> Self {
        Self { url: None, url_file: None, embedded_port: D::PORT, defaults: PhantomData }
    }
}

impl<D> ServerConfig<D> {
    /// Returns the configured URL from `url` or `url_file`, or `None` for the embedded server.
    pub fn resolve_url(&self) -> Result<Option<String>, ConfigError> {
        resolve(self.url.as_deref(), self.url_file.as_deref())
    }
}

fn resolve(url: Option<&str>, file: Option<&Path>) -> Result<Option<String>, ConfigError> {
    if let Some(url) = url {
        return Ok(Some(url.to_owned()));
    }
    match file {
        Some(path) => std::fs::read_to_string(path)
            .map(|s| Some(s.trim().to_owned()))
            .map_err(|source| ConfigError::Io { path: path.to_owned(), source }),
        None => Ok(None),
    }
}

/// The simulated cameras of `vms up --demo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemoConfig {
    /// Where the camera simulator listens. Default: `127.0.0.1:18554`.
    pub camsim_listen: SocketAddr,
    /// Where its clips are generated and kept. Default: `<data_dir>/camsim-clips`.
    pub clips_dir: Option<PathBuf>,
    /// Where the simulated ONVIF PTZ camera's services listen (its
    /// WS-Discovery responder is on this host, UDP port 3702). Default:
    /// `127.0.0.1:18080`.
    pub onvif_listen: SocketAddr,
    /// Where the simulated Hikvision NVR (four channels) answers ISAPI.
    /// Default: `127.0.0.1:18081`.
    pub nvr_listen: SocketAddr,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            camsim_listen: SocketAddr::from(([127, 0, 0, 1], 18554)),
            clips_dir: None,
            onvif_listen: SocketAddr::from(([127, 0, 0, 1], 18080)),
            nvr_listen: SocketAddr::from(([127, 0, 0, 1], 18081)),
        }
    }
}

impl Config {
    /// Returns where the demo's clips are kept.
    pub fn demo_clips_dir(&self) -> PathBuf {
        self.demo.clips_dir.clone().unwrap_or_else(|| self.data_dir.join("camsim-clips"))
    }
}

/// How `vms up` runs the planes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SupervisorConfig {
    /// Planes to start, in order. Default: control, media, recorder, ai.
    pub planes: Vec<Plane>,
    /// First restart delay after a plane dies, in milliseconds. Default: 500.
    pub restart_initial_ms: u32,
    /// Longest restart delay, in milliseconds. Default: 30000.
    pub restart_max_ms: u32,
    /// Seconds a plane or server gets to stop before it is killed. Default: 10.
    pub stop_timeout_secs: u32,
    /// Seconds a running plane may go without reporting its status before
    /// the watchdog takes it for hung, kills it and starts it again (and
    /// control raises the `plane_hung` alert); 0 turns the watchdog off.
    /// Default: 30.
    pub watchdog_secs: u32,
}

impl Default for SupervisorConfig {
    fn default() -> Self {
        Self {
            planes: Plane::ALL.to_vec(),
            restart_initial_ms: 500,
            restart_max_ms: 30_000,
            stop_timeout_secs: 10,
            watchdog_secs: 30,
        }
    }
}

/// A section's default port, carried by a marker type.
pub trait DefaultPort {
    /// The port.
    const PORT: u16;
}

macro_rules! default_port {
    ($($name:ident = $port:literal, $doc:literal;)+) => {$(
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name;
        impl DefaultPort for $name {
            const PORT: u16 = $port;
        }
    )+};
}

default_port! {
    MediaPort = 50061, "Default gRPC port of the media plane.";
    RecorderPort = 50062, "Default gRPC port of the recorder plane.";
    AiPort = 50063, "Default gRPC port of the analytics plane.";
    RedisPort = 56379, "Default port of the embedded Redis.";
    NatsPort = 54222, "Default port of the embedded NATS.";
}
