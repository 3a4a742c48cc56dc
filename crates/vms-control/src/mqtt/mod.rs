//! The MQTT bridge: what the rules' MQTT action publishes, held in a bounded
//! queue while the broker is away and sent once it is back
//! ([`connection`]), on the topics [`topics`] names, with Home Assistant
//! discovery when asked for.
//!
//! Nothing here blocks the events pipeline: publishing only queues. The
//! queue holds `mqtt.queue_max` messages and [`MAX_QUEUE_BYTES`]; past that
//! the oldest are dropped and counted, and a camera's snapshot replaces the
//! one waiting for the same topic (only the latest matters). A
//! message counts as published once the broker acknowledges it (QoS 1);
//! those handed to the client but not acknowledged when the connection
//! breaks go back to the head of the queue, so delivery is at least once.

pub mod connection;
pub mod topics;

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::Notify;
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::event::StoredEvent;
use vms_config::MqttConfig;

use crate::{event_api::model::EventView, rules::snapshots::Snapshots};

/// The most events whose Home Assistant sensor is `ON`, waiting for their
/// end (beyond, a sensor turns `ON` and straight back `OFF`).
const MAX_OPEN: usize = 10_000;
/// The most bytes queued (snapshots are large).
pub const MAX_QUEUE_BYTES: usize = 256 * 1024 * 1024;
/// The largest message sent (a snapshot of a 4K camera fits); larger ones
/// are dropped and counted.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// The most Home Assistant entities announced (cameras × labels).
const MAX_DISCOVERED: usize = 10_000;

/// One message to publish.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Its topic.
    pub topic: String,
    /// Its payload.
    pub payload: Vec<u8>,
    /// Whether the broker keeps it for later subscribers.
    pub retain: bool,
}

/// How the bridge is doing, for `/api/system`.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct MqttView {
    /// The broker, as configured (no credentials).
    pub broker: String,
    /// Whether the broker accepted the connection and it holds.
    pub connected: bool,
    /// Since when it is connected, or disconnected.
    pub since: Option<DateTime<Utc>>,
    /// Why the last connection failed or broke (e.g. the broker refused
    /// the user name or password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Messages waiting for the broker.
    pub queued: usize,
    /// Messages handed to the broker.
    pub published: u64,
    /// Messages dropped because the queue was full.
    pub dropped: u64,
}

/// Messages waiting for the broker, and their bytes.
#[derive(Default)]
struct Queue {
    items: VecDeque<Outgoing>,
    bytes: usize,
}

impl Queue {
    fn pop_front(&mut self) -> Option<Outgoing> {
        let message = self.items.pop_front()?;
        self.bytes -= message.payload.len();
        Some(message)
    }
}

/// Events whose Home Assistant sensor is `ON`: their state topic.
#[derive(Default)]
struct Sensors {
    on: HashMap<Uuid, String>,
}

/// The bridge's shared half: the queue and what it has done.
pub struct Bridge {
    config: MqttConfig,
    topics: topics::Topics,
    queue: Mutex<Queue>,
    wake: Notify,
    status: Mutex<MqttView>,
    published: AtomicU64,
    dropped: AtomicU64,
    /// Discovery messages sent on this connection.
    discovered: Mutex<HashSet<String>>,
    /// Home Assistant sensors `ON`, and events that ended.
    sensors: Mutex<Sensors>,
}

impl Bridge {
    /// The bridge of `config` on node `server`, or `None` when no broker is configured.
    pub fn new(config: &MqttConfig, server: &str) -> Option<Arc<Self>> {
        let url = config.url.clone()?;
        Some(Arc::new(Self {
            topics: topics::Topics {
                prefix: config.topic_prefix.clone(),
                server: server.to_owned(),
                discovery: config.discovery_prefix.clone(),
            },
            config: config.clone(),
            queue: Mutex::default(),
            wake: Notify::new(),
            status: Mutex::new(MqttView { broker: url, ..Default::default() }),
            published: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            discovered: Mutex::default(),
            sensors: Mutex::default(),
        }))
    }

    /// How it is doing now.
    pub fn view(&self) -> MqttView {
        let mut view = self.status.lock().expect("mqtt status lock").clone();
        view.queued = self.queue.lock().expect("mqtt queue lock").items.len();
        view.published = self.published.load(Ordering::Relaxed);
        view.dropped = self.dropped.load(Ordering::Relaxed);
        view
    }

    /// Queues a message, dropping the oldest when full.
    pub fn push(&self, message: Outgoing) {
        self.queue_up(message, false);
    }

    /// Queues a message that makes any waiting for the same topic pointless
    /// (a camera's latest snapshot): it replaces them.
    fn push_latest(&self, message: Outgoing) {
        self.queue_up(message, true);
    }

    fn queue_up(&self, message: Outgoing, replace: bool) {
        if message.payload.len() > MAX_MESSAGE_BYTES {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(topic = %message.topic, bytes = message.payload.len(), "an MQTT message too large to send; dropped");
            return;
        }
        let mut queue = self.queue.lock().expect("mqtt queue lock");
        if replace
            && let Some(at) = queue.items.iter().position(|m| m.topic == message.topic)
            && let Some(old) = queue.items.remove(at)
        {
            queue.bytes -= old.payload.len();
        }
        while queue.items.len() >= self.config.queue_max as usize
            || (!queue.items.is_empty() && queue.bytes + message.payload.len() > MAX_QUEUE_BYTES)
        {
            queue.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        queue.bytes += message.payload.len();
        queue.items.push_back(message);
        drop(queue);
        self.wake.notify_one();
    }

    fn push_json(&self, topic: String, body: &serde_json::Value, retain: bool) {
        self.push(Outgoing { topic, payload: body.to_string().into_bytes(), retain });
    }

    /// Publishes a stored event for a rule: its JSON (as the API shows it)
    /// on its topic; with Home Assistant discovery, its camera's sensor
    /// for its label and, when it has one, its snapshot.
    pub async fn publish_event(&self, event: &StoredEvent, suffix: Option<&str>, snapshots: &Snapshots) {
        let body = serde_json::to_value(EventView::from(event.clone())).expect("events serialise");
        self.push_json(self.topics.event(event, suffix), &body, false);
        if !self.config.home_assistant {
            return;
        }
        let label = topics::label_of(event);
        if let Some((topic, config)) = self.topics.sensor_config(event, &label)
            && self.discover(topic, &config)
        {
            let state = self.topics.state(event, &label);
            self.push(Outgoing { topic: state.clone(), payload: b"ON".to_vec(), retain: true });
            // An event that has ended (perhaps while its rule waited) pulses;
            // one going on stays ON until `event_changed` sees its end.
            let mut sensors = self.sensors.lock().expect("mqtt sensors lock");
            let stays_on = event.end_time.is_none() && sensors.on.len() < MAX_OPEN;
            if stays_on {
                sensors.on.insert(event.id, state);
            } else {
                drop(sensors);
                self.push(Outgoing { topic: state, payload: b"OFF".to_vec(), retain: true });
            }
        }
        if let (Some(path), Some((topic, config))) = (&event.snapshot, self.topics.image_config(event)) {
            match snapshots.read(path).await {
                Ok(jpeg) if self.discover(topic, &config) => {
                    self.push_latest(Outgoing { topic: self.topics.snapshot(event), payload: jpeg, retain: true });
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(event = %event.id, error = %e, "cannot read the snapshot to publish"),
            }
        }
    }

    /// Sends a discovery message once per connection (and the entity's
    /// messages with it). `false` once [`MAX_DISCOVERED`] entities are
    /// announced: a new one is left out.
    fn discover(&self, topic: String, config: &serde_json::Value) -> bool {
        let mut discovered = self.discovered.lock().expect("mqtt discovered lock");
        if discovered.contains(&topic) {
            return true;
        }
        if discovered.len() >= MAX_DISCOVERED {
            tracing::warn!(%topic, "too many Home Assistant entities; not announcing more");
            return false;
        }
        discovered.insert(topic.clone());
        drop(discovered);
        self.push_json(topic, config, true);
        true
    }

    /// Whether a Home Assistant sensor is `ON`, waiting for its event's end.
    pub fn awaiting_ends(&self) -> bool {
        !self.sensors.lock().expect("mqtt sensors lock").on.is_empty()
    }

    /// Whether a sensor waits for the end of `event`.
    pub fn awaits(&self, event: Uuid) -> bool {
        self.sensors.lock().expect("mqtt sensors lock").on.contains_key(&event)
    }

    /// Turns a Home Assistant sensor `OFF` when its event ends.
    pub fn event_changed(&self, event: &StoredEvent) {
        if event.end_time.is_none() {
            return;
        }
        let state = self.sensors.lock().expect("mqtt sensors lock").on.remove(&event.id);
        if let Some(state) = state {
            self.push(Outgoing { topic: state, payload: b"OFF".to_vec(), retain: true });
        }
    }

    fn next(&self) -> Option<Outgoing> {
        self.queue.lock().expect("mqtt queue lock").pop_front()
    }

    /// Puts messages the broker did not acknowledge back at the head of the
    /// queue, in their order.
    fn requeue(&self, messages: Vec<Outgoing>) {
        if messages.is_empty() {
            return;
        }
        let mut queue = self.queue.lock().expect("mqtt queue lock");
        for message in messages.into_iter().rev() {
            queue.bytes += message.payload.len();
            queue.items.push_front(message);
        }
        drop(queue);
        self.wake.notify_one();
    }

    fn connected(&self, error: Option<String>) {
        let mut status = self.status.lock().expect("mqtt status lock");
        let connected = error.is_none();
        if status.connected != connected || status.since.is_none() {
            status.since = Some(Utc::now());
        }
        status.connected = connected;
        if error.is_some() {
            status.last_error = error;
        }
        if connected {
            // The broker may have lost retained messages: send discovery again.
            self.discovered.lock().expect("mqtt discovered lock").clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(n: u8) -> Outgoing {
        Outgoing { topic: format!("t/{n}"), payload: vec![n], retain: false }
    }

    #[test]
    fn a_full_queue_drops_its_oldest_and_counts_them() {
        let config = MqttConfig { url: Some("mqtt://broker".into()), queue_max: 2, ..Default::default() };
        let bridge = Bridge::new(&config, "node").unwrap();
        for n in 1..=3 {
            bridge.push(message(n));
        }
        let view = bridge.view();
        assert_eq!((view.queued, view.dropped, view.connected), (2, 1, false));
        assert_eq!(bridge.next().unwrap().topic, "t/2");
        assert_eq!(bridge.next().unwrap().topic, "t/3");
        assert!(bridge.next().is_none());
        assert!(Bridge::new(&MqttConfig::default(), "node").is_none(), "no URL, no bridge");
    }

    #[test]
    fn only_the_latest_snapshot_waits_and_unacknowledged_messages_go_first() {
        let config = MqttConfig { url: Some("mqtt://broker".into()), ..Default::default() };
        let bridge = Bridge::new(&config, "node").unwrap();
        let picture = |n: u8| Outgoing { topic: "cam/_snapshot".into(), payload: vec![n; 10], retain: true };
        bridge.push_latest(picture(1));
        bridge.push(message(7));
        bridge.push_latest(picture(2));
        bridge.push(Outgoing { retain: true, ..message(8) });
        bridge.push(Outgoing { retain: true, ..message(8) });
        assert_eq!(bridge.view().queued, 4, "states are never merged, pictures are");
        bridge.requeue(vec![message(5), message(6)]);
        let order: Vec<String> = std::iter::from_fn(|| bridge.next()).map(|m| m.topic).collect();
        assert_eq!(order, ["t/5", "t/6", "t/7", "cam/_snapshot", "t/8", "t/8"]);
        assert_eq!(bridge.queue.lock().unwrap().bytes, 0);
        let huge = Outgoing { payload: vec![0; MAX_MESSAGE_BYTES + 1], ..message(9) };
        bridge.push(huge);
        assert_eq!((bridge.view().queued, bridge.view().dropped), (0, 1), "too large to send: dropped");
    }
}
