//! Events on the bus (docs/ref/events.md): the message every source
//! publishes, the JetStream stream that keeps them until control has stored
//! them, and a publisher that rides out a NATS outage.
//!
//! An event is published when it starts and again, with the same id and a
//! higher `seq`, when it changes or ends. The JetStream message id is the
//! event id for the first message and `<id>:<seq>` for the later ones, so a
//! publisher retrying after a lost acknowledgement never doubles a message,
//! while an update is never mistaken for a duplicate.

use std::{collections::VecDeque, sync::Arc, time::Duration};

use async_nats::jetstream;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, Notify};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::Subjects;

/// How long JetStream recognises a repeated message id.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);
/// How long the stream keeps an event nobody has consumed.
const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);
/// The most the stream holds on disk.
const MAX_BYTES: i64 = 1 << 30;

/// One event message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The event's id: the same in every message about it.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// The camera it concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_id: Option<Uuid>,
    /// What happened (`motion`, `object`, `line_crossed`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// What the source knows about it (label, score, box, zones, …).
    #[serde(default)]
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// 0 for the first message about the event, then 1, 2, … for each update.
    #[serde(default)]
    pub seq: u32,
}

impl Event {
    /// The JetStream message id: the event id, then `<id>:<seq>` for updates.
    pub fn message_id(&self) -> String {
        if self.seq == 0 { self.id.to_string() } else { format!("{}:{}", self.id, self.seq) }
    }

    /// The subject it travels on.
    pub fn subject(&self, subjects: &Subjects) -> String {
        let camera = self.camera_id.map(|c| c.to_string()).unwrap_or_else(|| "none".to_owned());
        subjects.event(&self.tenant_id.to_string(), &camera, &self.kind)
    }
}

/// The name of the stream holding the events under `subjects`' prefix.
pub fn stream_name(subjects: &Subjects) -> String {
    let prefix: String = subjects
        .prefix()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
        .collect();
    format!("{prefix}_EVENTS")
}

/// Creates the events stream (file storage) if it is missing; every
/// publisher and consumer calls this, so whichever starts first makes it.
pub async fn ensure_stream(js: &jetstream::Context, subjects: &Subjects) -> anyhow::Result<jetstream::stream::Stream> {
    let config = jetstream::stream::Config {
        name: stream_name(subjects),
        subjects: vec![subjects.all_events()],
        storage: jetstream::stream::StorageType::File,
        max_age: MAX_AGE,
        max_bytes: MAX_BYTES,
        duplicate_window: DUPLICATE_WINDOW,
        discard: jetstream::stream::DiscardPolicy::Old,
        ..Default::default()
    };
    js.get_or_create_stream(config).await.map_err(|e| anyhow::anyhow!("cannot open the events stream: {e}"))
}

/// The name of the stream keeping the messages the events consumer could
/// not use (`<PREFIX>_EVENTS_DEAD`), for an operator to inspect.
pub fn dead_letter_stream_name(subjects: &Subjects) -> String {
    format!("{}_DEAD", stream_name(subjects))
}

/// The subject of rejected messages: `<prefix>.dead.events`.
pub fn dead_letter_subject(subjects: &Subjects) -> String {
    format!("{}.dead.events", subjects.prefix())
}

/// The header saying why a message was rejected.
pub const REJECTED_BECAUSE: &str = "Vms-Rejected-Because";
/// The header naming the subject a rejected message came on.
pub const REJECTED_SUBJECT: &str = "Vms-Rejected-Subject";

/// Creates the dead-letter stream (file storage, 7 days or 64 MiB) if it is missing.
pub async fn ensure_dead_letter_stream(
    js: &jetstream::Context,
    subjects: &Subjects,
) -> anyhow::Result<jetstream::stream::Stream> {
    let config = jetstream::stream::Config {
        name: dead_letter_stream_name(subjects),
        subjects: vec![dead_letter_subject(subjects)],
        storage: jetstream::stream::StorageType::File,
        max_age: MAX_AGE,
        max_bytes: 64 << 20,
        discard: jetstream::stream::DiscardPolicy::Old,
        ..Default::default()
    };
    js.get_or_create_stream(config).await.map_err(|e| anyhow::anyhow!("cannot open the dead-letter stream: {e}"))
}

/// Counters a publisher keeps, for the plane's status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublisherStats {
    /// Messages JetStream has acknowledged.
    pub published: u64,
    /// Messages waiting (NATS away, or a burst).
    pub queued: usize,
    /// Messages dropped because the queue was full: the only loss.
    pub dropped: u64,
}

/// Publishes events to JetStream in order, retrying until each is
/// acknowledged. While NATS is away messages wait in a queue of at most
/// `capacity`; beyond that the oldest are dropped and counted.
#[derive(Clone)]
pub struct Publisher {
    shared: Arc<Shared>,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Notify,
    capacity: usize,
}

#[derive(Default)]
struct Queue {
    events: VecDeque<Event>,
    stats: PublisherStats,
}

impl Publisher {
    /// Starts publishing on `nats` until `cancel`; once cancelled it keeps
    /// trying for `drain` to deliver what is queued.
    pub fn start(
        nats: async_nats::Client,
        subjects: Subjects,
        capacity: usize,
        cancel: CancellationToken,
        drain: Duration,
    ) -> (Self, tokio::task::JoinHandle<()>) {
        let shared =
            Arc::new(Shared { queue: Mutex::new(Queue::default()), ready: Notify::new(), capacity: capacity.max(1) });
        let task = tokio::spawn(run(shared.clone(), jetstream::new(nats), subjects, cancel, drain));
        (Self { shared }, task)
    }

    /// Queues `event`; never waits for NATS.
    pub async fn publish(&self, event: Event) {
        let mut queue = self.shared.queue.lock().await;
        if queue.events.len() >= self.shared.capacity
            && let Some(dropped) = queue.events.pop_front()
        {
            queue.stats.dropped += 1;
            tracing::error!(event_id = %dropped.id, kind = %dropped.kind, "event queue full: dropped the oldest event");
        }
        queue.events.push_back(event);
        drop(queue);
        self.shared.ready.notify_one();
    }

    /// The counters so far.
    pub async fn stats(&self) -> PublisherStats {
        let queue = self.shared.queue.lock().await;
        PublisherStats { queued: queue.events.len(), ..queue.stats }
    }
}

async fn run(
    shared: Arc<Shared>,
    js: jetstream::Context,
    subjects: Subjects,
    cancel: CancellationToken,
    drain: Duration,
) {
    let mut backoff = vms_base::backoff::Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
    let mut stream_ready = false;
    let deadline = async {
        cancel.cancelled().await;
        tokio::time::sleep(drain).await;
    };
    tokio::pin!(deadline);
    loop {
        let next = shared.queue.lock().await.events.front().cloned();
        let Some(event) = next else {
            tokio::select! {
                _ = shared.ready.notified() => continue,
                _ = cancel.cancelled() => return,
            }
        };
        let attempt = async {
            if !stream_ready {
                ensure_stream(&js, &subjects).await?;
                stream_ready = true;
            }
            publish(&js, &subjects, &event).await
        };
        let outcome = tokio::select! {
            outcome = attempt => outcome,
            _ = &mut deadline => {
                let left = shared.queue.lock().await.events.len();
                tracing::error!(left, "stopping with events not yet on the bus");
                return;
            }
        };
        match outcome {
            Ok(()) => {
                backoff.reset();
                let mut queue = shared.queue.lock().await;
                // The front is still this event unless the queue overflowed meanwhile.
                if queue.events.front().is_some_and(|e| e.id == event.id && e.seq == event.seq) {
                    queue.events.pop_front();
                }
                queue.stats.published += 1;
            }
            Err(e) => {
                stream_ready = false;
                let wait = backoff.next_delay();
                tracing::warn!(error = %format!("{e:#}"), retry_in = ?wait, "cannot publish an event yet");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = &mut deadline => return,
                }
            }
        }
    }
}

/// Publishes one message and waits (at most 5 s) for JetStream's
/// acknowledgement: for a source that answers its own caller, such as the
/// API posting an integration's event.
pub async fn publish(js: &jetstream::Context, subjects: &Subjects, event: &Event) -> anyhow::Result<()> {
    let mut headers = async_nats::HeaderMap::new();
    headers.insert(async_nats::header::NATS_MESSAGE_ID, event.message_id().as_str());
    let payload = serde_json::to_vec(event)?;
    let ack = js
        .publish_with_headers(event.subject(subjects), headers, payload.into())
        .await
        .map_err(|e| anyhow::anyhow!("publish failed: {e}"))?;
    tokio::time::timeout(Duration::from_secs(5), ack)
        .await
        .map_err(|_| anyhow::anyhow!("JetStream did not acknowledge in time"))?
        .map_err(|e| anyhow::anyhow!("JetStream refused the event: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_tell_updates_apart() {
        let id = Uuid::nil();
        let mut event = Event {
            id,
            tenant_id: id,
            camera_id: None,
            kind: "motion".into(),
            start: DateTime::UNIX_EPOCH,
            end: None,
            attributes: Default::default(),
            seq: 0,
        };
        assert_eq!(event.message_id(), id.to_string());
        event.seq = 2;
        assert_eq!(event.message_id(), format!("{id}:2"));
        assert_eq!(event.subject(&Subjects::new("t")), format!("t.events.{id}.none.motion"));
        assert_eq!(stream_name(&Subjects::new("t-1.x")), "T_1_X_EVENTS");
    }

    #[test]
    fn the_message_is_the_documented_json() {
        let json = r#"{"id":"00000000-0000-0000-0000-000000000001","tenant_id":"00000000-0000-0000-0000-000000000002",
            "camera_id":"00000000-0000-0000-0000-000000000003","type":"motion","start":"2026-12-01T10:00:00Z",
            "attributes":{"peak":0.2}}"#;
        let event: Event = serde_json::from_str(json).unwrap();
        assert_eq!(event.kind, "motion");
        assert_eq!(event.seq, 0);
        assert!(event.end.is_none());
        let back = serde_json::to_value(&event).unwrap();
        assert_eq!(back["type"], "motion");
        assert!(back.get("end").is_none());
    }
}
