//! Running what fired rules ask for, other than webhook calls (queued in
//! the durable outbox as soon as the rule fires): snapshots, event
//! recording, MQTT messages and in-app notifications (on the live feeds),
//! each rule's actions in its order, so an MQTT
//! message sent after a snapshot carries it. [`follow`] tells the recordings
//! and the MQTT bridge when events end.
//!
//! Fired rules wait in a bounded queue ([`ActionQueue`]); what does not fit
//! is counted and dropped rather than holding up the events consumer. At
//! most [`AT_ONCE`] rules are acted on at a time (a snapshot waits on the
//! media plane for up to 10 s).

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use sqlx::PgPool;
use tokio::sync::{Mutex, Semaphore, broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use vms_catalog::{Scope, camera, event::StoredEvent, scope};
use vms_rules::Action;

use super::{engine::Fired, snapshots::Snapshots};
use crate::{mqtt::Bridge, snapshot_api::capture, state::Planes};

/// Fired rules waiting for their actions.
const QUEUE: usize = 10_000;
/// Fired rules acted on at once.
const AT_ONCE: usize = 16;
/// An event whose moment is further back than this has its picture taken
/// from the archive: the media plane's keyframe is of a later moment.
const LIVE_WINDOW: chrono::TimeDelta = chrono::TimeDelta::seconds(10);
/// The widest archive picture the recorder makes.
const ARCHIVE_WIDTH: u32 = 1280;

/// The queue between the events consumer and the actions, kept across
/// restarts of either.
pub struct ActionQueue {
    tx: mpsc::Sender<Fired>,
    rx: Mutex<mpsc::Receiver<Fired>>,
    /// Fired rules dropped because the queue was full.
    pub dropped: AtomicU64,
}

impl Default for ActionQueue {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        Self { tx, rx: Mutex::new(rx), dropped: AtomicU64::new(0) }
    }
}

impl ActionQueue {
    /// Queues a fired rule's actions unless it has none for this module.
    pub fn push(&self, fired: &Fired) {
        if !fired.actions.iter().any(|a| !matches!(a, Action::Webhook { .. })) {
            return;
        }
        if self.tx.try_send(fired.clone()).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(rule = %fired.rule_id, event = %fired.event.id, "too many rule actions waiting; dropping these");
        }
    }
}

/// A rule's in-app notification: sent on the live feeds to those who may
/// read its event.
#[derive(Debug, Clone)]
pub struct Notification {
    /// The rule that fired.
    pub rule_id: uuid::Uuid,
    /// Its name.
    pub rule_name: String,
    /// Its text, if the rule gave one.
    pub message: Option<String>,
    /// The event, as it was when the rule acted.
    pub event: Arc<StoredEvent>,
}

/// What the actions need.
#[derive(Clone)]
pub struct Actor {
    /// The catalog, to read cameras and link snapshots.
    pub db: PgPool,
    /// The planes, to take pictures.
    pub planes: Planes,
    /// The recorders' archives, for pictures of moments past.
    pub archive: crate::state::Archive,
    /// Where pictures are kept.
    pub snapshots: Snapshots,
    /// The live feeds, told when an event gains its snapshot.
    pub feed: broadcast::Sender<Arc<StoredEvent>>,
    /// The MQTT bridge, when one is configured.
    pub mqtt: Option<Arc<Bridge>>,
    /// The events being recorded, until they end.
    pub recordings: Arc<super::recording::Recordings>,
    /// The live feeds' notifications.
    pub notifications: broadcast::Sender<Arc<Notification>>,
}

/// Acts on queued rules until `cancel`.
pub async fn run(actor: Actor, queue: Arc<ActionQueue>, cancel: CancellationToken) -> anyhow::Result<()> {
    let mut rx = queue.rx.lock().await;
    let limit = Arc::new(Semaphore::new(AT_ONCE));
    loop {
        let fired = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            fired = rx.recv() => match fired {
                Some(fired) => fired,
                None => return Ok(()),
            },
        };
        let permit = limit.clone().acquire_owned().await?;
        let actor = actor.clone();
        tokio::spawn(async move {
            actor.act(fired).await;
            drop(permit);
        });
    }
}

/// Tells the recordings and the MQTT bridge of the events that end (the
/// consumer sends them while either waits for an end), so event recordings
/// close and Home Assistant sensors go `OFF`.
pub async fn follow(
    actor: Actor,
    mut updates: broadcast::Receiver<Arc<StoredEvent>>,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    loop {
        let update = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            update = updates.recv() => update,
        };
        match update {
            Ok(event) => {
                if let Some(mqtt) = &actor.mqtt {
                    mqtt.event_changed(&event);
                }
                actor.recordings.event_changed(&actor.planes, &event);
            }
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "missed event updates; some recordings or sensors end only after an hour");
            }
            Err(broadcast::error::RecvError::Closed) => return Ok(()),
        }
    }
}

impl Actor {
    /// Runs one fired rule's actions in order, on the event as it is now
    /// (it may have ended, or gained a snapshot, since the rule fired).
    async fn act(&self, fired: Fired) {
        let Some(mut event) = self.fresh(&fired.event).await else { return };
        for action in &fired.actions {
            match action {
                // One picture per event, whichever rule takes it first.
                Action::Snapshot if event.snapshot.is_some() => {}
                Action::Snapshot => {
                    if let Some(updated) = self.snapshot(&event).await {
                        event = Arc::new(updated);
                        let _ = self.feed.send(event.clone());
                    }
                }
                Action::Mqtt { topic_suffix } => match &self.mqtt {
                    Some(mqtt) => {
                        // Earlier actions take time: the event may have ended meanwhile.
                        let Some(now) = self.fresh(&event).await else { return };
                        event = now;
                        mqtt.publish_event(&event, topic_suffix.as_deref(), &self.snapshots).await;
                        // An end stored meanwhile was not waited for: look again.
                        let Some(now) = self.fresh(&event).await else { return };
                        event = now;
                        mqtt.event_changed(&event);
                    }
                    None => {
                        tracing::warn!(rule = %fired.rule_id, "the rule publishes to MQTT, but no broker is configured (mqtt.url)")
                    }
                },
                // Queued in the outbox when the rule fired.
                Action::Webhook { .. } => {}
                Action::Record { pre_secs, post_secs } => {
                    let started = self.recordings.start(&self.planes, &event, fired.rule_id, *pre_secs, *post_secs);
                    if let Err(why) = started.await {
                        tracing::warn!(rule = %fired.rule_id, event = %event.id, error = %why, "cannot record the event");
                    }
                    // An end stored while the recorder answered was not waited for: look again.
                    let Some(now) = self.fresh(&event).await else { return };
                    event = now;
                    self.recordings.event_changed(&self.planes, &event);
                }
                Action::Notify { message } => {
                    let note = Notification {
                        rule_id: fired.rule_id,
                        rule_name: fired.rule_name.clone(),
                        message: message.clone(),
                        event: event.clone(),
                    };
                    // No feed open, nobody to tell: notifications are live only.
                    let _ = self.notifications.send(Arc::new(note));
                }
            }
        }
    }

    /// The event as it is now; `None` once it is gone. If it cannot be read,
    /// as it was.
    async fn fresh(&self, event: &Arc<StoredEvent>) -> Option<Arc<StoredEvent>> {
        let now = async {
            let mut tx = scope::begin(&self.db, Scope::Tenant(event.tenant_id)).await?;
            vms_catalog::event::get(&mut *tx, event.tenant_id, event.id).await
        };
        match now.await {
            Ok(now) => Some(Arc::new(now)),
            Err(vms_catalog::CatalogError::NotFound { .. }) => None,
            Err(e) => {
                tracing::warn!(event = %event.id, error = %e, "cannot read the event again; acting on it as it was");
                Some(event.clone())
            }
        }
    }

    /// The recorded picture of the camera's main stream at `at` (the
    /// keyframe at or before it), at most [`ARCHIVE_WIDTH`] wide.
    async fn archived(
        &self,
        tenant: uuid::Uuid,
        camera: uuid::Uuid,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<capture::Picture, String> {
        let nodes = async {
            let mut tx = scope::begin(&self.db, Scope::Tenant(tenant)).await?;
            let just_after = at + chrono::TimeDelta::milliseconds(1);
            vms_catalog::recording::nodes_in_window(&mut *tx, camera, "main", at, just_after).await
        };
        let nodes = nodes.await.map_err(|e| format!("no snapshot: cannot read the recordings: {e}"))?;
        let Some(node) = nodes.first() else {
            return Err(format!("no snapshot: nothing is recorded at {}", at.to_rfc3339()));
        };
        let path = format!(
            "/archive/{camera}/main/thumbnail.jpg?tenant={tenant}&at={}&width={ARCHIVE_WIDTH}",
            crate::archive::query_time(at)
        );
        let answer = crate::archive::Call::get(node.as_deref(), path)
            .send(&self.archive)
            .await
            .map_err(|e| format!("no snapshot: {}", e.message()))?;
        let status = answer.status();
        let taken = answer
            .headers()
            .get("x-picture-time")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok())
            .map_or(at, |t| t.with_timezone(&chrono::Utc));
        let body = axum::body::to_bytes(answer.into_body(), 16 << 20).await;
        match body {
            Ok(jpeg) if status.is_success() => Ok(capture::Picture { jpeg: jpeg.to_vec(), captured_at: taken }),
            Ok(_) => Err(format!("no snapshot: the recorder found no picture at {} ({status})", at.to_rfc3339())),
            Err(e) => Err(format!("no snapshot: the recorder's answer broke off: {e}")),
        }
    }

    /// Takes the event camera's picture and links it to the event, or says
    /// on the event why there is none. Returns the event as it is now.
    async fn snapshot(&self, event: &StoredEvent) -> Option<StoredEvent> {
        let tenant = event.tenant_id;
        let taken = match self.picture(event).await {
            Ok(picture) => {
                let path = Snapshots::path_for(tenant, event.id, event.start_time);
                match self.snapshots.write(&path, &picture.jpeg).await {
                    Ok(()) => Ok((path, picture.captured_at)),
                    Err(e) => Err(format!("no snapshot: cannot store it: {e}")),
                }
            }
            Err(reason) => Err(reason),
        };
        let linked = async {
            let mut tx = scope::begin(&self.db, Scope::Tenant(tenant)).await?;
            let now = match &taken {
                Ok((path, at)) => vms_catalog::event::snapshot_taken(&mut tx, tenant, event.id, path, *at).await?,
                Err(reason) => vms_catalog::event::snapshot_failed(&mut tx, tenant, event.id, reason).await?,
            };
            tx.commit().await.map_err(vms_catalog::CatalogError::from)?;
            Ok::<_, vms_catalog::CatalogError>(now)
        };
        let linked = linked.await;
        if let Err(reason) = &taken {
            tracing::info!(event = %event.id, reason, "no snapshot for the event");
        }
        if let (Ok((path, _)), Ok(None) | Err(_)) = (&taken, &linked) {
            // Gone meanwhile, or not linked: the picture must not outlive it.
            let (snapshots, path) = (self.snapshots.clone(), path.clone());
            tokio::task::spawn_blocking(move || snapshots.remove(&[path]));
        }
        linked.unwrap_or_else(|e| {
            tracing::warn!(event = %event.id, error = %e, "cannot link the snapshot to its event");
            None
        })
    }

    /// The picture of the event's camera's main stream, or why there is none.
    async fn picture(&self, event: &StoredEvent) -> Result<capture::Picture, String> {
        let Some(camera_id) = event.camera_id else {
            return Err("no snapshot: the event concerns no camera".into());
        };
        let found = async {
            let mut tx = scope::begin(&self.db, Scope::Tenant(event.tenant_id)).await?;
            camera::get(&mut tx, event.tenant_id, camera_id).await
        };
        let camera = match found.await {
            Ok(camera) => camera,
            Err(vms_catalog::CatalogError::NotFound { .. }) => {
                return Err("no snapshot: the camera was deleted".into());
            }
            Err(e) => return Err(format!("no snapshot: cannot read the camera: {e}")),
        };
        let Some(stream) = camera.streams.iter().find(|s| s.role.as_str() == "main") else {
            return Err("no snapshot: the camera has no main stream".into());
        };
        let moment = moment_of(event);
        if chrono::Utc::now() - moment > LIVE_WINDOW {
            return self.archived(event.tenant_id, camera_id, moment).await;
        }
        capture::capture(&self.planes, camera_id, stream.id, "main").await.map_err(|e| {
            tracing::debug!(event = %event.id, error = ?e, "the media plane gave no picture");
            format!("no snapshot: {}", e.message())
        })
    }
}

/// The moment an event's picture should show: its `best_at` attribute (the
/// analytics plane's best view of the object), else its start.
fn moment_of(event: &StoredEvent) -> chrono::DateTime<chrono::Utc> {
    event
        .attributes
        .get("best_at")
        .and_then(|v| v.as_str())
        .and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok())
        .map_or(event.start_time, |t| t.with_timezone(&chrono::Utc))
}
