//! The runtime every non-control plane shares.
//!
//! [`serve`] runs a plane: it loads the assignments cached on local disk, then
//! watches control's `Assignments` gRPC stream for the current set (caching
//! every new set before acting on it), publishes a status report on NATS every
//! few seconds, serves the `Plane` gRPC service and hands the assignments to
//! the plane's own worker. While control is down the plane keeps working from
//! its last set and reconnects with backoff. The worker runs its background
//! tasks under the plane's [`Supervisor`], so one that panics is restarted and
//! reported in the status until it is healthy again.
//!
//! It owns no media logic: the worker given to [`serve`] does the plane's job.

mod agent;
mod assignment;
mod cache;
mod grpc;
pub mod link;
mod status;

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
pub use assignment::{AssignmentSet, StreamAssignment};
use tokio::{net::TcpListener, sync::watch};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use vms_base::{Plane, Supervisor};
use vms_bus::{Subjects, hot::HotState};
use vms_config::Config;
use vms_proto::auth::InternalSecret;

/// Connections a plane needs, resolved by the caller (the binary or a test).
#[derive(Debug, Clone)]
pub struct PlaneDeps {
    /// NATS URL.
    pub nats_url: String,
    /// Redis URL.
    pub redis_url: String,
    /// Prefix of NATS subjects and Redis keys (`vms` in production, unique per test).
    pub bus_prefix: String,
    /// The process's metrics registry, served on `metrics.<plane>`.
    pub metrics: vms_metrics::Metrics,
}

/// What a plane's worker receives.
pub struct PlaneContext {
    /// Which plane this is.
    pub plane: Plane,
    /// The node's configuration.
    pub config: Arc<Config>,
    /// The assignments in force; changes whenever control sends a new set.
    pub assignments: watch::Receiver<Arc<AssignmentSet>>,
    /// Hot state in Redis.
    pub hot: HotState,
    /// NATS.
    pub nats: async_nats::Client,
    /// NATS subjects.
    pub subjects: Subjects,
    /// Cancelled when the plane must stop.
    pub shutdown: CancellationToken,
    /// The process's metrics registry: the worker registers its figures here.
    pub metrics: vms_metrics::Metrics,
    /// Critical alerts, reported with the plane's status (on NATS, and so in
    /// control's `/health/ready`).
    pub alerts: Alerts,
    /// The plane's other services, announced with its status.
    pub endpoints: Endpoints,
    /// Per-stream facts reported with the plane's status.
    pub details: Details,
    /// The installation's internal gRPC secret, for the plane's calls to control.
    pub internal_secret: InternalSecret,
    /// Runs the worker's background tasks, restarting any that panics; those
    /// failing are reported as alerts with the plane's status.
    pub supervisor: Supervisor,
}

/// Raises and clears a plane's critical alerts.
#[derive(Clone)]
pub struct Alerts(Arc<status::StatusBoard>);

impl std::fmt::Debug for Alerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Alerts")
    }
}

impl Alerts {
    /// Raises (or updates) the alert `key`.
    pub fn raise(&self, key: &str, message: &str) {
        self.0.raise(key, message);
    }

    /// Clears the alert `key`, if raised.
    pub fn clear(&self, key: &str) {
        self.0.clear(key);
    }
}

/// Announces the plane's other services in its status reports, so control can reach them.
#[derive(Clone)]
pub struct Endpoints(Arc<status::StatusBoard>);

impl Endpoints {
    /// Announces the service `name` at `address`.
    pub fn advertise(&self, name: &str, address: &str) {
        self.0.advertise(name, address);
    }
}

/// Facts a plane reports with its status: per stream, per storage root, of its index.
#[derive(Clone)]
pub struct Details(Arc<status::StatusBoard>);

impl std::fmt::Debug for Details {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Details")
    }
}

impl Details {
    /// Replaces what the analytics plane reports of its streams.
    pub fn set_analytics(&self, streams: Vec<vms_bus::status::StreamAnalytics>) {
        self.0.set_analytics(streams);
    }

    /// Replaces what the recorder reports of its storage roots.
    pub fn set_storage(&self, roots: Vec<vms_bus::status::StorageRootStatus>) {
        self.0.set_storage(roots);
    }

    /// Sets what the recorder reports of its index's lag, in seconds.
    pub fn set_index_lag(&self, seconds: f64) {
        self.0.set_index_lag(seconds);
    }
}

/// Runs a plane until `shutdown` is cancelled: assignments, status, gRPC
/// (`Plane` and the plane's own services in `routes`) and `worker`.
pub async fn serve<W, F>(
    plane: Plane,
    config: Arc<Config>,
    deps: PlaneDeps,
    shutdown: CancellationToken,
    routes: tonic::service::Routes,
    worker: W,
) -> anyhow::Result<()>
where
    W: FnOnce(PlaneContext) -> F,
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let plane_config = config.plane(plane).context("control is not served by vms-plane")?;
    let cache = cache::AssignmentCache::new(&config.state_dir(), plane, &config.node_id);
    let initial = match cache.load() {
        Ok(Some(set)) => {
            tracing::info!(revision = set.revision, streams = set.streams.len(), "loaded cached assignments");
            set
        }
        Ok(None) => AssignmentSet::default(),
        Err(e) => {
            tracing::warn!(error = %e, "ignoring unreadable assignment cache");
            AssignmentSet::default()
        }
    };
    let (assign_tx, assign_rx) = watch::channel(Arc::new(initial));
    let secret =
        InternalSecret::load_or_create(&config.secrets_dir()).context("failed to load the internal gRPC secret")?;

    let listener = TcpListener::bind(plane_config.grpc_listen)
        .await
        .with_context(|| format!("failed to bind gRPC on {}", plane_config.grpc_listen))?;
    let grpc_addr: SocketAddr = listener.local_addr()?;
    let subjects = Subjects::new(deps.bus_prefix.clone());
    let nats = vms_bus::nats::connect(&deps.nats_url, &format!("vms-{plane}")).await?;
    let hot = HotState::new(&deps.redis_url, format!("{}:", deps.bus_prefix))?;
    let supervisor = Supervisor::default();
    let board = Arc::new(status::StatusBoard::new(plane, &config.node_id, grpc_addr, supervisor.clone()));
    tracing::info!(%grpc_addr, "plane started");
    vms_metrics::spawn_for(plane, &config, deps.metrics.clone(), shutdown.clone()).await;

    let mut tasks = tokio::task::JoinSet::new();
    tasks.spawn(
        agent::watch_assignments(
            agent::ControlLink { url: config.control.grpc_url(), secret: secret.clone() },
            plane,
            config.node_id.clone(),
            cache,
            assign_tx,
            board.clone(),
            shutdown.clone(),
        )
        .instrument(tracing::info_span!("assignments")),
    );
    tasks.spawn(
        status::publish_loop(
            nats.clone(),
            subjects.status(plane, &config.node_id),
            board.clone(),
            assign_rx.clone(),
            std::time::Duration::from_secs(plane_config.status_interval_secs.into()),
            shutdown.clone(),
        )
        .instrument(tracing::info_span!("status")),
    );
    tasks.spawn(
        grpc::serve(listener, board.clone(), routes, secret.clone(), shutdown.clone())
            .instrument(tracing::info_span!("grpc")),
    );
    let context = PlaneContext {
        plane,
        config: config.clone(),
        assignments: assign_rx,
        hot,
        nats: nats.clone(),
        subjects,
        shutdown: shutdown.clone(),
        metrics: deps.metrics.clone(),
        alerts: Alerts(board.clone()),
        endpoints: Endpoints(board.clone()),
        details: Details(board.clone()),
        internal_secret: secret,
        supervisor,
    };
    tasks.spawn(worker(context).instrument(tracing::info_span!("worker")));

    let mut result = Ok(());
    while let Some(joined) = tasks.join_next().await {
        let outcome = joined.map_err(anyhow::Error::from).and_then(|r| r);
        if let Err(e) = outcome {
            tracing::error!(error = %format!("{e:#}"), "plane task failed; stopping");
            shutdown.cancel();
            if result.is_ok() {
                result = Err(e);
            }
        }
    }
    let _ = nats.flush().await;
    tracing::info!("plane stopped");
    result
}

impl PlaneContext {
    /// Calls `apply` with the current set and again after every change, until shutdown.
    pub async fn for_each_set(&mut self, mut apply: impl FnMut(&AssignmentSet)) {
        loop {
            apply(&self.assignments.borrow_and_update());
            tokio::select! {
                _ = self.shutdown.cancelled() => return,
                changed = self.assignments.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// Keeps one piece of work per assigned stream until shutdown: `start`
    /// begins it for a new or changed assignment (with a token that shutdown
    /// cancels), `stop` ends one whose assignment went away or changed.
    /// Returns what is still running at shutdown, for the caller to wind down.
    pub async fn per_stream<H>(
        &mut self,
        start: impl FnMut(&StreamAssignment, CancellationToken) -> H,
        stop: impl FnMut(StreamAssignment, H),
    ) -> Vec<(StreamAssignment, H)> {
        self.per_stream_updating(start, |_, _, _| false, stop).await
    }

    /// [`Self::per_stream`], where a stream whose assignment changed is
    /// first offered to `update` (the old assignment, the new one, and the
    /// stream's handle): when it takes the change in place (returns true)
    /// the stream goes on; otherwise it is stopped and started again.
    pub async fn per_stream_updating<H>(
        &mut self,
        mut start: impl FnMut(&StreamAssignment, CancellationToken) -> H,
        mut update: impl FnMut(&StreamAssignment, &StreamAssignment, &mut H) -> bool,
        mut stop: impl FnMut(StreamAssignment, H),
    ) -> Vec<(StreamAssignment, H)> {
        let mut running: std::collections::HashMap<uuid::Uuid, (StreamAssignment, H)> = Default::default();
        let shutdown = self.shutdown.clone();
        self.for_each_set(|set| {
            let stale: Vec<uuid::Uuid> = running
                .iter()
                .filter(|(id, (current, _))| !set.streams.iter().any(|s| s.stream_id == **id && s == current))
                .map(|(id, _)| *id)
                .collect();
            for id in stale {
                if let (Some(new), Some((current, handle))) =
                    (set.streams.iter().find(|s| s.stream_id == id), running.get_mut(&id))
                    && update(current, new, handle)
                {
                    *current = new.clone();
                    continue;
                }
                if let Some((assignment, handle)) = running.remove(&id) {
                    stop(assignment, handle);
                }
            }
            for stream in &set.streams {
                if let std::collections::hash_map::Entry::Vacant(slot) = running.entry(stream.stream_id) {
                    slot.insert((stream.clone(), start(stream, shutdown.child_token())));
                }
            }
        })
        .await;
        running.into_values().collect()
    }
}
