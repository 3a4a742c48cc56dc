//! Writes audit entries, falling back to the local journal.
//!
//! One task owns the database writes, the journal and the checkpoint. Callers
//! hand it entries through a bounded channel and wait until theirs is stored;
//! the task takes every entry that queued while it was busy and stores them
//! as one batch (one transaction, or one journal sync), so concurrent callers
//! share the cost of a commit instead of queueing for one each. Journal and
//! checkpoint file I/O run on the blocking pool, never on an async worker.
//!
//! While the journal holds entries, new ones are appended behind them, so the
//! database receives every entry in the order it happened.
//! [`AuditWriter::replay_until`] drains the journal whenever PostgreSQL is back.

use std::{path::Path, time::Duration};

use ed25519_dalek::SigningKey;
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::{AuditEntry, batch, head::HeadKeeper, journal::Journal};

/// Entries that may wait for the writer before callers wait to hand theirs over.
const QUEUE: usize = 4096;
/// Most entries stored in one transaction.
const MAX_BATCH: usize = 512;

/// Records audit entries; cheap to clone. The writing task runs until every
/// clone is dropped.
#[derive(Clone)]
pub struct AuditWriter {
    tx: mpsc::Sender<Command>,
}

impl std::fmt::Debug for AuditWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditWriter").finish_non_exhaustive()
    }
}

enum Command {
    Record(Box<AuditEntry>, oneshot::Sender<()>),
    Pending(oneshot::Sender<usize>),
    Replay(oneshot::Sender<anyhow::Result<usize>>),
}

impl AuditWriter {
    /// Starts a writer over the insert-only audit pool, journaling to `journal`,
    /// that keeps no checkpoint.
    pub fn new(pool: PgPool, journal: &Path) -> Self {
        Self::start(Task { pool, journal: Some(Journal::new(journal)), head: None })
    }

    /// Starts a writer that also keeps the signed checkpoint of the chain head
    /// at `checkpoint` (see [`super::checkpoint`]). Reads the file: call it
    /// at startup, not on a busy runtime.
    pub fn with_checkpoint(pool: PgPool, journal: &Path, checkpoint: &Path, key: SigningKey) -> Self {
        let head = HeadKeeper::open(checkpoint.to_owned(), key);
        Self::start(Task { pool, journal: Some(Journal::new(journal)), head: Some(head) })
    }

    fn start(task: Task) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(task.run(rx).instrument(tracing::info_span!("audit_writer")));
        Self { tx }
    }

    /// Records an entry: in the database if it is reachable and nothing is
    /// waiting in the journal, otherwise in the journal; returns once it is
    /// stored. Never fails the caller; an entry that can be stored nowhere is
    /// logged in full.
    pub async fn record(&self, entry: AuditEntry) {
        let (done, stored) = oneshot::channel();
        let command = Command::Record(Box::new(entry), done);
        if let Err(mpsc::error::SendError(Command::Record(entry, _))) = self.tx.send(command).await {
            tracing::error!(?entry, "audit writer stopped; entry lost");
            return;
        }
        let _ = stored.await;
    }

    /// Returns how many entries wait in the journal.
    pub async fn pending(&self) -> usize {
        let (tx, rx) = oneshot::channel();
        let _ = self.tx.send(Command::Pending(tx)).await;
        rx.await.unwrap_or(0)
    }

    /// Replays the journal, in order; returns how many entries remain.
    pub async fn replay(&self) -> anyhow::Result<usize> {
        let (tx, rx) = oneshot::channel();
        self.tx.send(Command::Replay(tx)).await.map_err(|_| anyhow::anyhow!("audit writer stopped"))?;
        rx.await?
    }

    /// Drains the journal every `every`, until `shutdown`.
    pub async fn replay_until(&self, every: Duration, shutdown: CancellationToken) {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
            if let Err(e) = self.replay().await {
                tracing::error!(error = %format!("{e:#}"), "failed to replay the audit journal");
            }
        }
    }
}

/// The writing task's state.
struct Task {
    pool: PgPool,
    /// Lent to the blocking pool during file I/O, hence the option.
    journal: Option<Journal>,
    head: Option<HeadKeeper>,
}

impl Task {
    async fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        while let Some(command) = rx.recv().await {
            let Command::Record(entry, done) = command else {
                self.serve(command).await;
                continue;
            };
            let (mut entries, mut waiting) = (vec![*entry], vec![done]);
            let mut after = None;
            while entries.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(Command::Record(entry, done)) => {
                        entries.push(*entry);
                        waiting.push(done);
                    }
                    Ok(other) => {
                        after = Some(other);
                        break;
                    }
                    Err(_) => break,
                }
            }
            self.write(entries).await;
            for done in waiting {
                let _ = done.send(());
            }
            if let Some(command) = after {
                self.serve(command).await;
            }
        }
    }

    async fn serve(&mut self, command: Command) {
        match command {
            Command::Record(..) => unreachable!("records are batched by `run`"),
            Command::Pending(reply) => {
                let n = self.with_journal(|j| j.read_all().map(|e| e.len()).unwrap_or(0)).await;
                let _ = reply.send(n);
            }
            Command::Replay(reply) => {
                let _ = reply.send(self.replay().await);
            }
        }
    }

    fn journal(&self) -> &Journal {
        self.journal.as_ref().expect("the journal is back from the blocking pool between commands")
    }

    /// Runs `f` on the journal on the blocking pool.
    async fn with_journal<T: Send + 'static>(&mut self, f: impl FnOnce(&mut Journal) -> T + Send + 'static) -> T {
        let mut journal = self.journal.take().expect("the journal is lent to one blocking call at a time");
        let (journal, out) = tokio::task::spawn_blocking(move || {
            let out = f(&mut journal);
            (journal, out)
        })
        .await
        .expect("journal I/O should not panic");
        self.journal = Some(journal);
        out
    }

    async fn store(&mut self, entries: &[AuditEntry]) -> usize {
        let stored = batch::store(&self.pool, entries).await;
        if let Some(head) = &mut self.head {
            head.advance(&self.pool, &stored.links).await;
        }
        stored.done
    }

    /// Stores a batch of new entries in the database or, if it is unreachable
    /// or entries already wait in the journal, in the journal.
    async fn write(&mut self, entries: Vec<AuditEntry>) {
        let mut rest = entries;
        if self.journal().is_empty() {
            let done = self.store(&rest).await;
            if done == rest.len() {
                return;
            }
            tracing::warn!("database unavailable; journaling audit entries");
            rest.drain(..done);
        }
        let failed = self.with_journal(move |j| j.append_all(&rest).err().map(|e| (e, rest))).await;
        if let Some((e, lost)) = failed {
            tracing::error!(error = %format!("{e:#}"), entries = ?lost, "failed to journal audit entries");
        }
    }

    async fn replay(&mut self) -> anyhow::Result<usize> {
        if self.journal().is_empty() {
            return Ok(0);
        }
        let entries = self.with_journal(|j| j.read_all()).await?;
        let mut done = 0;
        for chunk in entries.chunks(MAX_BATCH) {
            let stored = self.store(chunk).await;
            done += stored;
            if stored < chunk.len() {
                break;
            }
        }
        let remaining = entries.len() - done;
        self.with_journal(move |j| j.replace(&entries[done..])).await?;
        if done > 0 {
            tracing::info!(replayed = done, remaining, "replayed journaled audit entries");
        }
        Ok(remaining)
    }
}
