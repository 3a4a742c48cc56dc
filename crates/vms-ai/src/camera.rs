//! One camera's analysis: its stream from the media plane over the frame
//! link, decoded and looked at on a thread of its own ([`analyse`]), and the
//! motion and object events that come of it published on the bus.
//!
//! The link reader hands pictures to the thread through a short queue. A
//! thread that falls behind fills it, the reader stops reading, and the
//! media plane skips this consumer to the next keyframe and says how many
//! pictures it lost: the plane never buffers without bound, and live view
//! and recording never wait for it.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use vms_base::analytics::CameraAnalytics;
use vms_bus::{events::Publisher, status::StreamAnalytics};
use vms_plane::{
    StreamAssignment,
    link::{LinkEvent, LinkSubscription},
};

use crate::{
    analyse::{self, Input},
    publish::Events,
};

/// Pictures waiting for the analysis thread.
const QUEUE: usize = 32;
/// How often the thread is told the time when no picture comes, so motion
/// on a camera gone dark still ends.
const TICK: Duration = Duration::from_secs(1);

/// What a camera's analysis needs.
#[derive(Clone)]
pub(crate) struct Camera {
    pub assignment: StreamAssignment,
    pub link: SocketAddr,
    pub key: Arc<[u8]>,
    /// The plane's settings, before the camera's own.
    pub base: analyse::Settings,
    /// The camera's own settings, as control last sent them.
    pub analytics: watch::Receiver<CameraAnalytics>,
    pub publisher: Publisher,
    pub stats: Arc<Mutex<StreamAnalytics>>,
}

/// Runs until `cancel`: reads, analyses, publishes. A panic of the
/// analysis thread is passed on, so the plane's supervisor restarts the
/// camera and reports it.
pub(crate) async fn run(camera: Camera, cancel: CancellationToken) {
    let a = &camera.assignment;
    let link = LinkSubscription::new(camera.link, camera.key.clone(), a.camera_id, a.role);
    let (pictures, queued) = mpsc::channel(QUEUE);
    let (changes, mut changed) = mpsc::channel(16);
    let mut analytics = camera.analytics.clone();
    let settings = camera.base.for_camera(analytics.borrow_and_update().clone());
    let labels = settings.objects.as_ref().map(|o| o.detector.labels().to_vec()).unwrap_or_default();
    let stats = camera.stats.clone();
    // Set on cancel, so the thread stops after the picture in hand rather
    // than after every picture queued.
    let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stopping.clone();
    // A thread of its own, not the blocking pool: it lives as long as the camera.
    let worker = std::thread::Builder::new()
        .name(format!("analyse-{}", a.camera_id))
        .spawn(move || analyse::run(queued, changes, settings, stats, flag));
    let worker = match worker {
        Ok(worker) => worker,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the analysis thread");
            return;
        }
    };
    // The link is read in a task of its own, so nothing interrupts a
    // reconnect's backoff or the link's silence timeout.
    let reader = tokio::spawn(read(link, pictures.clone(), cancel.clone()));
    let resettle = tokio::spawn(resettle(analytics, camera.base.clone(), pictures.clone(), cancel.clone()));
    let ticker = tokio::spawn(tick(pictures, cancel.clone()));
    let stop_watch = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            cancel.cancelled().await;
            stopping.store(true, std::sync::atomic::Ordering::Relaxed);
        })
    };
    let mut events = Events::new(labels);
    // Ends when the thread does: once the reader and the ticker have stopped.
    while let Some(output) = changed.recv().await {
        for event in events.events(&camera.assignment, output) {
            tracing::debug!(event_id = %event.id, kind = %event.kind, seq = event.seq, "event");
            camera.publisher.publish(event).await;
        }
    }
    // A thread that failed leaves events open: close them.
    for event in events.close_open(&camera.assignment, chrono::Utc::now().timestamp_micros()) {
        camera.publisher.publish(event).await;
    }
    stop_watch.abort();
    let _ = tokio::join!(reader, ticker, resettle);
    match tokio::task::spawn_blocking(move || worker.join()).await {
        Ok(Ok(())) => {}
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => tracing::error!(error = %e, "lost the analysis thread"),
    }
}

/// Hands the link's events to the analysis thread until `cancel`, then tells it to stop.
async fn read(mut link: LinkSubscription, pictures: mpsc::Sender<Input>, cancel: CancellationToken) {
    while let Some(event) = link.next(&cancel).await {
        if let LinkEvent::Interrupted { reason } = &event {
            tracing::info!(%reason, "stream interrupted");
        }
        if pictures.send(Input::Link(event)).await.is_err() {
            return;
        }
    }
    let _ = pictures.send(Input::Stop).await;
}

/// Hands the camera's new settings to the analysis thread whenever control
/// sends some, until `cancel`.
async fn resettle(
    mut analytics: watch::Receiver<CameraAnalytics>,
    base: analyse::Settings,
    pictures: mpsc::Sender<Input>,
    cancel: CancellationToken,
) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            // The analysis thread ended (it failed): nothing to hand over.
            _ = pictures.closed() => return,
            changed = analytics.changed() => if changed.is_err() { return },
        }
        let settings = base.for_camera(analytics.borrow_and_update().clone());
        tracing::info!("the camera's analytics settings changed");
        if pictures.send(Input::Settings(Box::new(settings))).await.is_err() {
            return;
        }
    }
}

/// Tells the analysis thread every [`TICK`] that time passes, until `cancel`.
async fn tick(pictures: mpsc::Sender<Input>, cancel: CancellationToken) {
    let mut interval = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = interval.tick() => {
                // A full queue means pictures are coming: this tick is not needed.
                if let Err(mpsc::error::TrySendError::Closed(_)) = pictures.try_send(Input::Tick) {
                    return;
                }
            }
        }
    }
}
