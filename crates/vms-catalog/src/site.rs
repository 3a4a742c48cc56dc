//! Sites: physical locations grouping cameras within a tenant.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// A site.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Site {
    /// Id.
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Name, unique within the tenant.
    pub name: String,
    /// Free text.
    pub description: String,
    /// IANA time zone of the location, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Fields of a new site.
#[derive(Debug, Clone)]
pub struct NewSite {
    /// Name, unique within the tenant.
    pub name: String,
    /// Free text.
    pub description: String,
    /// IANA time zone.
    pub timezone: String,
}

/// A partial update; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct SiteUpdate {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New time zone.
    pub timezone: Option<String>,
}

const COLUMNS: &str = "id, tenant_id, name, description, timezone, created_at, updated_at";

fn name_taken(name: &str) -> CatalogError {
    CatalogError::AlreadyExists(format!("a site named `{name}` already exists"))
}

/// Lists the tenant's sites by name.
pub async fn list(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<Vec<Site>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM sites WHERE tenant_id = $1 ORDER BY name, id"))
        .bind(tenant)
        .fetch_all(db)
        .await?)
}

/// Returns one site of the tenant.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Site, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM sites WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("site", id))
}

/// Creates a site in the tenant.
pub async fn create(db: impl PgExecutor<'_>, tenant: TenantId, new: &NewSite) -> Result<Site, CatalogError> {
    sqlx::query_as(&format!(
        "INSERT INTO sites (id, tenant_id, name, description, timezone) VALUES ($1, $2, $3, $4, $5) \
         RETURNING {COLUMNS}"
    ))
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(&new.name)
    .bind(&new.description)
    .bind(&new.timezone)
    .fetch_one(db)
    .await
    .map_err(|e| match CatalogError::from(e) {
        e if e.is_unique_violation() => name_taken(&new.name),
        e => e,
    })
}

/// Applies a partial update.
pub async fn update(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    id: Uuid,
    change: &SiteUpdate,
) -> Result<Site, CatalogError> {
    sqlx::query_as(&format!(
        "UPDATE sites SET name = COALESCE($3, name), description = COALESCE($4, description), \
         timezone = COALESCE($5, timezone), updated_at = now() \
         WHERE tenant_id = $1 AND id = $2 RETURNING {COLUMNS}"
    ))
    .bind(tenant)
    .bind(id)
    .bind(&change.name)
    .bind(&change.description)
    .bind(&change.timezone)
    .fetch_optional(db)
    .await
    .map_err(|e| match CatalogError::from(e) {
        e if e.is_unique_violation() => name_taken(change.name.as_deref().unwrap_or_default()),
        e => e,
    })?
    .ok_or_else(|| CatalogError::not_found("site", id))
}

/// Deletes a site; fails with [`CatalogError::Conflict`] while it still has cameras.
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let result = sqlx::query("DELETE FROM sites WHERE tenant_id = $1 AND id = $2")
        .bind(tenant)
        .bind(id)
        .execute(db)
        .await
        .map_err(|e| match CatalogError::from(e) {
            e if e.is_foreign_key_violation() => {
                CatalogError::Conflict("site still has cameras; move or delete them first".to_owned())
            }
            e => e,
        })?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("site", id));
    }
    Ok(())
}

/// `(site, time zone name)` of every site (run across tenants), for reading
/// schedules in local time.
pub async fn timezones(db: impl PgExecutor<'_>) -> Result<Vec<(Uuid, String)>, CatalogError> {
    Ok(sqlx::query_as("SELECT id, timezone FROM sites").fetch_all(db).await?)
}
