//! Health and system bodies.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// Readiness of one component.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComponentView {
    /// Whether it is ready.
    pub ready: bool,
    /// Why not, if it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Body of `/health/ready`, whether 200 or 503.
#[derive(Serialize, ToSchema)]
pub struct ReadyView {
    /// `ready`, or `unavailable` with a 503.
    pub code: String,
    /// `ready`, or `not ready: <components>`.
    pub message: String,
    /// Each component: database, redis, nats, control (its background tasks)
    /// and every other plane this node runs.
    pub components: BTreeMap<String, ComponentView>,
    /// The alerts raised now, counted by severity (`warning`, `critical`;
    /// see `GET /api/alerts`); they do not make the node unready. Only
    /// counts, and not by rule: this probe needs no login.
    pub alerts: BTreeMap<String, usize>,
}

/// A plane as control sees it.
#[derive(Default, Serialize, ToSchema)]
pub struct PlaneView {
    /// `control`, `media`, `recorder` or `ai`.
    pub plane: String,
    /// Node.
    pub node_id: String,
    /// `up`, `stopping` or `down` (no recent report).
    pub status: String,
    /// Build version, once it has reported.
    pub version: Option<String>,
    /// OS process id.
    pub pid: Option<u32>,
    /// Process start.
    pub started_at: Option<DateTime<Utc>>,
    /// Seconds since its last status report.
    pub last_report_secs: Option<f64>,
    /// Revision of the assignments it works from.
    pub assignments_revision: Option<u64>,
    /// Number of streams assigned to it.
    pub assigned_streams: Option<u32>,
    /// Whether it follows control's assignment stream right now.
    pub control_connected: Option<bool>,
    /// Its gRPC address.
    pub grpc_addr: Option<String>,
    /// Whether its gRPC service answered control just now.
    pub grpc_reachable: Option<bool>,
    /// Critical conditions it reports (a full disk, a background task that
    /// keeps panicking); empty when all is well.
    pub alerts: Vec<String>,
    /// For the analytics plane, each stream it analyses: detect rate asked
    /// and achieved (`fps`), pictures received, lost, decoded, analysed and
    /// failed, whether only keyframes are decoded, whether motion is going
    /// on, the objects followed, the last inference's time, and the last
    /// decoding error and model error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub analytics: Vec<vms_bus::status::StreamAnalytics>,
    /// For a recorder, each storage root: `path`, `total_bytes`,
    /// `free_bytes`, `recorded_bytes`, `locked_bytes`, `max_bytes` (its
    /// quota), `oldest` (where its footage starts) and `error`, as its last
    /// retention sweep found them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub storage: Vec<vms_bus::status::StorageRootStatus>,
}

/// Body of `/api/system`.
#[derive(Serialize, ToSchema)]
pub struct SystemView {
    /// Control's build version.
    pub version: String,
    /// This node.
    pub node_id: String,
    /// When control started.
    pub started_at: DateTime<Utc>,
    /// Every plane this node runs, control first.
    pub planes: Vec<PlaneView>,
    /// Infrastructure readiness.
    pub components: BTreeMap<String, ComponentView>,
    /// Exports kept on this node.
    pub exports: ExportsUsage,
    /// The MQTT bridge, when `mqtt.url` is set: connected or why not, and
    /// its queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mqtt: Option<crate::mqtt::MqttView>,
}

/// Body of `/api/system`: the whole installation for a super-admin; for
/// anyone else only what concerns their tenant.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum SystemReply {
    /// For super-admins.
    Installation(SystemView),
    /// For tenant administrators.
    Tenant(TenantSystemView),
}

/// `/api/system` for a tenant administrator: no process ids, addresses,
/// node internals or counts that cover other tenants.
#[derive(Serialize, ToSchema)]
pub struct TenantSystemView {
    /// Control's build version.
    pub version: String,
    /// Each plane's `up`, `stopping` or `down`, control first.
    pub planes: Vec<PlaneStatusView>,
    /// Whether the database, Redis and NATS are ready (no detail).
    pub components: BTreeMap<String, bool>,
    /// The tenant's cameras against its quota (absent while the database
    /// cannot be read).
    pub cameras: Option<TenantCamerasView>,
    /// The tenant's streams, by live status (absent while the database
    /// cannot be read).
    pub streams: Option<TenantStreamsView>,
}

/// A plane's status only.
#[derive(Serialize, ToSchema)]
pub struct PlaneStatusView {
    /// `control`, `media`, `recorder` or `ai`.
    pub plane: String,
    /// `up`, `stopping` or `down` (no recent report).
    pub status: String,
}

/// A tenant's cameras against its quota.
#[derive(Serialize, ToSchema)]
pub struct TenantCamerasView {
    /// Cameras configured in the tenant.
    pub configured: i64,
    /// Most it may have; `null`: only the installation's licence limits it.
    pub quota: Option<i32>,
}

/// A tenant's streams by live status.
#[derive(Serialize, ToSchema)]
pub struct TenantStreamsView {
    /// Streams of the tenant's cameras.
    pub total: usize,
    /// How many are `unknown`, `connecting`, `online` or `offline` (only
    /// statuses that occur).
    pub by_status: BTreeMap<String, usize>,
}

/// What exports hold on this node, against `[export]` caps.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportsUsage {
    /// Bytes the finished exports of every recorder hold (absent while the
    /// database cannot be read).
    pub bytes: Option<u64>,
    /// `export.max_bytes`, the cap of each recorder's node; 0 means no limit.
    pub max_bytes: u64,
    /// Exports running now on every recorder (absent while the database
    /// cannot be read).
    pub running: Option<u64>,
    /// `export.max_running`, the cap of each recorder's node.
    pub max_running: u32,
}
