//! The rules' record action: the event's camera records around the event.
//!
//! Control asks the recorders that report (`Recorder.StartEvent`) to open
//! the event on the camera's main stream with the rule's buffers; the one
//! that records the stream takes it, the others answer NOT_FOUND. When the
//! event ends (seen among the stored updates) or had already ended, control
//! closes it (`StopEvent`) and the recorder goes on for the post-buffer. An
//! event whose end never comes is closed by the recorder itself an hour
//! after it opened.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use uuid::Uuid;
use vms_base::{ErrorCode, Plane};
use vms_catalog::event::StoredEvent;
use vms_proto::v1::{EventRequest, recorder_client::RecorderClient};

use crate::state::Planes;

/// How long a recorder gets to answer.
const ASK_WITHIN: Duration = Duration::from_secs(5);
/// The most events recorded at once, waiting for their end.
const MAX_OPEN: usize = 10_000;

/// An event a recorder records: where, and under which name.
#[derive(Debug, Clone)]
struct Opened {
    request: EventRequest,
    recorder: String,
}

/// The events being recorded for rules, by event id.
#[derive(Debug, Default)]
pub struct Recordings {
    open: Mutex<HashMap<Uuid, Vec<Opened>>>,
}

impl Recordings {
    /// Whether an event recording waits for its event's end.
    pub fn awaiting_ends(&self) -> bool {
        !self.open.lock().expect("recordings lock").is_empty()
    }

    /// Whether a recording waits for the end of `event`.
    pub fn awaits(&self, event: Uuid) -> bool {
        self.open.lock().expect("recordings lock").contains_key(&event)
    }

    /// Opens `event` for `rule` on its camera's main stream, keeping
    /// `pre_secs` before and `post_secs` after it; closes it at once if it
    /// has ended, else waits for its end ([`event_changed`](Self::event_changed):
    /// the caller reads the event again afterwards, for an end that came
    /// meanwhile). Returns why it could not be recorded, if it could not.
    pub async fn start(
        &self,
        planes: &Planes,
        event: &StoredEvent,
        rule: Uuid,
        pre_secs: u32,
        post_secs: u32,
    ) -> Result<(), String> {
        let camera = event.camera_id.ok_or("the event concerns no camera")?;
        {
            let open = self.open.lock().expect("recordings lock");
            if event.end_time.is_none() && open.len() >= MAX_OPEN && !open.contains_key(&event.id) {
                return Err(format!("{MAX_OPEN} event recordings are open already"));
            }
        }
        let request = EventRequest {
            camera_id: camera.to_string(),
            stream: "main".to_owned(),
            event_id: format!("rule-{rule}-event-{}", event.id),
            pre_secs,
            post_secs,
        };
        let mut refusals = Vec::new();
        for recorder in recorders(planes) {
            match ask(planes, &recorder, request.clone(), true).await {
                Ok(()) => {
                    let opened = Opened { request, recorder };
                    if event.end_time.is_some() {
                        stop(planes, &opened).await;
                    } else {
                        self.open.lock().expect("recordings lock").entry(event.id).or_default().push(opened);
                    }
                    return Ok(());
                }
                Err(None) => {}
                Err(Some(why)) => refusals.push(why),
            }
        }
        Err(match refusals.is_empty() {
            true => format!("no recorder records camera {camera}'s main stream"),
            false => refusals.join("; "),
        })
    }

    /// Closes the recordings of `event` once it has ended (in the
    /// background: a recorder may take seconds to answer).
    pub fn event_changed(&self, planes: &Planes, event: &StoredEvent) {
        if event.end_time.is_none() {
            return;
        }
        let Some(opened) = self.open.lock().expect("recordings lock").remove(&event.id) else { return };
        let planes = planes.clone();
        tokio::spawn(async move {
            for o in &opened {
                stop(&planes, o).await;
            }
        });
    }
}

/// The gRPC addresses of the recorders reporting now.
fn recorders(planes: &Planes) -> Vec<String> {
    let stale = Duration::from_secs(planes.config.control.plane_stale_after_secs.into());
    planes
        .registry
        .snapshot()
        .into_iter()
        .filter(|p| p.report.plane == Plane::Recorder && p.age < stale)
        .map(|p| p.report.grpc_addr.clone())
        .collect()
}

async fn stop(planes: &Planes, opened: &Opened) {
    if let Err(Some(why)) = ask(planes, &opened.recorder, opened.request.clone(), false).await {
        tracing::warn!(event = %opened.request.event_id, error = %why, "cannot close an event recording; the recorder ends it after an hour");
    }
}

/// Starts (or stops) an event on one recorder: `Err(None)` when it does
/// not record that stream, `Err(Some(why))` when it failed.
async fn ask(planes: &Planes, addr: &str, request: EventRequest, start: bool) -> Result<(), Option<String>> {
    let channel = planes.channels.to(addr).map_err(|e| Some(e.message().to_owned()))?;
    let mut client = RecorderClient::with_interceptor(channel, planes.internal_secret.client());
    let call = async {
        if start { client.start_event(request).await.map(drop) } else { client.stop_event(request).await.map(drop) }
    };
    match tokio::time::timeout(ASK_WITHIN, call).await {
        Err(_) => Err(Some(format!("the recorder at {addr} did not answer in time"))),
        Ok(Ok(())) => Ok(()),
        Ok(Err(status)) if vms_proto::status::error_code(&status) == ErrorCode::NotFound => Err(None),
        Ok(Err(status)) => Err(Some(format!("the recorder at {addr} refused: {}", status.message()))),
    }
}
