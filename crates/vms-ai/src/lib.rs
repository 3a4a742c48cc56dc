//! The analytics plane: decodes each assigned stream (a camera's sub
//! stream, or its main stream when it has none) at a detection rate and
//! reports what happened as events on the bus.
//!
//! Each stream comes from the media plane over the frame link and is
//! analysed on a thread of its own ([`camera`], [`analyse`]): the
//! [`sampler`] picks the pictures to decode and look at, [`motion`] finds
//! what moved and when motion starts and ends, and the events go to NATS
//! JetStream through a publisher that rides out a NATS outage
//! ([`vms_bus::events::Publisher`]). A stream's analysis runs under the
//! plane's supervisor, so one that panics is restarted and reported without
//! touching the others; live view and recording never wait for this plane.

pub mod analyse;
mod camera;
pub mod geometry;
pub mod motion;
pub mod sampler;
mod stats;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;
use vms_base::Plane;
use vms_bus::events::Publisher;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps, StreamAssignment};

pub use stats::CameraStats;

/// How long a stopping plane keeps trying to put its last events on the bus.
const EVENT_DRAIN: Duration = Duration::from_secs(5);

/// Runs the analytics plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    vms_plane::serve(Plane::Ai, config, deps, shutdown, Default::default(), run).await
}

struct Running {
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

async fn run(mut ctx: PlaneContext) -> anyhow::Result<()> {
    let analytics = &ctx.config.analytics;
    let publishing = CancellationToken::new();
    let (publisher, publishing_task) = Publisher::start(
        ctx.nats.clone(),
        ctx.subjects.clone(),
        analytics.event_queue as usize,
        publishing.clone(),
        EVENT_DRAIN,
    );
    let settings = analyse::Settings {
        fps: analytics.detect_fps,
        motion_height: analytics.motion_height,
        motion: motion::Settings::default(),
        debounce: motion::events::Debounce {
            end_after_us: i64::from(analytics.motion_end_secs) * 1_000_000,
            ..Default::default()
        },
    };
    let (link, key) = (ctx.config.link.address(), ctx.internal_secret.key());
    let stats: Arc<Mutex<HashMap<Uuid, Arc<Mutex<CameraStats>>>>> = Default::default();
    let supervisor = ctx.supervisor.clone();
    let start = |stream: &StreamAssignment, cancel: CancellationToken| {
        let camera_stats = Arc::new(Mutex::new(CameraStats::default()));
        stats.lock().expect("stats lock should not be poisoned").insert(stream.stream_id, camera_stats.clone());
        let camera = camera::Camera {
            assignment: stream.clone(),
            link,
            key: key.clone(),
            settings: settings.clone(),
            publisher: publisher.clone(),
            stats: camera_stats,
        };
        let span = tracing::info_span!("analyse", camera_id = %stream.camera_id, stream = %stream.role, camera = %stream.camera_name);
        let (name, until) = (format!("analyse {}/{}", stream.camera_id, stream.role), cancel.clone());
        let task = supervisor
            .spawn(name, cancel.clone(), move || camera::run(camera.clone(), until.clone()).instrument(span.clone()));
        Running { cancel, task }
    };
    let stop = |stream: StreamAssignment, r: Running| {
        stats.lock().expect("stats lock should not be poisoned").remove(&stream.stream_id);
        r.cancel.cancel();
    };
    let left = ctx.per_stream(start, stop).await;
    for (_, r) in left {
        r.cancel.cancel();
        let _ = r.task.await;
    }
    // Every camera has handed over its last events; deliver them, then stop.
    publishing.cancel();
    let _ = publishing_task.await;
    let delivered = publisher.stats().await;
    if delivered.queued > 0 || delivered.dropped > 0 {
        tracing::warn!(queued = delivered.queued, dropped = delivered.dropped, "events not delivered");
    }
    Ok(())
}
