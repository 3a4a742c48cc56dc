//! Keeping the events table in shape: monthly partitions made ahead of
//! time, each tenant's events removed after its retention, and empty past
//! months dropped. Runs across tenants, daily (and at control's start).

use sqlx::PgPool;

use crate::{CatalogError, Scope, scope};

/// Rows deleted per statement, so one tenant's backlog never holds a lock for long.
const DELETE_BATCH: i64 = 10_000;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Maintained {
    /// Monthly partitions created.
    pub created: i32,
    /// Events removed by retention.
    pub expired: u64,
    /// Empty monthly partitions dropped.
    pub dropped: i32,
    /// Finished webhook calls removed with their tenant's events.
    pub deliveries: u64,
}

/// Creates the partitions of last month to two months ahead, removes events
/// (and finished webhook calls, which carry them) older than their tenant's
/// `event_retention_days`, and drops past months left empty. A step that
/// fails (a lock not granted in time) leaves the others to run.
///
/// `snapshots_gone` is handed the snapshot paths of each batch of removed
/// events once it is committed, for the caller to delete the files.
pub async fn maintain(
    db: &PgPool,
    snapshots_gone: &mut (dyn FnMut(Vec<String>) + Send),
) -> Result<Maintained, CatalogError> {
    let created: i32 = match sqlx::query_scalar("SELECT events_ensure_partitions(1, 2)").fetch_one(db).await {
        Ok(created) => created,
        Err(e) => {
            tracing::warn!(error = %e, "cannot prepare the events partitions now; retention goes on");
            0
        }
    };
    let mut expired = 0;
    loop {
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        let done: Vec<Option<String>> = sqlx::query_scalar(
            "DELETE FROM events WHERE (id, start_time) IN ( \
                 SELECT e.id, e.start_time FROM events e JOIN tenants t ON t.id = e.tenant_id \
                 WHERE e.start_time < now() - make_interval(days => t.event_retention_days) LIMIT $1) \
             RETURNING snapshot",
        )
        .bind(DELETE_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let removed = done.len() as u64;
        expired += removed;
        let snapshots: Vec<String> = done.into_iter().flatten().collect();
        if !snapshots.is_empty() {
            snapshots_gone(snapshots);
        }
        if removed < DELETE_BATCH as u64 {
            break;
        }
    }
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let deliveries = sqlx::query(
        "DELETE FROM webhook_deliveries d USING tenants t WHERE t.id = d.tenant_id AND d.status <> 'pending' \
         AND d.created_at < now() - make_interval(days => t.event_retention_days)",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    let dropped: i32 = sqlx::query_scalar("SELECT events_drop_empty_partitions()").fetch_one(db).await?;
    Ok(Maintained { created, expired, dropped, deliveries })
}
