//! Writes audit entries, falling back to the local journal.
//!
//! While the journal holds entries, new ones are appended behind them, so the
//! database receives every entry in the order it happened. A background task
//! ([`AuditWriter::replay_until`]) drains the journal whenever PostgreSQL is back.

use std::{path::Path, sync::Arc, time::Duration};

use sqlx::PgPool;
use tokio::sync::{Mutex, Notify};
use tokio_util::sync::CancellationToken;
use vms_base::{ErrorCode, ServiceError};

use super::{AuditEntry, insert, journal::Journal};
use crate::CatalogError;

const WRITE_TIMEOUT: Duration = Duration::from_secs(3);

/// Records audit entries; cheap to clone.
#[derive(Clone)]
pub struct AuditWriter {
    inner: Arc<Inner>,
}

struct Inner {
    pool: PgPool,
    journal: Mutex<Journal>,
    kick: Notify,
}

impl std::fmt::Debug for AuditWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditWriter").finish_non_exhaustive()
    }
}

async fn try_insert(pool: &PgPool, entry: &AuditEntry) -> Result<(), CatalogError> {
    match tokio::time::timeout(WRITE_TIMEOUT, insert(pool, entry)).await {
        Ok(result) => result,
        Err(_) => Err(CatalogError::Unavailable(sqlx::Error::PoolTimedOut)),
    }
}

impl AuditWriter {
    /// Creates a writer over the insert-only audit pool, journaling to `journal`.
    pub fn new(pool: PgPool, journal: &Path) -> Self {
        Self { inner: Arc::new(Inner { pool, journal: Mutex::new(Journal::new(journal)), kick: Notify::new() }) }
    }

    /// Records an entry: in the database if it is reachable and nothing is
    /// waiting in the journal, otherwise in the journal. Never fails the caller;
    /// an entry that can be stored nowhere is logged in full.
    pub async fn record(&self, entry: AuditEntry) {
        let mut journal = self.inner.journal.lock().await;
        if journal.is_empty() {
            match try_insert(&self.inner.pool, &entry).await {
                Ok(()) => return,
                Err(e) if e.code() == ErrorCode::Unavailable => {
                    tracing::warn!("database unavailable; journaling audit entries");
                }
                Err(e) => {
                    tracing::error!(error = %e, ?entry, "audit entry refused by the database");
                    return;
                }
            }
        }
        if let Err(e) = journal.append(&entry) {
            tracing::error!(error = %format!("{e:#}"), ?entry, "failed to journal an audit entry");
        }
        drop(journal);
        self.inner.kick.notify_one();
    }

    /// Returns how many entries wait in the journal.
    pub async fn pending(&self) -> usize {
        self.inner.journal.lock().await.read_all().map(|e| e.len()).unwrap_or(0)
    }

    /// Replays the journal, in order; returns how many entries remain.
    pub async fn replay(&self) -> anyhow::Result<usize> {
        let mut journal = self.inner.journal.lock().await;
        if journal.is_empty() {
            return Ok(0);
        }
        let entries = journal.read_all()?;
        let mut done = 0;
        for entry in &entries {
            match try_insert(&self.inner.pool, entry).await {
                Ok(()) => done += 1,
                Err(e) if e.code() == ErrorCode::Unavailable => break,
                Err(e) => {
                    // Keeping it would block every later entry forever.
                    tracing::error!(error = %e, ?entry, "journaled audit entry refused by the database; dropped");
                    done += 1;
                }
            }
        }
        journal.replace(&entries[done..])?;
        if done > 0 {
            tracing::info!(replayed = done, remaining = entries.len() - done, "replayed journaled audit entries");
        }
        Ok(entries.len() - done)
    }

    /// Drains the journal whenever entries arrive and every `every`, until `shutdown`.
    pub async fn replay_until(&self, every: Duration, shutdown: CancellationToken) {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = self.inner.kick.notified() => {}
                _ = tokio::time::sleep(every) => {}
            }
            if let Err(e) = self.replay().await {
                tracing::error!(error = %format!("{e:#}"), "failed to replay the audit journal");
            }
        }
    }
}
