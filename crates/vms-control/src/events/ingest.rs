//! The events consumer: a durable JetStream consumer that stores every
//! message in PostgreSQL and acknowledges it only once it is committed.
//!
//! Messages are taken as they arrive, in batches of what is already waiting
//! (at most [`MAX_BATCH`]), so a quiet bus costs one small transaction per
//! event and a busy one few large ones. While the database is away the batch
//! is retried with backoff and nothing more is taken: the stream keeps the
//! rest. Storing is idempotent (see `vms_catalog::event::store`), so a batch
//! redelivered after a crash or a lost acknowledgement stores nothing twice.
//! A message that cannot be stored (malformed, out of bounds, naming an
//! unknown tenant or camera, or refused by the database) goes to the
//! dead-letter stream with the reason, and is acknowledged: it never blocks
//! the others.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use async_nats::jetstream::{self, consumer::pull, message::Message};
use futures::{FutureExt, StreamExt};
use sqlx::PgPool;
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;
use vms_base::backoff::Backoff;
use vms_bus::{Subjects, events as bus};
use vms_catalog::{
    CatalogError, Scope,
    event::{
        StoredEvent,
        store::{self, EventMessage, Stored},
    },
    scope,
};

use super::{
    check::{self, Rejection},
    directory::Directory,
};

/// The durable consumer's name.
pub const CONSUMER: &str = "control";
/// The most messages stored in one transaction.
pub const MAX_BATCH: usize = 1000;
/// How long JetStream waits for an acknowledgement before delivering again
/// (to this or the next control, after a crash).
const ACK_WAIT: Duration = Duration::from_secs(10);

/// What the consumer has done, for `/api/system`.
#[derive(Debug, Default)]
pub struct IngestStats {
    /// Events stored for the first time.
    pub stored: AtomicU64,
    /// Messages that updated a stored event.
    pub updated: AtomicU64,
    /// Messages that changed nothing (seen before, or overtaken by a later one).
    pub unchanged: AtomicU64,
    /// Messages sent to the dead-letter stream.
    pub rejected: AtomicU64,
    /// The last reason the database could not take a batch, cleared on success.
    pub last_error: Mutex<Option<String>>,
}

/// Consumes the events stream until `cancel`. Returns an error when NATS
/// fails (the supervisor starts it again); database failures are waited out.
pub async fn run(
    db: PgPool,
    events: super::Events,
    subjects: Subjects,
    mut catalog: watch::Receiver<u64>,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let js = jetstream::new(events.nats.clone());
    let stream = bus::ensure_stream(&js, &subjects).await?;
    bus::ensure_dead_letter_stream(&js, &subjects).await?;
    let consumer: jetstream::consumer::PullConsumer = stream
        .get_or_create_consumer(
            CONSUMER,
            pull::Config {
                durable_name: Some(CONSUMER.to_owned()),
                description: Some("control stores every event in PostgreSQL".to_owned()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: ACK_WAIT,
                max_ack_pending: 20_000,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the events consumer: {e}"))?;
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(MAX_BATCH)
        .messages()
        .await
        .map_err(|e| anyhow::anyhow!("cannot consume events: {e}"))?;
    let mut ingest = Ingest {
        db,
        js,
        subjects,
        directory: Directory::default(),
        stats: events.stats.clone(),
        feed: events.feed.clone(),
        engine: Default::default(),
        wake: events.webhooks_wake.clone(),
        actions: events.actions.clone(),
        ends: events.ends.clone(),
        recordings: events.recordings.clone(),
        mqtt: events.mqtt.clone(),
        metrics: events.metrics.clone(),
        cancel: cancel.clone(),
    };
    catalog.mark_unchanged();
    if !ingest.reload_directory().await {
        return Ok(());
    }
    tracing::info!("consuming events");
    let mut rules_tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        let first = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = rules_tick.tick() => {
                ingest.rules_tick().await;
                continue;
            }
            changed = catalog.changed() => {
                if changed.is_ok() && !ingest.reload_directory().await {
                    return Ok(());
                }
                continue;
            }
            next = messages.next() => next,
        };
        let Some(first) = first else { anyhow::bail!("the events consumer ended") };
        let mut batch = vec![first.map_err(|e| anyhow::anyhow!("events consumer failed: {e}"))?];
        // Whatever else has already arrived joins the batch; nothing waits.
        while batch.len() < MAX_BATCH {
            match messages.next().now_or_never() {
                Some(Some(message)) => batch.push(message.map_err(|e| anyhow::anyhow!("events consumer failed: {e}"))?),
                Some(None) | None => break,
            }
        }
        if !ingest.handle(batch).await? {
            return Ok(());
        }
    }
}

struct Ingest {
    db: PgPool,
    js: jetstream::Context,
    subjects: Subjects,
    directory: Directory,
    stats: Arc<IngestStats>,
    feed: broadcast::Sender<Arc<StoredEvent>>,
    engine: crate::rules::engine::Engine,
    wake: Arc<tokio::sync::Notify>,
    actions: Arc<crate::rules::actions::ActionQueue>,
    /// Ended events, for the actions waiting on them.
    ends: broadcast::Sender<Arc<StoredEvent>>,
    recordings: Arc<crate::rules::recording::Recordings>,
    mqtt: Option<Arc<crate::mqtt::Bridge>>,
    metrics: Arc<super::metrics::EventMetrics>,
    cancel: CancellationToken,
}

impl Ingest {
    /// Reloads tenants and cameras, waiting out the database; `false` once cancelled.
    async fn reload_directory(&mut self) -> bool {
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
        loop {
            match self.directory.reload(&self.db).await {
                Ok(()) => return true,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the cameras events may concern; retrying");
                    if !self.pause(&mut backoff).await {
                        return false;
                    }
                }
            }
        }
    }

    /// Stores a batch, dead-letters what cannot be stored, hands what changed
    /// to the feeds and rules, then acknowledges every message. `Ok(false)`
    /// once cancelled (nothing acknowledged).
    async fn handle(&mut self, batch: Vec<Message>) -> anyhow::Result<bool> {
        let began = Instant::now();
        let mut accepted: Vec<(usize, EventMessage)> = Vec::with_capacity(batch.len());
        let mut rejected: Vec<(usize, Rejection)> = Vec::new();
        for (i, message) in batch.iter().enumerate() {
            match self.accept(message, began).await {
                Ok(row) => accepted.push((i, row)),
                Err(why) => rejected.push((i, why)),
            }
        }
        if self.cancel.is_cancelled() {
            // A rejection may stem from a reload cut short: acknowledge nothing.
            return Ok(false);
        }
        for (_, event) in &accepted {
            self.metrics.accepted(&event.kind);
        }
        let accepted_in = began.elapsed();
        let Some((stored, refused)) = self.store(accepted).await else { return Ok(false) };
        let committed_in = began.elapsed();
        rejected.extend(refused);
        for (i, why) in &rejected {
            self.dead_letter(&batch[*i], why).await?;
        }
        // The feeds and rules before the acknowledgements: a crash between
        // the commit and the rules' queued calls delivers the batch again,
        // it counts as changed again, and the calls are queued then (once:
        // queueing is idempotent).
        self.after_store(&stored.changed).await;
        for message in &batch {
            message.ack().await.map_err(|e| anyhow::anyhow!("cannot acknowledge an event: {e}"))?;
        }
        let applied = stored.inserted + stored.updated;
        let unchanged = ((batch.len() - rejected.len()) as u64).saturating_sub(applied);
        self.stats.stored.fetch_add(stored.inserted, Ordering::Relaxed);
        self.stats.updated.fetch_add(stored.updated, Ordering::Relaxed);
        self.stats.unchanged.fetch_add(unchanged, Ordering::Relaxed);
        self.stats.rejected.fetch_add(rejected.len() as u64, Ordering::Relaxed);
        let stored_in = began.elapsed();
        tracing::debug!(messages = batch.len(), accepted_in = ?accepted_in, committed_in = ?committed_in, stored_in = ?stored_in, total = ?began.elapsed(), "batch handled");
        Ok(true)
    }

    /// Hands what a batch changed to the live feeds (if any is open), to
    /// the rules (if any tenant has one), and its ended events to the
    /// actions waiting for ends (event recordings, Home Assistant sensors).
    /// A read that fails leaves the feeds to catch up from the database,
    /// and the rules without those events. With none of them, nothing is
    /// read back: storing alone is the fast path.
    async fn after_store(&mut self, changed: &[uuid::Uuid]) {
        if let Err(e) = self.engine.refresh(&self.db).await {
            tracing::warn!(error = %e, "cannot read the rules; keeping the ones held");
        }
        let feeds = self.feed.receiver_count() > 0;
        let ends = self.recordings.awaiting_ends() || self.mqtt.as_ref().is_some_and(|m| m.awaiting_ends());
        if changed.is_empty() || !(feeds || ends || self.engine.has_rules()) {
            return;
        }
        let found = async {
            let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
            vms_catalog::event::search::by_ids(&mut tx, changed).await
        };
        let events: Vec<Arc<StoredEvent>> = match found.await {
            Ok(events) => events.into_iter().map(Arc::new).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read stored events for the live feeds and rules");
                return;
            }
        };
        if feeds {
            for event in &events {
                let _ = self.feed.send(event.clone());
            }
        }
        if ends {
            let awaited = |id| self.recordings.awaits(id) || self.mqtt.as_ref().is_some_and(|m| m.awaits(id));
            for event in events.iter().filter(|e| e.end_time.is_some() && awaited(e.id)) {
                let _ = self.ends.send(event.clone());
            }
        }
        let fired = self.engine.evaluate(&events, chrono::Utc::now());
        self.act(fired).await;
    }

    /// Asks the rules again about events whose minimum duration has come.
    async fn rules_tick(&mut self) {
        if let Err(e) = self.engine.refresh(&self.db).await {
            tracing::warn!(error = %e, "cannot read the rules; keeping the ones held");
        }
        let fired = self.engine.due(chrono::Utc::now());
        self.act(fired).await;
    }

    /// Hands the rules that fired to the actions, and queues their webhook
    /// calls in the outbox (a few tries: the database answered a moment
    /// ago), then wakes the sender.
    async fn act(&self, fired: Vec<crate::rules::engine::Fired>) {
        if fired.is_empty() {
            return;
        }
        let mut calls = Vec::new();
        for f in &fired {
            tracing::info!(rule = %f.rule_id, event = %f.event.id, "rule fired");
            self.metrics.fired(&f.actions);
            self.actions.push(f);
            let body = serde_json::json!({
                "rule": {"id": f.rule_id, "name": f.rule_name},
                "event": crate::event_api::model::EventView::from(StoredEvent::clone(&f.event)),
            });
            for action in &f.actions {
                if let vms_rules::Action::Webhook { webhook_id } = action {
                    calls.push((f.event.tenant_id, *webhook_id, f.rule_id, f.event.id, body.clone()));
                }
            }
        }
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(2));
        for attempt in 1..=5 {
            let queued = async {
                let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
                for (tenant, webhook, rule, event, body) in &calls {
                    vms_catalog::webhook::enqueue(&mut *tx, *tenant, *webhook, *rule, *event, body).await?;
                }
                tx.commit().await.map_err(CatalogError::from)
            };
            match queued.await {
                Ok(()) => {
                    self.wake.notify_one();
                    return;
                }
                Err(e) if attempt < 5 => {
                    tracing::warn!(error = %e, "cannot queue rule actions yet; retrying");
                    tokio::time::sleep(backoff.next_delay()).await;
                }
                Err(e) => tracing::error!(error = %e, calls = calls.len(), "rule actions lost: cannot queue them"),
            }
        }
    }

    /// Checks one message that `arrived` then. A tenant or camera not known
    /// is refused only by a directory read after that: otherwise it is read
    /// again (waiting out the one-a-second bound) and asked once more.
    async fn accept(&mut self, message: &Message, arrived: Instant) -> Result<EventMessage, Rejection> {
        let event = check::parse(message.subject.as_str(), &message.payload, &self.subjects)?;
        match check::resolve(event.clone(), &self.directory) {
            Err(Rejection::UnknownTenant | Rejection::UnknownCamera) if !self.directory.loaded_since(arrived) => {
                tokio::time::sleep(self.directory.reload_wait()).await;
                if !self.reload_directory().await {
                    // Cancelled: the message stays unacknowledged and comes again.
                    return Err(Rejection::UnknownCamera);
                }
                check::resolve(event, &self.directory)
            }
            other => other,
        }
    }

    /// Stores `rows`, waiting out the database. A batch the database refuses
    /// is stored row by row, and the rows it refuses are returned with the
    /// reason. `None` once cancelled.
    async fn store(&mut self, rows: Vec<(usize, EventMessage)>) -> Option<(Stored, Vec<(usize, Rejection)>)> {
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
        let all: Vec<EventMessage> = rows.iter().map(|(_, row)| row.clone()).collect();
        let conflicts = |stored: &Stored| -> Vec<(usize, Rejection)> {
            rows.iter()
                .filter(|(_, row)| stored.conflicts.contains(&row.id))
                .map(|(i, _)| (*i, Rejection::Invalid("the event id is another tenant's".into())))
                .collect()
        };
        loop {
            let result = match self.try_store(&all).await {
                Ok(stored) => {
                    let refused = conflicts(&stored);
                    Ok((stored, refused))
                }
                Err(e) if is_refusal(&e) => self.store_one_by_one(&rows).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(done) => {
                    self.stats.last_error.lock().expect("stats lock").take();
                    return Some(done);
                }
                Err(e) => {
                    tracing::warn!(error = %format!("{:#}", anyhow::Error::from(e)), "cannot store events yet; retrying");
                    *self.stats.last_error.lock().expect("stats lock") = Some("database unavailable".to_owned());
                    if !self.pause(&mut backoff).await {
                        return None;
                    }
                }
            }
        }
    }

    async fn store_one_by_one(
        &self,
        rows: &[(usize, EventMessage)],
    ) -> Result<(Stored, Vec<(usize, Rejection)>), CatalogError> {
        let mut total = Stored::default();
        let mut refused = Vec::new();
        for (i, row) in rows {
            match self.try_store(std::slice::from_ref(row)).await {
                Ok(stored) => {
                    total.inserted += stored.inserted;
                    total.updated += stored.updated;
                    total.changed.extend(stored.changed);
                    if !stored.conflicts.is_empty() {
                        refused.push((*i, Rejection::Invalid("the event id is another tenant's".into())));
                    }
                }
                Err(e) if is_refusal(&e) => {
                    let reason = match &e {
                        CatalogError::Database(sqlx::Error::Database(db)) => db.message().to_owned(),
                        other => other.to_string(),
                    };
                    refused.push((*i, Rejection::Invalid(format!("refused by the database: {reason}"))));
                }
                Err(e) => return Err(e),
            }
        }
        Ok((total, refused))
    }

    async fn try_store(&self, rows: &[EventMessage]) -> Result<Stored, CatalogError> {
        let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
        let stored = store::store(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Keeps a rejected message in the dead-letter stream with its reason.
    async fn dead_letter(&self, message: &Message, why: &Rejection) -> anyhow::Result<()> {
        tracing::warn!(subject = %message.subject, reason = %why, "event rejected to the dead-letter stream");
        let mut headers = async_nats::HeaderMap::new();
        // Header values end at a line break: a reason quoting the message must not carry one.
        let reason: String = why.to_string().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        headers.insert(bus::REJECTED_BECAUSE, reason.as_str());
        headers.insert(bus::REJECTED_SUBJECT, message.subject.as_str());
        let ack = self
            .js
            .publish_with_headers(bus::dead_letter_subject(&self.subjects), headers, message.payload.clone())
            .await
            .map_err(|e| anyhow::anyhow!("cannot dead-letter an event: {e}"))?;
        ack.await.map_err(|e| anyhow::anyhow!("the dead-letter stream refused an event: {e}"))?;
        Ok(())
    }

    /// Waits the backoff's next delay; `false` if cancelled meanwhile.
    async fn pause(&self, backoff: &mut Backoff) -> bool {
        tokio::select! {
            _ = self.cancel.cancelled() => false,
            _ = tokio::time::sleep(backoff.next_delay()) => true,
        }
    }
}

/// Whether the database refused the data itself (a constraint or a bad
/// value), as opposed to being unreachable or failing otherwise.
fn is_refusal(e: &CatalogError) -> bool {
    match e {
        CatalogError::Database(sqlx::Error::Database(db)) => {
            db.code().is_some_and(|c| c.starts_with("22") || c.starts_with("23"))
        }
        _ => false,
    }
}
