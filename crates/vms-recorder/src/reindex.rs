//! `vms recorder reindex`: rebuilds the recording index from the files in
//! every storage root. Files are only read, never changed; index entries of
//! files that are gone are removed. Run it with the recorder stopped, so no
//! file is being written.

use std::path::PathBuf;

use sqlx::PgPool;
use vms_catalog::{Scope, recording, scope};
use vms_config::Config;

use crate::{index, scan};

/// What a reindex found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReindexReport {
    /// Files indexed.
    pub files: usize,
    /// Fragments indexed.
    pub fragments: usize,
    /// Files that hold no video (an init segment torn by a crash), left out.
    pub empty: Vec<PathBuf>,
    /// Files ending in a torn fragment (indexed up to their last whole one).
    pub torn: Vec<PathBuf>,
    /// Index entries removed because their file is gone.
    pub forgotten: u64,
    /// Files the database refuses to index (a constraint violation or a bad
    /// value), left out; the others are indexed all the same.
    pub refused: Vec<PathBuf>,
}

/// Rebuilds the index of every file under the configured roots.
pub async fn reindex(config: &Config, db: &PgPool) -> anyhow::Result<ReindexReport> {
    let mut report = ReindexReport::default();
    for root in config.recording_roots() {
        let base = root.path.clone();
        let files = tokio::task::spawn_blocking(move || {
            scan::files_under(&base, &base).into_iter().map(|r| (scan::scan(&base, &r), r)).collect::<Vec<_>>()
        })
        .await?;
        let mut present = Vec::new();
        for (scanned, relative) in files {
            match scanned {
                Ok(Some(file)) => {
                    if file.whole_len < file.found_len {
                        report.torn.push(relative.clone());
                    }
                    present.push(relative.to_string_lossy().into_owned());
                    match index::index_file(db, &file, &config.node_id).await {
                        Ok(()) => {
                            report.files += 1;
                            report.fragments += file.fragments.len();
                        }
                        Err(e) if index::classify(&e) == index::Failure::Permanent => {
                            tracing::warn!(path = %relative.display(), error = ?e, "the database refuses this file");
                            report.refused.push(relative);
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(None) => report.empty.push(relative),
                Err(e) => tracing::warn!(path = %relative.display(), error = %format!("{e:#}"), "skipping a file"),
            }
        }
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        report.forgotten +=
            recording::forget_missing(&mut *tx, &config.node_id, &root.path.to_string_lossy(), &present).await?;
        tx.commit().await?;
    }
    Ok(report)
}
