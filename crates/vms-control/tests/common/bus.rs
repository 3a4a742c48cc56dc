//! Publishing on the events bus as a source would, for the events tests.

use std::time::Duration;

use async_nats::jetstream;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use vms_bus::{Subjects, events::Event};

/// A JetStream publisher on the test's subjects.
pub struct Bus {
    pub js: jetstream::Context,
    pub subjects: Subjects,
}

impl Bus {
    /// Connects to the test's NATS with `subjects` (control's, from its state).
    pub async fn connect(subjects: &Subjects) -> Self {
        let env = vms_testkit::TestEnv::shared().await;
        let client = async_nats::connect(env.nats_url()).await.unwrap();
        let js = jetstream::new(client);
        vms_bus::events::ensure_stream(&js, subjects).await.unwrap();
        Self { js, subjects: subjects.clone() }
    }

    /// Publishes `event` as a source does (message id = event id, or id:seq).
    pub async fn publish(&self, event: &Event) {
        vms_bus::events::publish(&self.js, &self.subjects, event).await.unwrap();
    }

    /// Publishes `payload` on `subject` with no message id, as a redelivery
    /// or a foreign publisher would.
    pub async fn publish_raw(&self, subject: String, payload: Vec<u8>) {
        self.js.publish(subject, payload.into()).await.unwrap().await.unwrap();
    }
}

/// An event of `kind` on `camera` starting `start_secs` seconds before now.
pub fn event(tenant: Uuid, camera: Option<Uuid>, kind: &str, start_secs: i64, attributes: Value) -> Event {
    Event {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: camera,
        kind: kind.to_owned(),
        start: Utc::now() - chrono::TimeDelta::seconds(start_secs),
        end: None,
        attributes: attributes.as_object().cloned().unwrap_or_default(),
        seq: 0,
    }
}

/// The next message about `event`: ended at `end`, with `attributes` added.
pub fn update(event: &Event, end: DateTime<Utc>, attributes: Value) -> Event {
    let mut next = event.clone();
    next.seq += 1;
    next.end = Some(end);
    for (k, v) in attributes.as_object().cloned().unwrap_or_default() {
        next.attributes.insert(k, v);
    }
    next
}

/// An object event's usual attributes.
pub fn person(zones: &[&str]) -> Value {
    json!({"label": "person", "score": 0.8, "track_id": 3, "zones": zones})
}

/// Polls `check` every 50 ms for at most `within`, panicking with `what`.
pub async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
