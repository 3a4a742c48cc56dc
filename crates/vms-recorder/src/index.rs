//! Keeps the recording index in PostgreSQL in step with the files.
//!
//! Writers never wait for the database: they queue what they did (a segment
//! opened, a fragment appended, a segment closed) and one task applies it in
//! order. While PostgreSQL is unreachable the queue holds, recording goes on,
//! and the index catches up in order when the database returns (every
//! statement is idempotent, so a retried batch does no harm).

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::backoff::Backoff;
use vms_catalog::{
    Scope,
    recording::{self, Fragment, NewSegment},
    scope,
};

use crate::scan::ScannedFile;

/// Something a writer did to a file.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// A segment file was created.
    Opened(NewSegment),
    /// A fragment was appended.
    Fragment { tenant: Uuid, segment: Uuid, fragment: Fragment, end_time: DateTime<Utc>, bytes: i64 },
    /// A segment file was finished.
    Closed { tenant: Uuid, segment: Uuid },
    /// A finished segment file was removed before it held any picture.
    Discarded { tenant: Uuid, segment: Uuid },
    /// A file was read back from disk (after a crash): the index must say
    /// what it holds.
    File(Box<ScannedFile>),
    /// A finished file found on disk: to be read and indexed if the index lacks it.
    Check { root: std::path::PathBuf, relative: std::path::PathBuf },
}

/// Where writers send what they did.
#[derive(Clone)]
pub(crate) struct IndexQueue(mpsc::UnboundedSender<Event>);

impl IndexQueue {
    /// Queues an event; it is applied in order, as soon as the database allows.
    pub(crate) fn send(&self, event: Event) {
        // Closed only after the plane's writers are gone.
        let _ = self.0.send(event);
    }
}

/// Creates the queue; [`run`] drains it.
pub(crate) fn queue() -> (IndexQueue, mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (IndexQueue(tx), rx)
}

async fn apply(db: &PgPool, event: &Event) -> Result<(), vms_catalog::CatalogError> {
    let tenant = match event {
        Event::Opened(s) => s.tenant_id,
        Event::Fragment { tenant, .. } | Event::Closed { tenant, .. } | Event::Discarded { tenant, .. } => *tenant,
        Event::File(file) => return index_file(db, file).await,
        Event::Check { root, relative } => return check_file(db, root, relative).await,
    };
    let mut tx = scope::begin(db, Scope::Tenant(tenant)).await?;
    match event {
        Event::Opened(segment) => recording::open_segment(&mut *tx, segment).await?,
        Event::Fragment { tenant, segment, fragment, end_time, bytes } => {
            recording::add_fragment(&mut tx, *tenant, *segment, fragment, *end_time, *bytes).await?
        }
        Event::Closed { segment, .. } => recording::close_segment(&mut *tx, *segment).await?,
        Event::Discarded { segment, .. } => {
            recording::forget_segment(&mut *tx, *segment).await?;
        }
        Event::File(_) | Event::Check { .. } => unreachable!("handled above"),
    }
    tx.commit().await?;
    Ok(())
}

/// Indexes a finished file found on disk unless the index has it already.
async fn check_file(
    db: &PgPool,
    root: &std::path::Path,
    relative: &std::path::Path,
) -> Result<(), vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let known = recording::is_indexed(&mut *tx, &root.to_string_lossy(), &relative.to_string_lossy()).await?;
    drop(tx);
    if known {
        return Ok(());
    }
    let (root, relative) = (root.to_owned(), relative.to_owned());
    let scanned = tokio::task::spawn_blocking(move || crate::scan::scan(&root, &relative)).await;
    match scanned {
        Ok(Ok(Some(file))) => {
            tracing::info!(path = %file.relative.display(), "indexing a file the index lacked");
            index_file(db, &file).await
        }
        Ok(Ok(None)) => Ok(()),
        Ok(Err(e)) => {
            tracing::warn!(error = %format!("{e:#}"), "skipping an unreadable file");
            Ok(())
        }
        Err(e) => {
            tracing::warn!(error = %e, "file check failed");
            Ok(())
        }
    }
}

/// Indexes a file read back from disk under its camera's tenant; a file
/// whose camera no longer exists is left out (its tenant is unknown).
pub(crate) async fn index_file(db: &PgPool, file: &ScannedFile) -> Result<(), vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let Some((tenant, stream)) = recording::stream_owner(&mut *tx, file.camera, &file.role).await? else {
        tracing::warn!(path = %file.relative.display(), "not indexing a file of a camera that no longer exists");
        return Ok(());
    };
    drop(tx);
    let segment = NewSegment {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: file.camera,
        stream_id: stream,
        stream_role: file.role.clone(),
        root: file.root.to_string_lossy().into_owned(),
        path: file.relative.to_string_lossy().into_owned(),
        start_time: file.started_at,
        codec: file.init.codec.clone(),
        width: file.init.width as i32,
        height: file.init.height as i32,
        bytes: file.whole_len as i64,
        // A file does not say why it was recorded; an existing entry keeps what it said.
        kind: "continuous",
    };
    let mut tx = scope::begin(db, Scope::Tenant(tenant)).await?;
    recording::index_file(&mut tx, &segment, file.ended_at(), &file.fragments).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies queued events in order until the queue closes; after `stop`, it
/// keeps going only while the database answers, for up to `drain`.
pub(crate) async fn run(
    db: PgPool,
    mut events: mpsc::UnboundedReceiver<Event>,
    stop: CancellationToken,
    drain: Duration,
) {
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
    let mut failing = false;
    let mut deadline: Option<tokio::time::Instant> = None;
    while let Some(event) = events.recv().await {
        loop {
            match apply(&db, &event).await {
                Ok(()) => {
                    if failing {
                        tracing::info!(waiting = events.len(), "recording index reachable again; catching up");
                        failing = false;
                        backoff.reset();
                    }
                    break;
                }
                Err(e) => {
                    if !failing {
                        tracing::warn!(error = %e, "recording index unavailable; recording goes on, the index will catch up");
                        failing = true;
                    }
                    let mut delay = backoff.next_delay();
                    if stop.is_cancelled() {
                        let limit = *deadline.get_or_insert_with(|| tokio::time::Instant::now() + drain);
                        let now = tokio::time::Instant::now();
                        if now >= limit {
                            tracing::warn!(left = events.len() + 1, "stopping with index updates not applied");
                            return;
                        }
                        // A stopping plane waits no longer than the drain allows.
                        delay = delay.min(limit - now);
                    }
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}
