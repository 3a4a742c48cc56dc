//! The events pipeline in control: the durable consumer that stores what
//! every source publishes on the bus ([`ingest`]), the checks a message must
//! pass ([`check`]), the tenants and cameras it is checked against
//! ([`directory`]), the retention of stored events, and control's own
//! sources: cameras going offline ([`stream_health`]), recorders that
//! cannot record ([`recorder_alerts`]) and the watchdog's alerts
//! ([`crate::alerts`]).

pub mod check;
pub mod directory;
pub mod ingest;
pub mod metrics;
pub mod recorder_alerts;
pub mod stream_health;

use std::{sync::Arc, time::Duration};

use sqlx::PgPool;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::AppState;

/// How often stored events are pruned and partitions prepared.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(6 * 3600);

/// The events pipeline's shared handles: the bus to publish posted events
/// on, and the consumer's counters.
#[derive(Clone)]
pub struct Events {
    /// NATS, to publish events posted through the API.
    pub nats: async_nats::Client,
    /// NATS subjects.
    pub subjects: Arc<vms_bus::Subjects>,
    /// What the consumer has stored and rejected.
    pub stats: Arc<ingest::IngestStats>,
    /// Every event the consumer stores or updates, for the live feeds.
    pub feed: tokio::sync::broadcast::Sender<Arc<vms_catalog::event::StoredEvent>>,
    /// Open live feeds are bounded by this, in all and per caller.
    pub feeds: Arc<crate::event_api::slots::FeedSlots>,
    /// Wakes the webhook sender when calls are queued.
    pub webhooks_wake: Arc<tokio::sync::Notify>,
    /// Fired rules waiting for their snapshot and MQTT actions.
    pub actions: Arc<crate::rules::actions::ActionQueue>,
    /// Where event snapshots are kept.
    pub snapshots: crate::rules::snapshots::Snapshots,
    /// The MQTT bridge, when `mqtt.url` is set.
    pub mqtt: Option<Arc<crate::mqtt::Bridge>>,
    /// Events recorded for rules, until they end.
    pub recordings: Arc<crate::rules::recording::Recordings>,
    /// The pipeline's figures for Prometheus.
    pub metrics: Arc<metrics::EventMetrics>,
    /// Events seen ending, while recordings or sensors wait for ends.
    pub ends: tokio::sync::broadcast::Sender<Arc<vms_catalog::event::StoredEvent>>,
    /// Rules' in-app notifications, for the live feeds.
    pub notifications: tokio::sync::broadcast::Sender<Arc<crate::rules::actions::Notification>>,
}

/// A stored event as the bus message it was last updated by (to send the
/// next: its end), for control's own sources taking over open events.
pub(crate) fn as_message(e: vms_catalog::event::StoredEvent) -> vms_bus::events::Event {
    vms_bus::events::Event {
        id: e.id,
        tenant_id: e.tenant_id,
        camera_id: e.camera_id,
        kind: e.kind,
        start: e.start_time,
        end: e.end_time,
        attributes: e.attributes.as_object().cloned().unwrap_or_default(),
        seq: u32::try_from(e.seq).unwrap_or(0),
    }
}

/// The message ending `open` at `at` (never before its start), for
/// control's own sources: the next `seq` of the same event.
pub(crate) fn ended(mut open: vms_bus::events::Event, at: chrono::DateTime<chrono::Utc>) -> vms_bus::events::Event {
    open.seq += 1;
    open.end = Some(at.max(open.start));
    open
}

/// The most live event feeds one control serves at once.
pub const MAX_FEEDS: usize = 1000;

impl Events {
    /// The pipeline's handles on `nats`, for the node `config` describes.
    /// Its figures go into `registry`.
    pub fn new(
        nats: async_nats::Client,
        subjects: Arc<vms_bus::Subjects>,
        config: &vms_config::Config,
        registry: &vms_metrics::Metrics,
    ) -> Self {
        let (feed, feeds) = crate::event_api::feed::channels(MAX_FEEDS);
        let (stats, actions) =
            (Arc::<ingest::IngestStats>::default(), Arc::<crate::rules::actions::ActionQueue>::default());
        let mqtt = crate::mqtt::Bridge::new(&config.mqtt, &config.node_id);
        registry.register_collector(Box::new(metrics::PipelineCollector {
            stats: stats.clone(),
            actions: actions.clone(),
            mqtt: mqtt.clone(),
        }));
        Self {
            nats,
            subjects,
            stats,
            feed,
            feeds,
            webhooks_wake: Arc::default(),
            actions,
            snapshots: crate::rules::snapshots::Snapshots::new(&config.data_dir),
            mqtt,
            recordings: Arc::default(),
            metrics: metrics::EventMetrics::new(registry),
            ends: tokio::sync::broadcast::channel(4096).0,
            notifications: tokio::sync::broadcast::channel(1024).0,
        }
    }
}

/// Starts the consumer and the retention loop under the state's supervisor.
pub(crate) fn spawn(
    state: &AppState,
    catalog: watch::Receiver<u64>,
    shutdown: &CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    let supervisor = &state.planes.supervisor;
    let (db, events, cancel) = (state.catalog.db.clone(), state.events.clone(), shutdown.clone());
    let consumer = supervisor.spawn("events_ingest", shutdown.clone(), move || {
        let subjects = vms_bus::Subjects::clone(&events.subjects);
        ingest::run(db.clone(), events.clone(), subjects, catalog.clone(), cancel.clone())
            .instrument(tracing::info_span!("events_ingest"))
    });
    let (db, events, cancel) = (state.catalog.db.clone(), state.events.clone(), shutdown.clone());
    let outages = supervisor.spawn("camera_outages", shutdown.clone(), move || {
        let subjects = vms_bus::Subjects::clone(&events.subjects);
        stream_health::run(db.clone(), events.nats.clone(), subjects, cancel.clone())
            .instrument(tracing::info_span!("camera_outages"))
    });
    let (db, registry, events, cancel) =
        (state.catalog.db.clone(), state.planes.registry.clone(), state.events.clone(), shutdown.clone());
    let alerts = supervisor.spawn("recorder_alerts", shutdown.clone(), move || {
        let subjects = vms_bus::Subjects::clone(&events.subjects);
        recorder_alerts::run(db.clone(), registry.clone(), events.nats.clone(), subjects, cancel.clone())
            .instrument(tracing::info_span!("recorder_alerts"))
    });
    let (db, key, cancel) = (state.catalog.db.clone(), state.catalog.credential_key.clone(), shutdown.clone());
    let (config, wake, counts) =
        (state.config.events.clone(), state.events.webhooks_wake.clone(), state.events.metrics.clone());
    let webhooks = supervisor.spawn("webhook_sender", shutdown.clone(), move || {
        let sender = crate::rules::sender::Sender {
            db: db.clone(),
            key: key.clone(),
            config: config.clone(),
            metrics: counts.clone(),
        };
        crate::rules::sender::run(sender, wake.clone(), cancel.clone())
            .instrument(tracing::info_span!("webhook_sender"))
    });
    let (db, snapshots, cancel) = (state.catalog.db.clone(), state.events.snapshots.clone(), shutdown.clone());
    let retention = supervisor.spawn("events_retention", shutdown.clone(), move || {
        maintain(db.clone(), snapshots.clone(), cancel.clone()).instrument(tracing::info_span!("events_retention"))
    });
    let (actor, queue, cancel) = (actor_for(state), state.events.actions.clone(), shutdown.clone());
    let actions = supervisor.spawn("rule_actions", shutdown.clone(), move || {
        crate::rules::actions::run(actor.clone(), queue.clone(), cancel.clone())
            .instrument(tracing::info_span!("rule_actions"))
    });
    let (actor, cancel) = (actor_for(state), shutdown.clone());
    let ends = state.events.ends.clone();
    let follow = supervisor.spawn("event_endings", shutdown.clone(), move || {
        crate::rules::actions::follow(actor.clone(), ends.subscribe(), cancel.clone())
            .instrument(tracing::info_span!("event_endings"))
    });
    let runner = crate::alerts::runner::Runner {
        db: state.catalog.db.clone(),
        registry: state.planes.registry.clone(),
        licensing: state.catalog.licensing.clone(),
        board: state.planes.alerts.clone(),
        nats: state.events.nats.clone(),
        subjects: vms_bus::Subjects::clone(&state.events.subjects),
        stale_after: Duration::from_secs(state.config.control.plane_stale_after_secs.into()),
        control: control_report(state),
    };
    let cancel = shutdown.clone();
    let watchdog = supervisor.spawn("alerts", shutdown.clone(), move || {
        runner.clone().run(cancel.clone()).instrument(tracing::info_span!("alerts"))
    });
    let mut tasks = vec![consumer, outages, alerts, webhooks, retention, actions, follow, watchdog];
    if let Some(bridge) = state.events.mqtt.clone() {
        let (node, cancel) = (state.config.node_id.clone(), shutdown.clone());
        tasks.push(supervisor.spawn("mqtt_bridge", shutdown.clone(), move || {
            crate::mqtt::connection::run(bridge.clone(), node.clone(), cancel.clone())
                .instrument(tracing::info_span!("mqtt_bridge"))
        }));
    }
    tasks
}

/// Control's own status, as a plane's report would give it, for the alerts
/// on its restarts.
fn control_report(state: &AppState) -> vms_bus::status::PlaneStatusReport {
    let start = vms_base::watchdog::StartInfo::from_env();
    vms_bus::status::PlaneStatusReport {
        plane: vms_base::Plane::Control,
        node_id: state.config.node_id.clone(),
        version: vms_base::VERSION.to_owned(),
        pid: std::process::id(),
        state: vms_bus::status::PlaneState::Running,
        started_at: state.planes.started_at,
        reported_at: state.planes.started_at,
        assignments_revision: 0,
        assigned_streams: 0,
        control_connected: true,
        grpc_addr: state.config.control.grpc_listen.to_string(),
        alerts: Vec::new(),
        endpoints: Default::default(),
        analytics: Vec::new(),
        storage: Vec::new(),
        restarts: start.restarts,
        restart_cause: start.cause,
        index_lag_secs: None,
    }
}

/// What the rule actions need, from the state.
fn actor_for(state: &AppState) -> crate::rules::actions::Actor {
    crate::rules::actions::Actor {
        db: state.catalog.db.clone(),
        planes: state.planes.clone(),
        archive: state.archive.clone(),
        snapshots: state.events.snapshots.clone(),
        feed: state.events.feed.clone(),
        mqtt: state.events.mqtt.clone(),
        recordings: state.events.recordings.clone(),
        notifications: state.events.notifications.clone(),
    }
}

/// Prepares partitions and removes expired events (and their snapshots)
/// now and every few hours.
async fn maintain(
    db: PgPool,
    snapshots: crate::rules::snapshots::Snapshots,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    loop {
        let forget = &mut |gone: Vec<String>| {
            let snapshots = snapshots.clone();
            tokio::task::spawn_blocking(move || snapshots.remove(&gone));
        };
        match vms_catalog::event::retention::maintain(&db, forget).await {
            Ok(done) if done.expired > 0 || done.dropped > 0 || done.created > 0 => tracing::info!(
                expired = done.expired,
                partitions_created = done.created,
                partitions_dropped = done.dropped,
                "events maintained"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "events maintenance failed; retrying later"),
        }
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = tokio::time::sleep(MAINTENANCE_EVERY) => {}
        }
    }
}
