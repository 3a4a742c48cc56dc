//! The recorder plane: writes assigned streams to disk as fragmented MP4,
//! reading each from the media plane over the frame link, so a camera is
//! pulled once however many planes use it.
//!
//! [`recording`] runs one stream: GOPs ([`gop`]) become fragments of segment
//! files ([`segment`]), a new file every `recording.segment_secs`, at every
//! codec or resolution change and after every reconnect. Each file and
//! fragment goes into the PostgreSQL index ([`index`]), which catches up
//! after a database outage without holding up the writers, drops a row the
//! database refuses without holding up other cameras, and bounds its queue. On start,
//! [`recovery`] cuts the torn tail a crash left and fixes its index entry;
//! [`reindex`] rebuilds the whole index from the files ([`scan`]).
//! [`retention`] deletes the oldest recordings past their camera's age
//! limit, their root's quota or its filesystem's free-space floor. Retention,
//! the recording modes and each stream's recording run under the plane's
//! supervisor, which restarts one that panics and reports it in the status.
//! [`archive`] serves the footage this recorder holds (playlists, file
//! bytes, exports) to the control plane over HTTP.

pub mod archive;
mod events;
mod gop;
mod grpc;
mod index;
mod metrics;
mod modes;
mod recording;
mod recovery;
mod reindex;
mod retention;
mod scan;
mod segment;
mod space;

pub use index::{DroppedIndexUpdates, dropped_index_updates};
pub use reindex::{ReindexReport, reindex};

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use vms_base::Plane;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps, StreamAssignment};

/// How long a stopping recorder keeps trying to bring the index up to date.
const INDEX_DRAIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs the recorder plane until `shutdown` is cancelled, indexing into `db`.
pub async fn serve(
    config: Arc<Config>,
    deps: PlaneDeps,
    db: sqlx::PgPool,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let events = Arc::new(events::Events::default());
    let recorded = grpc::Recorded::default();
    let service = grpc::RecorderService { events: events.clone(), recorded: recorded.clone() };
    let routes = tonic::service::Routes::new(vms_proto::v1::recorder_server::RecorderServer::new(service));
    vms_plane::serve(Plane::Recorder, config, deps, shutdown, routes, |ctx| run(ctx, db, events, recorded)).await
}

struct Running {
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

async fn run(
    mut ctx: PlaneContext,
    db: sqlx::PgPool,
    events: Arc<events::Events>,
    recorded: grpc::Recorded,
) -> anyhow::Result<()> {
    let roots = ctx.config.recording_roots();
    let (index, queued) = index::queue();
    let node = ctx.config.node_id.clone();
    let indexing = tokio::spawn(index::run(db.clone(), node, queued, ctx.shutdown.clone(), INDEX_DRAIN));
    let recording_config = &ctx.config.recording;
    let recorder_metrics = metrics::RecorderMetrics::new(&ctx.metrics);
    let policy = retention::Policy {
        metrics: recorder_metrics.clone(),
        node: ctx.config.node_id.clone(),
        roots: roots.clone(),
        min_free: recording_config.min_free_bytes,
        orphan_days: recording_config.orphan_retention_days,
        alerts: ctx.alerts.clone(),
        details: ctx.details.clone(),
        room_removed: Default::default(),
    };
    // Retention and the recording modes run supervised: a panic in either is
    // reported with the plane's status and the loop restarted, not lost.
    let supervisor = ctx.supervisor.clone();
    let interval = std::time::Duration::from_secs(recording_config.retention_interval_secs.into());
    let (sweep_db, cancel) = (db.clone(), ctx.shutdown.clone());
    supervisor.spawn("retention", ctx.shutdown.clone(), move || {
        retention::run(sweep_db.clone(), policy.clone(), interval, cancel.clone())
            .instrument(tracing::info_span!("retention"))
    });
    // The index's lag goes with the plane's status, for control's alert on it.
    let (details, cancel) = (ctx.details.clone(), ctx.shutdown.clone());
    supervisor.spawn("index_lag", ctx.shutdown.clone(), move || {
        let (details, cancel) = (details.clone(), cancel.clone());
        async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
            loop {
                tokio::select! {
                    _ = cancel.cancelled() => return anyhow::Ok(()),
                    _ = tick.tick() => details.set_index_lag(index::counters::lag().0),
                }
            }
        }
    });
    let modes = Arc::new(modes::Modes::new(events));
    let (followed, cancel, modes_db) = (modes.clone(), ctx.shutdown.clone(), db.clone());
    supervisor.spawn("recording_modes", ctx.shutdown.clone(), move || {
        modes::follow(followed.clone(), modes_db.clone(), cancel.clone())
            .instrument(tracing::info_span!("recording_modes"))
    });
    // The archive serves what this recorder holds; control forwards playback and exports here.
    let clock = vms_base::clock::SystemClock::shared();
    let archive =
        archive::start(&ctx.config, db.clone(), ctx.internal_secret.clone(), clock, ctx.shutdown.clone()).await?;
    ctx.endpoints.advertise("archive", &archive.addr.to_string());
    let (exports, cancel) = (archive.exports.clone(), ctx.shutdown.clone());
    supervisor.spawn("export_sweep", ctx.shutdown.clone(), move || {
        archive::export::sweep::run(exports.clone(), cancel.clone()).instrument(tracing::info_span!("export_sweep"))
    });
    // Files a crash interrupted are repaired before recording resumes.
    let (recover_roots, recover_index) = (roots.clone(), index.clone());
    tokio::task::spawn_blocking(move || recovery::recover(&recover_roots, &recover_index)).await?;
    let (link, key, segment_secs) =
        (ctx.config.link.address(), ctx.internal_secret.key(), ctx.config.recording.segment_secs);
    let alerts = ctx.alerts.clone();
    let start = |stream: &StreamAssignment, cancel: CancellationToken| {
        let recording = recording::Recording {
            writes: recorder_metrics.writes(stream.camera_id, stream.role),
            assignment: stream.clone(),
            roots: roots.clone(),
            segment_secs,
            link,
            key: key.clone(),
            index: index.clone(),
            modes: modes.clone(),
            alerts: alerts.clone(),
        };
        let span = tracing::info_span!("record", camera_id = %stream.camera_id, stream = %stream.role, camera = %stream.camera_name);
        let (name, until) = (format!("record {}/{}", stream.camera_id, stream.role), cancel.clone());
        let task = supervisor.spawn(name, cancel.clone(), move || {
            recording::run(recording.clone(), until.clone()).instrument(span.clone())
        });
        recorded
            .write()
            .expect("recorded lock should not be poisoned")
            .insert((stream.camera_id, stream.role.to_string()));
        Running { cancel, task }
    };
    let stop = |stream: StreamAssignment, r: Running| {
        recorded
            .write()
            .expect("recorded lock should not be poisoned")
            .remove(&(stream.camera_id, stream.role.to_string()));
        r.cancel.cancel();
        recorder_metrics.forget(stream.camera_id, stream.role);
    };
    let left = ctx.per_stream(start, stop).await;
    // Each recording writes what it holds and closes its file before the plane stops.
    for (_, r) in left {
        r.cancel.cancel();
        let _ = r.task.await;
    }
    // With every writer gone, the index task ends once it has applied what they queued.
    drop(index);
    let _ = indexing.await;
    Ok(())
}
