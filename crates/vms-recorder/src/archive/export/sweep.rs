//! Expiry of finished exports: every minute, the exports of this node past
//! `export.keep_secs` are marked `expired` and their files deleted, files
//! in the exports directory that belong to no live export (left by a
//! crash, or by a deleted tenant) are deleted, and rows of exports that
//! ended long ago are forgotten.

use std::{collections::HashSet, sync::Arc, time::Duration};

use chrono::TimeDelta;
use tokio_util::sync::CancellationToken;
use vms_catalog::{CatalogError, Scope, export, scope};

use super::{files, registry::Exports};

/// Time between sweeps.
const INTERVAL: Duration = Duration::from_secs(60);
/// How long the row of a failed, cancelled or expired export stays visible.
const KEEP_ENDED: TimeDelta = TimeDelta::days(30);

impl Exports {
    /// Expires what is due and deletes files no live export owns; returns
    /// how many exports expired.
    pub async fn sweep(&self) -> Result<usize, CatalogError> {
        let now = self.now();
        // Listed before the catalog is read: a job's row is written before
        // its first file, so every file listed here of a live export has a
        // row the query below sees.
        let listed: Vec<_> = std::fs::read_dir(self.dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((files::owner_of(&e.file_name().to_string_lossy())?, e.path())))
            .collect();
        let mut tx = scope::begin(self.db(), Scope::AllTenants).await?;
        let expired = export::expire_due(&mut *tx, self.node(), now).await?;
        export::forget_ended(&mut *tx, self.node(), now - KEEP_ENDED).await?;
        let live: HashSet<_> = export::with_files(&mut *tx, self.node()).await?.into_iter().collect();
        tx.commit().await?;
        for id in &expired {
            files::remove(self.dir(), *id);
        }
        for (id, path) in listed {
            if !live.contains(&id) && !self.is_running(id) && path.exists() {
                tracing::info!(export = %id, path = %path.display(), "deleting a left-over export file");
                let _ = std::fs::remove_file(&path);
            }
        }
        if !expired.is_empty() {
            tracing::info!(count = expired.len(), "expired exports deleted");
        }
        Ok(expired.len())
    }
}

/// Sweeps every minute until `shutdown`; a failed sweep is logged and retried next time.
pub async fn run(exports: Arc<Exports>, shutdown: CancellationToken) -> anyhow::Result<()> {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = tick.tick() => {}
        }
        if let Err(e) = exports.sweep().await {
            tracing::warn!(error = %e, "export sweep failed; retrying in a minute");
        }
    }
}
