//! Stored events (migration 0019): one row per event, kept up to date by the
//! messages about it (docs/ref/events.md), searched by the API and the
//! timeline, acknowledged by operators, and removed after the tenant's
//! retention.
//!
//! Control writes them from the bus with [`store::store`] in batches, across
//! tenants; everything else runs in one tenant's scope.

pub mod retention;
pub mod search;
pub mod store;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// An event as the catalog holds it, with the names of its camera, site and
/// tenant as they are now (absent once those are deleted).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredEvent {
    /// Its id: the same in every message about it.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// The site of its camera when it was stored.
    pub site_id: Option<Uuid>,
    /// The camera it concerns.
    pub camera_id: Option<Uuid>,
    /// What happened (`motion`, `object`, …).
    #[sqlx(rename = "type")]
    pub kind: String,
    /// When it started.
    pub start_time: DateTime<Utc>,
    /// When it ended; `None` while it goes on.
    pub end_time: Option<DateTime<Utc>>,
    /// What its source reported (label, score, box, zones, …).
    pub attributes: serde_json::Value,
    /// The number of the latest message applied (0 for the first).
    pub seq: i32,
    /// Where its snapshot is kept, under the data directory's `snapshots/`.
    pub snapshot: Option<String>,
    /// When the snapshot's keyframe arrived from the camera.
    pub snapshot_at: Option<DateTime<Utc>>,
    /// Why no snapshot could be taken, when a rule asked for one.
    pub snapshot_error: Option<String>,
    /// When an operator acknowledged it.
    pub acked_at: Option<DateTime<Utc>>,
    /// Who acknowledged it.
    pub acked_by: Option<Uuid>,
    /// When it was first stored.
    pub stored_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Its camera's name now.
    pub camera_name: Option<String>,
    /// Its site's name now.
    pub site_name: Option<String>,
    /// Its tenant's name now.
    pub tenant_name: Option<String>,
}

/// The columns of a [`StoredEvent`], selected from `events e`.
pub(crate) const COLUMNS: &str = "e.id, e.tenant_id, e.site_id, e.camera_id, e.type, e.start_time, e.end_time, \
    e.attributes, e.seq, e.snapshot, e.snapshot_at, e.snapshot_error, e.acked_at, e.acked_by, e.stored_at, e.updated_at, \
    coalesce(c.name, d.name) AS camera_name, s.name AS site_name, tn.name AS tenant_name";

/// The joins that name an event's camera (kept after its deletion), site
/// and tenant.
pub(crate) const JOINS: &str = "LEFT JOIN cameras c ON c.id = e.camera_id \
    LEFT JOIN deleted_cameras d ON d.id = e.camera_id LEFT JOIN sites s ON s.id = e.site_id \
    LEFT JOIN tenants tn ON tn.id = e.tenant_id";

/// A camera events may concern: current or deleted (its events may still be
/// ending), with its tenant and site.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventSource {
    /// The camera.
    pub camera_id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// Its site.
    pub site_id: Uuid,
    /// Its name.
    pub name: String,
}

/// Every camera events may concern, across tenants.
pub async fn sources(db: impl PgExecutor<'_>) -> Result<Vec<EventSource>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT id AS camera_id, tenant_id, site_id, name FROM cameras \
         UNION ALL SELECT id, tenant_id, site_id, name FROM deleted_cameras \
         WHERE id NOT IN (SELECT id FROM cameras)",
    )
    .fetch_all(db)
    .await?)
}

/// Finds one of `tenant`'s events.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<StoredEvent, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM events e {JOINS} WHERE e.tenant_id = $1 AND e.id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("event", id))
}

/// The events of type `kind` not ended yet, of every tenant (run across
/// tenants): outages a restarted source must still end.
pub async fn open_of_type(db: impl PgExecutor<'_>, kind: &str) -> Result<Vec<StoredEvent>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM events e {JOINS} WHERE e.type = $1 AND e.end_time IS NULL"))
        .bind(kind)
        .fetch_all(db)
        .await?)
}

/// Marks one of `tenant`'s events acknowledged by `user` (the first
/// acknowledgement stands); returns it as it is now.
pub async fn acknowledge(
    conn: &mut sqlx::PgConnection,
    tenant: TenantId,
    id: Uuid,
    user: Uuid,
) -> Result<StoredEvent, CatalogError> {
    sqlx::query(
        "UPDATE events SET acked_at = now(), acked_by = $3 WHERE tenant_id = $1 AND id = $2 AND acked_at IS NULL",
    )
    .bind(tenant)
    .bind(id)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    get(conn, tenant, id).await
}

/// Links the picture at `path` (under `snapshots/`), captured at
/// `captured_at`, to one of `tenant`'s events, clearing any earlier error;
/// returns the event as it is now (`None` if it is gone).
pub async fn snapshot_taken(
    conn: &mut sqlx::PgConnection,
    tenant: TenantId,
    id: Uuid,
    path: &str,
    captured_at: DateTime<Utc>,
) -> Result<Option<StoredEvent>, CatalogError> {
    sqlx::query(
        "UPDATE events SET snapshot = $3, snapshot_at = $4, snapshot_error = NULL, updated_at = now() \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant)
    .bind(id)
    .bind(path)
    .bind(captured_at)
    .execute(&mut *conn)
    .await?;
    found(get(conn, tenant, id).await)
}

/// Says on one of `tenant`'s events why no picture could be taken, unless
/// it has one already; returns the event as it is now (`None` if it is gone).
pub async fn snapshot_failed(
    conn: &mut sqlx::PgConnection,
    tenant: TenantId,
    id: Uuid,
    reason: &str,
) -> Result<Option<StoredEvent>, CatalogError> {
    let reason: String = reason.chars().take(500).collect();
    sqlx::query(
        "UPDATE events SET snapshot_error = $3, updated_at = now() \
         WHERE tenant_id = $1 AND id = $2 AND snapshot IS NULL",
    )
    .bind(tenant)
    .bind(id)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    found(get(conn, tenant, id).await)
}

fn found(event: Result<StoredEvent, CatalogError>) -> Result<Option<StoredEvent>, CatalogError> {
    match event {
        Ok(event) => Ok(Some(event)),
        Err(CatalogError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `(camera, site)` for every camera of `tenant`, current or deleted and
/// remembered, to decide which cameras' events a caller may see.
pub async fn camera_sites(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<Vec<(Uuid, Uuid)>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT id, site_id FROM cameras WHERE tenant_id = $1 \
         UNION ALL SELECT id, site_id FROM deleted_cameras WHERE tenant_id = $1 \
         AND id NOT IN (SELECT id FROM cameras)",
    )
    .bind(tenant)
    .fetch_all(db)
    .await?)
}
