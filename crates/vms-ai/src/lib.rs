//! The analytics plane: decodes each assigned stream (a camera's sub
//! stream, or its main stream when it has none) at a detection rate and
//! reports what happened as events on the bus.
//!
//! Each stream comes from the media plane over the frame link and is
//! analysed on a thread of its own ([`camera`], [`analyse`]): the
//! [`sampler`] picks the pictures to decode and look at, [`motion`] finds
//! what moved and when motion starts and ends, the plane's model
//! ([`detect`], one for all cameras) looks for objects while something
//! moves, [`track`] follows them, and the events ([`publish`]) go to NATS
//! JetStream through a publisher that rides out a NATS outage
//! ([`vms_bus::events::Publisher`]). A stream's analysis runs under the
//! plane's supervisor, so one that panics is restarted and reported without
//! touching the others; live view and recording never wait for this plane.

pub mod analyse;
mod camera;
pub mod detect;
pub mod geometry;
mod metrics;
pub mod motion;
mod publish;
pub mod sampler;
pub mod scene;
pub mod track;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;
use vms_base::Plane;
use vms_bus::{events::Publisher, status::StreamAnalytics};
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps, StreamAssignment};

/// How long a stopping plane keeps trying to put its last events on the bus.
const EVENT_DRAIN: Duration = Duration::from_secs(5);
/// How long the alert for dropped events stays up after the last drop.
const DROP_ALERT: Duration = Duration::from_secs(600);

/// Runs the analytics plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    vms_plane::serve(Plane::Ai, config, deps, shutdown, Default::default(), run).await
}

/// Each analysed stream's counters, by stream id.
type Streams = Arc<Mutex<HashMap<Uuid, Arc<Mutex<StreamAnalytics>>>>>;

struct Running {
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
    /// The camera's own settings, which new ones replace in place (none
    /// where they could not be read and the camera is not analysed).
    analytics: Option<watch::Sender<vms_base::analytics::CameraAnalytics>>,
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
        objects: None,
        max_fps: analytics.max_detect_fps,
        camera: Default::default(),
    };
    let (settings, model_error) = match load_model(analytics).await {
        Ok(None) => (settings, None),
        Ok(Some(mut objects)) => {
            let model =
                analytics.model.as_deref().and_then(|m| m.file_stem()).map(|m| m.to_string_lossy().into_owned());
            let latency = metrics::inference_latency(&ctx.metrics, &model.unwrap_or_default(), &analytics.provider);
            objects.detector = objects.detector.with_latency(latency);
            (analyse::Settings { objects: Some(objects), ..settings }, None)
        }
        Err(e) => {
            // Motion goes on for every camera; the plane says why there are no objects.
            ctx.alerts.raise("model", &e);
            (settings, Some(e))
        }
    };
    let (link, key) = (ctx.config.link.address(), ctx.internal_secret.key());
    let stats: Streams = Default::default();
    ctx.metrics.register_collector(Box::new(metrics::AnalyticsCollector {
        streams: stats.clone(),
        detector: settings.objects.as_ref().map(|o| o.detector.clone()),
    }));
    let interval = Duration::from_secs(ctx.config.ai.settings().status_interval_secs.into());
    let (reported, report_publisher, details, alerts, cancel) =
        (stats.clone(), publisher.clone(), ctx.details.clone(), ctx.alerts.clone(), ctx.shutdown.clone());
    ctx.supervisor.spawn("analytics_status", ctx.shutdown.clone(), move || {
        report(reported.clone(), report_publisher.clone(), details.clone(), alerts.clone(), interval, cancel.clone())
    });
    let supervisor = ctx.supervisor.clone();
    let start = |stream: &StreamAssignment, cancel: CancellationToken| {
        // Control checks the settings before it stores them. A plane of
        // another version that cannot read them leaves the camera alone and
        // says why, rather than analyse it in a way nobody asked for (without
        // its masks and filters).
        let camera_stats = Arc::new(Mutex::new(StreamAnalytics {
            camera_id: stream.camera_id,
            stream: stream.role.to_string(),
            detect_fps: settings.fps,
            model_error: model_error.clone(),
            ..Default::default()
        }));
        let camera = match stream.analytics() {
            Ok(camera) => camera,
            Err(e) => {
                let message = format!("the camera's analytics settings are not understood ({e}); not analysed");
                tracing::error!(camera_id = %stream.camera_id, %message);
                camera_stats.lock().expect("stats lock should not be poisoned").settings_error = Some(message);
                stats.lock().expect("stats lock should not be poisoned").insert(stream.stream_id, camera_stats);
                return Running { cancel, task: tokio::spawn(async {}), analytics: None };
            }
        };
        let (analytics, watched) = watch::channel(camera);
        stats.lock().expect("stats lock should not be poisoned").insert(stream.stream_id, camera_stats.clone());
        let camera = camera::Camera {
            assignment: stream.clone(),
            link,
            key: key.clone(),
            base: settings.clone(),
            analytics: watched,
            publisher: publisher.clone(),
            stats: camera_stats,
        };
        let span = tracing::info_span!("analyse", camera_id = %stream.camera_id, stream = %stream.role, camera = %stream.camera_name);
        let (name, until) = (format!("analyse {}/{}", stream.camera_id, stream.role), cancel.clone());
        let task = supervisor
            .spawn(name, cancel.clone(), move || camera::run(camera.clone(), until.clone()).instrument(span.clone()));
        Running { cancel, task, analytics: Some(analytics) }
    };
    // New analytics settings of a camera being analysed go to it in place:
    // its objects, their events and its line counts go on.
    let update = |old: &StreamAssignment, new: &StreamAssignment, running: &mut Running| {
        let Some(analytics) = &running.analytics else { return false };
        // A camera whose task has ended is started again with the new settings.
        if running.task.is_finished() || !old.differs_only_in_analytics(new) {
            return false;
        }
        match new.analytics() {
            Ok(settings) => {
                analytics.send_replace(settings);
                true
            }
            // Started again, it says why it cannot be analysed.
            Err(_) => false,
        }
    };
    let stop = |stream: StreamAssignment, r: Running| {
        stats.lock().expect("stats lock should not be poisoned").remove(&stream.stream_id);
        r.cancel.cancel();
    };
    let left = ctx.per_stream_updating(start, update, stop).await;
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

/// Loads the configured model, if any, on a blocking thread: `Ok(None)`
/// without one, the error's message when it cannot be used.
async fn load_model(analytics: &vms_config::AnalyticsConfig) -> Result<Option<analyse::Objects>, String> {
    let Some(model) = analytics.model.clone() else { return Ok(None) };
    let labels = analytics.labels.clone().unwrap_or_else(|| model.with_extension("labels"));
    let Some(library) = analytics.runtime.clone().or_else(|| std::env::var_os("ORT_DYLIB_PATH").map(Into::into)) else {
        return Err(
            "no ONNX Runtime library: set analytics.runtime or ORT_DYLIB_PATH (scripts/setup.sh fetches one)".into()
        );
    };
    let provider = match analytics.provider.as_str() {
        "cpu" => detect::model::Provider::Cpu,
        "cuda" => detect::model::Provider::Cuda,
        other => return Err(format!("analytics.provider {other:?} is neither cpu nor cuda")),
    };
    let spec =
        detect::model::ModelSpec { path: model, labels, provider, threads: analytics.inference_threads as usize };
    let detector = tokio::task::spawn_blocking(move || detect::service::Detector::start(&library, &spec))
        .await
        .map_err(|e| format!("loading the model failed: {e}"))?
        .map_err(|e| e.to_string())?;
    tracing::info!(labels = ?detector.labels(), "model loaded");
    let tracking = track::Settings::with_floor(analytics.min_score);
    Ok(Some(analyse::Objects { detector, idle_every_us: i64::from(analytics.idle_detect_secs) * 1_000_000, tracking }))
}

/// Puts every stream's counters, with the rate achieved since the last
/// look, into the plane's status every `interval`, and raises an alert
/// when events have had to be dropped (NATS away longer than the queue
/// lasts), cleared after [`DROP_ALERT`] without another drop.
async fn report(
    streams: Streams,
    publisher: Publisher,
    details: vms_plane::Details,
    alerts: vms_plane::Alerts,
    interval: Duration,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let mut before: HashMap<Uuid, (u64, std::time::Instant)> = HashMap::new();
    let mut last_drop: Option<(u64, std::time::Instant)> = None;
    let mut ticker = tokio::time::interval(interval);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = ticker.tick() => {}
        }
        let now = std::time::Instant::now();
        let snapshot: Vec<(Uuid, StreamAnalytics)> = streams
            .lock()
            .expect("stats lock should not be poisoned")
            .iter()
            .map(|(id, s)| (*id, s.lock().expect("stats lock should not be poisoned").clone()))
            .collect();
        let mut reported = Vec::with_capacity(snapshot.len());
        let mut seen = HashMap::with_capacity(snapshot.len());
        for (id, mut s) in snapshot {
            if let Some((analysed, at)) = before.get(&id) {
                let secs = now.duration_since(*at).as_secs_f32();
                if secs > 0.0 {
                    s.fps = s.analysed.saturating_sub(*analysed) as f32 / secs;
                }
            }
            seen.insert(id, (s.analysed, now));
            reported.push(s);
        }
        before = seen;
        reported.sort_by_key(|s| (s.camera_id, s.stream.clone()));
        details.set_analytics(reported);
        let dropped = publisher.stats().await.dropped;
        if dropped > last_drop.map_or(0, |(count, _)| count) {
            last_drop = Some((dropped, now));
            let message = format!("{dropped} events were dropped: NATS was away longer than the event queue lasts");
            alerts.raise("events_dropped", &message);
        } else if last_drop.is_some_and(|(_, at)| now.duration_since(at) >= DROP_ALERT) {
            alerts.clear("events_dropped");
        }
    }
}
