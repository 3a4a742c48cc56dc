//! Keeps the recording index in PostgreSQL in step with the files.
//!
//! Writers never wait for the database: they queue what they did (a segment
//! opened, a fragment appended, a segment closed) and one task applies it in
//! order. While PostgreSQL is unreachable the queue holds, recording goes on,
//! and the index catches up in order when the database returns (every
//! statement is idempotent, so a retried batch does no harm).
//!
//! Failures are told apart ([`failure`]): the database being away or busy
//! holds the queue and is retried with a backoff; a row the database
//! refuses (a constraint violation, a bad value) is logged, counted
//! ([`counters`]) and dropped, with the rest of its segment's updates, so
//! one camera's bad row never stalls the others.
//!
//! The queue is bounded. Updates that grow with recording time (a segment
//! opened, a fragment appended) go through [`CAPACITY`] slots; when those
//! are full, the writer's update is shed rather than waited for, the writer
//! sends nothing more for that file, and when it closes the file it asks
//! for the file to be read back and indexed whole. Updates about whole files
//! (closed, discarded, found on disk) are at most one or two per file, so
//! they never wait: their queue grows with files, not with GOPs. Nothing is
//! lost either way: the files are the source of truth. What the index still
//! lacks (a refused row, a shed file the recorder stopped before rereading)
//! comes back from the files: at start, crash recovery checks every file of
//! each stream's newest day and indexes those the index lacks or lists as
//! open; `vms recorder reindex` rereads every file.

pub(crate) mod counters;
mod failure;

use std::{collections::HashSet, path::PathBuf, time::Duration};

pub use counters::{DroppedIndexUpdates, dropped_index_updates};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::backoff::Backoff;
use vms_catalog::{
    Scope,
    recording::{self, Fragment, NewSegment},
    scope,
};

pub(crate) use self::failure::{Failure, classify};
use crate::scan::ScannedFile;

/// Updates of files being written that the queue holds before writers shed
/// theirs: about 5 minutes of a database outage for 64 cameras with 2 s
/// GOPs, a few MB of memory.
pub(crate) const CAPACITY: usize = 16_384;

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
    Check { root: PathBuf, relative: PathBuf },
}

impl Event {
    /// The segment a writer's update is about.
    fn segment(&self) -> Option<Uuid> {
        match self {
            Event::Opened(s) => Some(s.id),
            Event::Fragment { segment, .. } | Event::Closed { segment, .. } | Event::Discarded { segment, .. } => {
                Some(*segment)
            }
            Event::File(_) | Event::Check { .. } => None,
        }
    }

    /// Whether it is about a whole file (at most one or two per file).
    fn is_per_file(&self) -> bool {
        !matches!(self, Event::Opened(_) | Event::Fragment { .. })
    }
}

/// Where writers send what they did.
#[derive(Clone)]
pub(crate) struct IndexQueue {
    /// Opened and Fragment: bounded.
    writes: mpsc::Sender<Event>,
    /// Whole-file updates: one or two per file.
    files: mpsc::UnboundedSender<Event>,
}

impl IndexQueue {
    /// Queues an update; it is applied in order, as soon as the database
    /// allows. Returns false when it was shed (the queue is full): the
    /// caller then sends nothing more for that file and asks for a
    /// [`reread`](Self::reread) once the file is finished.
    pub(crate) fn send(&self, event: Event) -> bool {
        if event.is_per_file() {
            // Closed only after the plane's writers are gone.
            let _ = self.files.send(event);
            return true;
        }
        match self.writes.try_send(event) {
            Ok(()) | Err(TrySendError::Closed(_)) => true,
            Err(TrySendError::Full(_)) => {
                counters::count_shed();
                false
            }
        }
    }

    /// Asks for the finished file `root/relative` to be read back and
    /// indexed whole (what the index already has of it is corrected).
    pub(crate) fn reread(&self, root: PathBuf, relative: PathBuf) {
        let _ = self.files.send(Event::Check { root, relative });
    }
}

/// The receiving ends of an [`IndexQueue`], drained by [`run`].
pub(crate) struct Queued {
    writes: mpsc::Receiver<Event>,
    files: mpsc::UnboundedReceiver<Event>,
}

impl Queued {
    /// The next update, in the order writers sent them: a writer sends a
    /// file's whole-file update after its other updates, and those are taken
    /// first whenever any wait.
    async fn next(&mut self) -> Option<Event> {
        tokio::select! {
            biased;
            Some(event) = self.writes.recv() => Some(event),
            Some(event) = self.files.recv() => Some(event),
            else => None,
        }
    }

    fn len(&self) -> usize {
        self.writes.len() + self.files.len()
    }
}

/// Creates the queue; [`run`] drains it.
pub(crate) fn queue() -> (IndexQueue, Queued) {
    queue_with(CAPACITY)
}

fn queue_with(capacity: usize) -> (IndexQueue, Queued) {
    let (writes, writes_rx) = mpsc::channel(capacity);
    let (files, files_rx) = mpsc::unbounded_channel();
    (IndexQueue { writes, files }, Queued { writes: writes_rx, files: files_rx })
}

async fn apply(db: &PgPool, node: &str, event: &Event) -> Result<(), vms_catalog::CatalogError> {
    let tenant = match event {
        Event::Opened(s) => s.tenant_id,
        Event::Fragment { tenant, .. } | Event::Closed { tenant, .. } | Event::Discarded { tenant, .. } => *tenant,
        Event::File(file) => return index_file(db, file, node).await,
        Event::Check { root, relative } => return check_file(db, root, relative, node).await,
    };
    let mut tx = scope::begin(db, Scope::Tenant(tenant)).await?;
    match event {
        Event::Opened(segment) => recording::open_segment(&mut *tx, segment, node).await?,
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
    node: &str,
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
            index_file(db, &file, node).await
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

/// Indexes a file read back from disk by the recorder of `node` under its
/// camera's tenant; a file whose camera no longer exists is left out (its
/// tenant is unknown).
pub(crate) async fn index_file(db: &PgPool, file: &ScannedFile, node: &str) -> Result<(), vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let Some((tenant, stream)) = recording::stream_owner(&mut *tx, file.camera, file.role.as_str()).await? else {
        tracing::warn!(path = %file.relative.display(), "not indexing a file of a camera that no longer exists");
        return Ok(());
    };
    drop(tx);
    let segment = NewSegment {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: file.camera,
        stream_id: stream,
        stream_role: file.role.to_string(),
        root: file.root.to_string_lossy().into_owned(),
        path: file.relative.to_string_lossy().into_owned(),
        start_time: file.started_at,
        codec: file.init.codec.clone(),
        width: file.init.width as i32,
        height: file.init.height as i32,
        bytes: file.whole_len as i64,
        // A file does not say why it was recorded; an existing entry keeps what it said.
        kind: vms_catalog::recording::FootageKind::Continuous,
    };
    let mut tx = scope::begin(db, Scope::Tenant(tenant)).await?;
    recording::index_file(&mut tx, &segment, file.ended_at(), &file.fragments, node).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies queued events in order until the queue closes, recording the
/// files as held by the recorder of `node`; after `stop`, it keeps going
/// only while the database answers, for up to `drain`.
pub(crate) async fn run(db: PgPool, node: String, mut events: Queued, stop: CancellationToken, drain: Duration) {
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
    let mut failing = false;
    let mut deadline: Option<tokio::time::Instant> = None;
    // Segments whose row the database refused: their later updates would be refused too.
    let mut refused: HashSet<Uuid> = HashSet::new();
    while let Some(event) = events.next().await {
        if let Some(segment) = event.segment().filter(|s| refused.contains(s)) {
            if matches!(event, Event::Closed { .. } | Event::Discarded { .. }) {
                refused.remove(&segment);
            } else {
                counters::count_refused();
            }
            continue;
        }
        loop {
            let Err(e) = apply(&db, &node, &event).await else {
                let age = match &event {
                    Event::Fragment { end_time, .. } => Some(chrono::Utc::now() - *end_time),
                    _ => None,
                };
                counters::applied(age, events.len());
                if failing {
                    tracing::info!(waiting = events.len(), "recording index reachable again; catching up");
                    failing = false;
                    backoff.reset();
                }
                break;
            };
            if classify(&e) == Failure::Permanent {
                counters::count_refused();
                tracing::warn!(
                    error = ?e,
                    update = event.describe(),
                    "the database refuses an index update; dropping it (the file keeps what it said)"
                );
                refused.extend(event.segment().filter(|_| matches!(event, Event::Opened(_))));
                break;
            }
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

impl Event {
    /// What the update was, for a log line.
    fn describe(&self) -> String {
        match self {
            Event::Opened(s) => format!("segment {} opened ({}/{})", s.id, s.root, s.path),
            Event::Fragment { segment, fragment, .. } => format!("fragment {} of segment {segment}", fragment.seq),
            Event::Closed { segment, .. } => format!("segment {segment} closed"),
            Event::Discarded { segment, .. } => format!("segment {segment} discarded"),
            Event::File(f) => format!("file {}", f.root.join(&f.relative).display()),
            Event::Check { root, relative } => format!("file {}", root.join(relative).display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(segment: Uuid) -> Event {
        let fragment = Fragment {
            seq: 1,
            start_time: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            duration_ms: 2000,
            byte_offset: 700,
            byte_len: 1000,
            keyframe: true,
            pictures: 50,
        };
        Event::Fragment { tenant: Uuid::nil(), segment, fragment, end_time: Utc::now(), bytes: 1700 }
    }

    #[tokio::test]
    async fn a_full_queue_sheds_growing_updates_but_never_whole_file_ones_and_keeps_their_order() {
        let (queue, mut queued) = queue_with(2);
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let shed_before = dropped_index_updates().shed;
        assert!(queue.send(fragment(a)));
        assert!(queue.send(fragment(a)));
        assert!(!queue.send(fragment(b)), "the third fragment finds the queue full");
        assert_eq!(dropped_index_updates().shed, shed_before + 1);
        assert!(queue.send(Event::Closed { tenant: Uuid::nil(), segment: a }), "a close is never shed");
        queue.reread(PathBuf::from("/r"), PathBuf::from("b.mp4"));
        drop(queue);
        let mut order = Vec::new();
        while let Some(event) = queued.next().await {
            order.push(event.describe());
        }
        assert_eq!(
            order,
            [
                format!("fragment 1 of segment {a}"),
                format!("fragment 1 of segment {a}"),
                format!("segment {a} closed"),
                "file /r/b.mp4".to_owned(),
            ]
        );
    }
}
