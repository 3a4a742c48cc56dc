//! Tenants: the top of the ownership tree.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// Name of the tenant created on first start.
pub const DEFAULT_TENANT: &str = "default";

/// A tenant.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Tenant {
    /// Id.
    pub id: TenantId,
    /// Unique name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Most cameras the tenant may have, under the installation's licence;
    /// `None` leaves only the licence's limit.
    pub camera_quota: Option<i32>,
    /// Days its events are kept (1 to 3650).
    pub event_retention_days: i32,
}

const COLUMNS: &str = "id, name, created_at, camera_quota, event_retention_days";

/// Creates a tenant.
pub async fn create(db: impl PgExecutor<'_>, name: &str) -> Result<Tenant, CatalogError> {
    sqlx::query_as(&format!("INSERT INTO tenants (id, name) VALUES ($1, $2) RETURNING {COLUMNS}"))
        .bind(Uuid::new_v4())
        .bind(name)
        .fetch_one(db)
        .await
        .map_err(|e| match CatalogError::from(e) {
            e if e.is_unique_violation() => CatalogError::AlreadyExists(format!("tenant `{name}` already exists")),
            e => e,
        })
}

/// Finds a tenant by name.
pub async fn find_by_name(db: impl PgExecutor<'_>, name: &str) -> Result<Option<Tenant>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM tenants WHERE name = $1")).bind(name).fetch_optional(db).await?)
}

/// Lists every tenant visible to the transaction, by name.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<Tenant>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM tenants ORDER BY name")).fetch_all(db).await?)
}

/// Returns one tenant.
pub async fn get(db: impl PgExecutor<'_>, id: TenantId) -> Result<Tenant, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM tenants WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("tenant", id))
}

/// Renames a tenant.
pub async fn rename(db: impl PgExecutor<'_>, id: TenantId, name: &str) -> Result<Tenant, CatalogError> {
    sqlx::query_as(&format!("UPDATE tenants SET name = $2 WHERE id = $1 RETURNING {COLUMNS}"))
        .bind(id)
        .bind(name)
        .fetch_optional(db)
        .await
        .map_err(|e| match CatalogError::from(e) {
            e if e.is_unique_violation() => CatalogError::AlreadyExists(format!("tenant `{name}` already exists")),
            e => e,
        })?
        .ok_or_else(|| CatalogError::not_found("tenant", id))
}

/// Sets or (with `None`) removes a tenant's camera quota. Only cross-tenant
/// transactions may (migration 0014); checking it against the licence is the
/// caller's job.
pub async fn set_camera_quota(
    db: impl PgExecutor<'_>,
    id: TenantId,
    quota: Option<i32>,
) -> Result<Tenant, CatalogError> {
    sqlx::query_as(&format!("UPDATE tenants SET camera_quota = $2 WHERE id = $1 RETURNING {COLUMNS}"))
        .bind(id)
        .bind(quota)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("tenant", id))
}

/// Sets how many days a tenant keeps its events (1 to 3650).
pub async fn set_event_retention(db: impl PgExecutor<'_>, id: TenantId, days: i32) -> Result<Tenant, CatalogError> {
    if !(1..=3650).contains(&days) {
        return Err(CatalogError::invalid("event_retention_days", "must be between 1 and 3650"));
    }
    sqlx::query_as(&format!("UPDATE tenants SET event_retention_days = $2 WHERE id = $1 RETURNING {COLUMNS}"))
        .bind(id)
        .bind(days)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("tenant", id))
}

/// Deletes a tenant that has no users, sites or cameras left.
pub async fn delete_empty(db: &mut sqlx::PgConnection, id: TenantId) -> Result<(), CatalogError> {
    let (users, sites): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM users WHERE tenant_id = $1), (SELECT count(*) FROM sites WHERE tenant_id = $1)",
    )
    .bind(id)
    .fetch_one(&mut *db)
    .await?;
    if users > 0 || sites > 0 {
        return Err(CatalogError::Conflict(format!(
            "tenant still has {users} users and {sites} sites; remove them first"
        )));
    }
    let result = sqlx::query("DELETE FROM tenants WHERE id = $1").bind(id).execute(&mut *db).await?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("tenant", id));
    }
    Ok(())
}
