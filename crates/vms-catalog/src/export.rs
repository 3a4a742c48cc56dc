//! Export jobs (migration 0012): who exported which window of which camera,
//! where the job is, and what its finished file holds. The files themselves
//! live in the data directory of the node whose recorder made them
//! (`node_id`), so
//! the node-wide functions here (interrupting, expiring, counting bytes)
//! run across tenants for one node.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::CatalogError;

/// Error of a job that was running when its recorder stopped.
pub const INTERRUPTED: &str = "interrupted";

/// An export as it is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExport {
    /// Its id (also its file's name).
    pub id: Uuid,
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// Who asked.
    pub user_id: Uuid,
    /// The node whose recorder makes and keeps the file.
    pub node_id: String,
    /// `main` or `sub`.
    pub stream: String,
    /// The window.
    pub start_time: DateTime<Utc>,
    /// End of the window.
    pub end_time: DateTime<Utc>,
}

/// An export as the catalog holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportJob {
    /// Its id.
    pub id: Uuid,
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// Who asked.
    pub user_id: Uuid,
    /// The node whose recorder makes and keeps the file.
    pub node_id: String,
    /// `main` or `sub`.
    pub stream: String,
    /// The window.
    pub start_time: DateTime<Utc>,
    /// End of the window.
    pub end_time: DateTime<Utc>,
    /// `running`, `done`, `failed`, `cancelled` or `expired`.
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Size of the finished file (0 until done).
    pub bytes: i64,
    /// SHA-256 of the finished file, hex.
    pub sha256: Option<String>,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// When it stopped running.
    pub finished_at: Option<DateTime<Utc>>,
    /// When its finished file is (or was) deleted.
    pub expires_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, tenant_id, camera_id, user_id, node_id, stream, start_time, end_time, status, error, bytes, \
                       sha256, created_at, finished_at, expires_at";

/// Records a newly started export as `running`.
pub async fn insert(db: impl PgExecutor<'_>, e: &NewExport) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO export_jobs (id, tenant_id, camera_id, user_id, node_id, stream, start_time, end_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.id)
    .bind(e.tenant_id)
    .bind(e.camera_id)
    .bind(e.user_id)
    .bind(&e.node_id)
    .bind(&e.stream)
    .bind(e.start_time)
    .bind(e.end_time)
    .execute(db)
    .await?;
    Ok(())
}

/// Finds one of `tenant`'s exports.
pub async fn get(db: impl PgExecutor<'_>, tenant: Uuid, id: Uuid) -> Result<Option<ExportJob>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM export_jobs WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// Which exports a list shows; every field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Only these cameras' (none: every camera).
    pub cameras: Vec<Uuid>,
    /// Only cameras among these: those the caller may export (`None`: all).
    pub reach: Option<Vec<Uuid>>,
    /// Only with any of these statuses (none: any).
    pub statuses: Vec<String>,
    /// Only those this user asked for.
    pub user_id: Option<Uuid>,
}

/// Lists at most `limit` of `tenant`'s exports, newest first, those asked
/// for before `before` (the `(created_at, id)` of the previous page's last).
pub async fn list(
    db: impl PgExecutor<'_>,
    tenant: Uuid,
    f: &ExportFilter,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ExportJob>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM export_jobs WHERE tenant_id = $1 \
         AND (cardinality($2::uuid[]) = 0 OR camera_id = ANY($2)) \
         AND ($3::uuid[] IS NULL OR camera_id = ANY($3)) \
         AND (cardinality($4::text[]) = 0 OR status = ANY($4)) \
         AND ($5::uuid IS NULL OR user_id = $5) \
         AND ($6::timestamptz IS NULL OR (created_at, id) < ($6, $7)) \
         ORDER BY created_at DESC, id DESC LIMIT $8"
    ))
    .bind(tenant)
    .bind(&f.cameras)
    .bind(&f.reach)
    .bind(&f.statuses)
    .bind(f.user_id)
    .bind(before.map(|(at, _)| at))
    .bind(before.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Marks a running export `done` with its file's size and hash, to be
/// deleted at `expires_at`.
pub async fn finish(
    db: impl PgExecutor<'_>,
    id: Uuid,
    bytes: u64,
    sha256: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), CatalogError> {
    sqlx::query(
        "UPDATE export_jobs SET status = 'done', bytes = $2, sha256 = $3, finished_at = now(), expires_at = $4 \
         WHERE id = $1 AND status = 'running'",
    )
    .bind(id)
    .bind(i64::try_from(bytes).unwrap_or(i64::MAX))
    .bind(sha256)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks a running export `failed` (with `error`) or `cancelled` (`error` `None`).
pub async fn stop(db: impl PgExecutor<'_>, id: Uuid, error: Option<&str>) -> Result<(), CatalogError> {
    let status = if error.is_some() { "failed" } else { "cancelled" };
    sqlx::query(
        "UPDATE export_jobs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status = 'running'",
    )
    .bind(id)
    .bind(status)
    .bind(error)
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes an export's row; returns whether it existed.
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, CatalogError> {
    let done = sqlx::query("DELETE FROM export_jobs WHERE id = $1").bind(id).execute(db).await?;
    Ok(done.rows_affected() > 0)
}

/// Marks every export `node` was running as failed with error
/// [`INTERRUPTED`] (its recorder just started, so none runs); returns
/// how many. Runs across tenants.
pub async fn interrupt(db: impl PgExecutor<'_>, node: &str) -> Result<u64, CatalogError> {
    let done = sqlx::query(
        "UPDATE export_jobs SET status = 'failed', error = $2, finished_at = now() \
         WHERE node_id = $1 AND status = 'running'",
    )
    .bind(node)
    .bind(INTERRUPTED)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Marks `node`'s finished exports whose time is up (`expires_at <= now`)
/// `expired` and returns their ids, whose files are to go. Runs across tenants.
pub async fn expire_due(db: impl PgExecutor<'_>, node: &str, now: DateTime<Utc>) -> Result<Vec<Uuid>, CatalogError> {
    Ok(sqlx::query_scalar(
        "UPDATE export_jobs SET status = 'expired' WHERE node_id = $1 AND status = 'done' AND expires_at <= $2 \
         RETURNING id",
    )
    .bind(node)
    .bind(now)
    .fetch_all(db)
    .await?)
}

/// Bytes held by `node`'s finished exports. Runs across tenants.
pub async fn held_bytes(db: impl PgExecutor<'_>, node: &str) -> Result<u64, CatalogError> {
    let sum: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(bytes), 0)::bigint FROM export_jobs WHERE node_id = $1 AND status = 'done'",
    )
    .bind(node)
    .fetch_one(db)
    .await?;
    Ok(u64::try_from(sum).unwrap_or(0))
}

/// Ids of `node`'s exports that may have files (running or done); any
/// other file in its exports directory is left over. Runs across tenants.
pub async fn with_files(db: impl PgExecutor<'_>, node: &str) -> Result<Vec<Uuid>, CatalogError> {
    Ok(sqlx::query_scalar("SELECT id FROM export_jobs WHERE node_id = $1 AND status IN ('running', 'done')")
        .bind(node)
        .fetch_all(db)
        .await?)
}

/// Deletes the rows of `node`'s exports that ended (failed, cancelled or
/// expired) before `before`; returns how many. Runs across tenants.
pub async fn forget_ended(db: impl PgExecutor<'_>, node: &str, before: DateTime<Utc>) -> Result<u64, CatalogError> {
    let done = sqlx::query(
        "DELETE FROM export_jobs WHERE node_id = $1 AND status IN ('failed', 'cancelled', 'expired') \
         AND coalesce(finished_at, created_at) < $2",
    )
    .bind(node)
    .bind(before)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// What the exports of the whole installation hold: bytes of finished
/// files, and how many run now. Runs across tenants.
pub async fn usage(db: impl PgExecutor<'_>) -> Result<(u64, u64), CatalogError> {
    let (bytes, running): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(bytes) FILTER (WHERE status = 'done'), 0)::bigint, \
         count(*) FILTER (WHERE status = 'running') FROM export_jobs",
    )
    .fetch_one(db)
    .await?;
    Ok((u64::try_from(bytes).unwrap_or(0), u64::try_from(running).unwrap_or(0)))
}
