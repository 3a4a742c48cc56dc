//! One camera's analysis: its stream from the media plane over the frame
//! link, decoded and looked at on a thread of its own ([`analyse`]), and the
//! motion events that come of it published on the bus.
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

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_bus::events::{Event, Publisher};
use vms_plane::{
    StreamAssignment,
    link::{LinkEvent, LinkSubscription},
};

use crate::{
    analyse::{self, Input},
    motion::events::Change,
    stats::CameraStats,
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
    pub settings: analyse::Settings,
    pub publisher: Publisher,
    pub stats: Arc<Mutex<CameraStats>>,
}

/// Runs until `cancel`: reads, analyses, publishes.
pub(crate) async fn run(camera: Camera, cancel: CancellationToken) {
    let a = &camera.assignment;
    let mut link = LinkSubscription::new(camera.link, camera.key.clone(), a.camera_id, a.role);
    let (pictures, queued) = mpsc::channel(QUEUE);
    let (changes, mut changed) = mpsc::channel(16);
    let (settings, stats) = (camera.settings.clone(), camera.stats.clone());
    let worker = tokio::task::spawn_blocking(move || analyse::run(queued, changes, settings, stats));
    let mut motion = MotionEvent::default();
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            event = link.next(&cancel) => {
                let Some(event) = event else { break };
                if let LinkEvent::Interrupted { reason } = &event {
                    tracing::info!(%reason, "stream interrupted");
                }
                if pictures.send(Input::Link(event)).await.is_err() {
                    break;
                }
            }
            _ = tick.tick() => {
                // A full queue means pictures are coming: no tick is needed.
                let _ = pictures.try_send(Input::Tick(Utc::now().timestamp_micros()));
            }
            Some(change) = changed.recv() => motion.publish(&camera, change).await,
        }
    }
    let _ = pictures.send(Input::Stop).await;
    drop(pictures);
    while let Some(change) = changed.recv().await {
        motion.publish(&camera, change).await;
    }
    if let Err(e) = worker.await {
        tracing::error!(error = %e, "the analysis thread failed");
    }
}

/// The motion event in progress, if any: its id and how many messages went out.
#[derive(Default)]
struct MotionEvent {
    current: Option<(Uuid, u32)>,
}

impl MotionEvent {
    async fn publish(&mut self, camera: &Camera, change: Change) {
        let a = &camera.assignment;
        let (id, seq, start, end, attributes) = match change {
            Change::Started { at_us, area } => {
                let id = Uuid::new_v4();
                self.current = Some((id, 0));
                (id, 0, at_us, None, serde_json::json!({ "box": area, "stream": a.role }))
            }
            Change::Ended { started_us, ended_us, area, peak } => {
                let Some((id, seq)) = self.current.take() else { return };
                let attributes = serde_json::json!({ "box": area, "peak": peak, "stream": a.role });
                (id, seq + 1, started_us, Some(ended_us), attributes)
            }
        };
        let serde_json::Value::Object(attributes) = attributes else { unreachable!("built as an object") };
        let event = Event {
            id,
            tenant_id: a.tenant_id,
            camera_id: Some(a.camera_id),
            kind: "motion".to_owned(),
            start: time(start),
            end: end.map(time),
            attributes,
            seq,
        };
        tracing::debug!(event_id = %id, seq, ended = event.end.is_some(), "motion");
        camera.publisher.publish(event).await;
    }
}

fn time(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}
