//! Keeping the checkpoint file at the chain head as the writer stores entries.

use std::{path::PathBuf, sync::Arc};

use ed25519_dalek::SigningKey;
use sqlx::PgPool;

use super::{
    ChainLink,
    checkpoint::{self, CheckpointError, Head},
};

/// Follows the head of the chain through what the writer stores, and writes
/// each new head to the checkpoint file.
///
/// It never moves the file onto a chain that does not contain the head the
/// file holds: if the database no longer has that entry (the newest entries
/// were deleted, or the database was replaced), the file is left as it is, as
/// evidence for `vms audit verify`, and an error is logged.
pub(crate) struct HeadKeeper {
    path: PathBuf,
    key: Arc<SigningKey>,
    /// The head in the file.
    written: Option<Head>,
    /// Set once the file must no longer change (see above).
    frozen: bool,
}

impl HeadKeeper {
    /// Starts from the checkpoint at `path`, if there is one. Blocking.
    pub fn open(path: PathBuf, key: SigningKey) -> Self {
        let (written, frozen) = match checkpoint::read(&path, &key.verifying_key()) {
            Ok((head, _)) => (Some(head), false),
            Err(CheckpointError::Missing(_)) => (None, false),
            Err(e) => {
                tracing::error!(error = %e, "audit checkpoint unusable; leaving it for `vms audit verify`");
                (None, true)
            }
        };
        Self { path, key: Arc::new(key), written, frozen }
    }

    /// Records that `links` were just stored, in this order.
    pub async fn advance(&mut self, pool: &PgPool, links: &[ChainLink]) {
        let (Some(first), Some(last)) = (links.first(), links.last()) else { return };
        if self.frozen {
            return;
        }
        if let Some(written) = &self.written
            && first.prev_hash != written.hash
        {
            // Entries came between: someone else's, or ours were deleted.
            match still_holds(pool, written).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::error!(
                        seq = written.seq,
                        "the database no longer holds the audit chain head recorded in the checkpoint: \
                         the newest entries were deleted; the checkpoint is kept as evidence"
                    );
                    self.frozen = true;
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "failed to check the audit chain head; checkpoint not advanced");
                    return;
                }
            }
        }
        let head = Head { seq: last.seq, hash: last.hash.clone() };
        let (path, key, to_write) = (self.path.clone(), self.key.clone(), head.clone());
        let written = tokio::task::spawn_blocking(move || checkpoint::write(&path, &key, &to_write))
            .await
            .expect("writing the checkpoint should not panic");
        match written {
            Ok(()) => self.written = Some(head),
            Err(e) => tracing::error!(error = %e, path = %self.path.display(), "failed to write the audit checkpoint"),
        }
    }
}

async fn still_holds(pool: &PgPool, head: &Head) -> Result<bool, sqlx::Error> {
    let hash: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1").bind(head.seq).fetch_optional(pool).await?;
    Ok(hash.as_ref() == Some(&head.hash))
}
