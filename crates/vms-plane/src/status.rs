//! What a plane reports about itself, on NATS and over gRPC.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use vms_base::{Plane, Supervisor};
use vms_bus::status::PlaneStatusReport;

use crate::AssignmentSet;

/// How often the heartbeat is beaten (at most: a plane reporting more often beats as often).
const BEAT_EVERY: Duration = Duration::from_secs(1);

/// Live facts about the plane, shared by its tasks.
pub(crate) struct StatusBoard {
    plane: Plane,
    node_id: String,
    started_at: DateTime<Utc>,
    grpc_addr: SocketAddr,
    control_connected: AtomicBool,
    stopping: AtomicBool,
    revision: AtomicU64,
    streams: AtomicU32,
    alerts: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
    endpoints: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
    analytics: std::sync::Mutex<Vec<vms_bus::status::StreamAnalytics>>,
    storage: std::sync::Mutex<Vec<vms_bus::status::StorageRootStatus>>,
    /// For a recorder, the index's lag in seconds (`None` while unknown).
    index_lag: std::sync::Mutex<Option<f64>>,
    /// How the supervisor started this process.
    start: vms_base::watchdog::StartInfo,
    /// The heartbeat the supervisor's watchdog listens to, if it asked for one.
    heartbeat: Option<vms_base::watchdog::Heartbeat>,
    /// The plane's supervised tasks; those failing are reported as alerts.
    tasks: Supervisor,
}

impl StatusBoard {
    pub(crate) fn new(plane: Plane, node_id: &str, grpc_addr: SocketAddr, tasks: Supervisor) -> Self {
        Self {
            plane,
            node_id: node_id.to_owned(),
            started_at: Utc::now(),
            grpc_addr,
            control_connected: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            revision: AtomicU64::new(0),
            streams: AtomicU32::new(0),
            alerts: Default::default(),
            endpoints: Default::default(),
            analytics: Default::default(),
            storage: Default::default(),
            index_lag: Default::default(),
            start: vms_base::watchdog::StartInfo::from_env(),
            heartbeat: vms_base::watchdog::Heartbeat::from_env(),
            tasks,
        }
    }

    pub(crate) fn raise(&self, key: &str, message: &str) {
        let mut alerts = self.alerts.lock().expect("alerts lock should not be poisoned");
        if alerts.insert(key.to_owned(), message.to_owned()).as_deref() != Some(message) {
            tracing::error!(alert = key, message, "critical alert raised");
        }
    }

    pub(crate) fn clear(&self, key: &str) {
        if self.alerts.lock().expect("alerts lock should not be poisoned").remove(key).is_some() {
            tracing::info!(alert = key, "critical alert cleared");
        }
    }

    pub(crate) fn advertise(&self, name: &str, address: &str) {
        self.endpoints
            .lock()
            .expect("endpoints lock should not be poisoned")
            .insert(name.to_owned(), address.to_owned());
    }

    pub(crate) fn set_analytics(&self, streams: Vec<vms_bus::status::StreamAnalytics>) {
        *self.analytics.lock().expect("analytics lock should not be poisoned") = streams;
    }

    pub(crate) fn set_storage(&self, roots: Vec<vms_bus::status::StorageRootStatus>) {
        *self.storage.lock().expect("storage lock should not be poisoned") = roots;
    }

    pub(crate) fn set_index_lag(&self, seconds: f64) {
        *self.index_lag.lock().expect("index lag lock should not be poisoned") = Some(seconds);
    }

    pub(crate) fn set_control_connected(&self, connected: bool) {
        self.control_connected.store(connected, Ordering::Relaxed);
    }

    pub(crate) fn set_assignments(&self, set: &AssignmentSet) {
        self.revision.store(set.revision, Ordering::Relaxed);
        self.streams.store(set.streams.len() as u32, Ordering::Relaxed);
    }

    pub(crate) fn report(&self) -> PlaneStatusReport {
        let mut alerts: Vec<String> =
            self.alerts.lock().expect("alerts lock should not be poisoned").values().cloned().collect();
        alerts.extend(self.tasks.alerts());
        PlaneStatusReport {
            plane: self.plane,
            node_id: self.node_id.clone(),
            version: vms_base::VERSION.to_owned(),
            pid: std::process::id(),
            state: if self.stopping.load(Ordering::Relaxed) {
                vms_bus::status::PlaneState::Stopping
            } else {
                vms_bus::status::PlaneState::Running
            },
            started_at: self.started_at,
            reported_at: Utc::now(),
            assignments_revision: self.revision.load(Ordering::Relaxed),
            assigned_streams: self.streams.load(Ordering::Relaxed),
            control_connected: self.control_connected.load(Ordering::Relaxed),
            grpc_addr: self.grpc_addr.to_string(),
            alerts,
            endpoints: self.endpoints.lock().expect("endpoints lock should not be poisoned").clone(),
            analytics: self.analytics.lock().expect("analytics lock should not be poisoned").clone(),
            storage: self.storage.lock().expect("storage lock should not be poisoned").clone(),
            restarts: self.start.restarts,
            restart_cause: self.start.cause.clone(),
            index_lag_secs: *self.index_lag.lock().expect("index lag lock should not be poisoned"),
        }
    }
}

/// Publishes the report every `interval`, at once when the assignments change,
/// and a last `stopping` report on shutdown. Between reports it beats the
/// supervisor's heartbeat every [`BEAT_EVERY`], from this same loop, so a
/// plane whose reporting stalls goes quiet for the watchdog too.
pub(crate) async fn publish_loop(
    nats: async_nats::Client,
    subject: String,
    board: Arc<StatusBoard>,
    mut assignments: watch::Receiver<Arc<AssignmentSet>>,
    interval: Duration,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    board.set_assignments(&assignments.borrow_and_update());
    let mut ticker = tokio::time::interval(BEAT_EVERY.min(interval));
    let mut reported: Option<tokio::time::Instant> = None;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = ticker.tick() => {}
            changed = assignments.changed() => {
                if changed.is_err() {
                    break;
                }
                board.set_assignments(&assignments.borrow_and_update());
                reported = None;
            }
        }
        if let Some(heart) = &board.heartbeat {
            heart.beat();
        }
        if reported.is_some_and(|at| at.elapsed() < interval) {
            continue;
        }
        reported = Some(tokio::time::Instant::now());
        // While NATS is away the client's queue may be full: this report is
        // dropped rather than the loop (and the heartbeat) held up.
        match tokio::time::timeout(BEAT_EVERY, nats.publish(subject.clone(), board.report().to_bytes().into())).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::debug!(error = %e, "failed to publish status"),
            Err(_) => tracing::debug!("status not published: the NATS client's queue is full"),
        }
    }
    board.stopping.store(true, Ordering::Relaxed);
    let _ = tokio::time::timeout(Duration::from_secs(2), nats.publish(subject, board.report().to_bytes().into())).await;
    let _ = tokio::time::timeout(Duration::from_secs(2), nats.flush()).await;
    Ok(())
}
