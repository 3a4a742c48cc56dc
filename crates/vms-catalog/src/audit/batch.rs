//! Storing entries in the database a batch at a time: one transaction, so one
//! commit (and one wait for the disk) for every entry that queued meanwhile.

use std::time::Duration;

use sqlx::PgPool;
use vms_base::{ErrorCode, ServiceError};

use super::{AuditEntry, ChainLink, insert_returning};
use crate::CatalogError;

/// How long one batch may take before the database counts as unreachable.
const BATCH_TIMEOUT: Duration = Duration::from_secs(3);

/// What became of the entries handed to [`store`].
#[derive(Debug, Default)]
pub(crate) struct Stored {
    /// How many of the entries, from the first, were dealt with: stored, or
    /// refused by the database and dropped. The rest could not be stored
    /// because the database is unreachable.
    pub done: usize,
    /// Where the stored ones went, in order (a replayed duplicate has none).
    pub links: Vec<ChainLink>,
}

async fn transaction(pool: &PgPool, entries: &[AuditEntry]) -> Result<Vec<ChainLink>, CatalogError> {
    let work = async {
        let mut tx = pool.begin().await?;
        let mut links = Vec::with_capacity(entries.len());
        for entry in entries {
            links.extend(insert_returning(&mut *tx, entry).await?);
        }
        tx.commit().await?;
        Ok(links)
    };
    match tokio::time::timeout(BATCH_TIMEOUT, work).await {
        Ok(result) => result,
        Err(_) => Err(CatalogError::Unavailable(sqlx::Error::PoolTimedOut)),
    }
}

/// Stores `entries` in order, in one transaction. If the database refuses
/// one of them, they are stored one by one instead and each refused entry is
/// logged in full and dropped (keeping it would block every later entry).
pub(crate) async fn store(pool: &PgPool, entries: &[AuditEntry]) -> Stored {
    match transaction(pool, entries).await {
        Ok(links) => return Stored { done: entries.len(), links },
        Err(e) if e.code() == ErrorCode::Unavailable => return Stored::default(),
        Err(_) if entries.len() == 1 => {}
        Err(e) => tracing::debug!(error = %e, "audit batch refused; storing its entries one by one"),
    }
    let mut stored = Stored::default();
    for entry in entries {
        match transaction(pool, std::slice::from_ref(entry)).await {
            Ok(links) => stored.links.extend(links),
            Err(e) if e.code() == ErrorCode::Unavailable => break,
            Err(e) => tracing::error!(error = %e, ?entry, "audit entry refused by the database; dropped"),
        }
        stored.done += 1;
    }
    stored
}
