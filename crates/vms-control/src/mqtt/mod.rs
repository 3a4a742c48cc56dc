//! The MQTT bridge: what the rules' MQTT action publishes, held in a bounded
//! queue while the broker is away and sent once it is back
//! ([`connection`]), on the topics [`topics`] names, with Home Assistant
//! discovery when asked for.
//!
//! Nothing here blocks the events pipeline: publishing only queues. The
//! queue holds `mqtt.queue_max` messages; past that the oldest is dropped
//! and counted. Messages handed to the client just before the connection
//! broke (at most [`connection::IN_FLIGHT`]) are sent again on reconnection.

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

/// The most events whose Home Assistant sensor is `ON`, waiting for their end.
const MAX_OPEN: usize = 10_000;

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

/// The bridge's shared half: the queue and what it has done.
pub struct Bridge {
    config: MqttConfig,
    topics: topics::Topics,
    queue: Mutex<VecDeque<Outgoing>>,
    wake: Notify,
    status: Mutex<MqttView>,
    published: AtomicU64,
    dropped: AtomicU64,
    /// Discovery messages sent on this connection.
    discovered: Mutex<HashSet<String>>,
    /// Events whose sensor is `ON`: their state topic.
    open: Mutex<HashMap<Uuid, String>>,
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
            open: Mutex::default(),
        }))
    }

    /// How it is doing now.
    pub fn view(&self) -> MqttView {
        let mut view = self.status.lock().expect("mqtt status lock").clone();
        view.queued = self.queue.lock().expect("mqtt queue lock").len();
        view.published = self.published.load(Ordering::Relaxed);
        view.dropped = self.dropped.load(Ordering::Relaxed);
        view
    }

    /// Queues a message, dropping the oldest when full.
    pub fn push(&self, message: Outgoing) {
        let mut queue = self.queue.lock().expect("mqtt queue lock");
        while queue.len() >= self.config.queue_max as usize {
            queue.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        queue.push_back(message);
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
        if let Some((topic, config)) = self.topics.sensor_config(event, &label) {
            self.discover(topic, &config);
            let state = self.topics.state(event, &label);
            if event.end_time.is_none() {
                let mut open = self.open.lock().expect("mqtt open lock");
                if open.len() < MAX_OPEN {
                    open.insert(event.id, state.clone());
                }
            }
            self.push(Outgoing { topic: state.clone(), payload: b"ON".to_vec(), retain: true });
            if event.end_time.is_some() {
                self.push(Outgoing { topic: state, payload: b"OFF".to_vec(), retain: true });
            }
        }
        if let (Some(path), Some((topic, config))) = (&event.snapshot, self.topics.image_config(event)) {
            match snapshots.read(path).await {
                Ok(jpeg) => {
                    self.discover(topic, &config);
                    self.push(Outgoing { topic: self.topics.snapshot(event), payload: jpeg, retain: true });
                }
                Err(e) => tracing::warn!(event = %event.id, error = %e, "cannot read the snapshot to publish"),
            }
        }
    }

    /// Sends a discovery message once per connection.
    fn discover(&self, topic: String, config: &serde_json::Value) {
        if self.discovered.lock().expect("mqtt discovered lock").insert(topic.clone()) {
            self.push_json(topic, config, true);
        }
    }

    /// Turns a Home Assistant sensor `OFF` when its event ends.
    pub fn event_changed(&self, event: &StoredEvent) {
        if event.end_time.is_none() {
            return;
        }
        let state = self.open.lock().expect("mqtt open lock").remove(&event.id);
        if let Some(state) = state {
            self.push(Outgoing { topic: state, payload: b"OFF".to_vec(), retain: true });
        }
    }

    fn next(&self) -> Option<Outgoing> {
        self.queue.lock().expect("mqtt queue lock").pop_front()
    }

    fn put_back(&self, message: Outgoing) {
        self.queue.lock().expect("mqtt queue lock").push_front(message);
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
}
