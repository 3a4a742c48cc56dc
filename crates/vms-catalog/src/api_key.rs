//! API keys for integrations. Only SHA-256 digests of keys are stored.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// An API key as listed (never the key itself).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiKey {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: TenantId,
    /// The user who created it; it never exceeds their permissions.
    pub user_id: Uuid,
    /// Name.
    pub name: String,
    /// First characters of the key, to recognise it.
    pub prefix: String,
    /// Permissions it carries (a subset of its creator's).
    pub permissions: Vec<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Stops working after.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked at.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Address of the last use.
    pub last_used_ip: Option<String>,
}

const COLUMNS: &str = "id, tenant_id, user_id, name, prefix, permissions, created_at, expires_at, revoked_at, \
                       last_used_at, last_used_ip";

/// Fields of a new key.
#[derive(Debug, Clone)]
pub struct NewApiKey<'a> {
    /// Name.
    pub name: &'a str,
    /// Display prefix.
    pub prefix: &'a str,
    /// SHA-256 of the whole key.
    pub key_hash: &'a [u8],
    /// Permissions.
    pub permissions: &'a [String],
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Stores a new key of `user`.
pub async fn create(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    user: Uuid,
    new: &NewApiKey<'_>,
) -> Result<ApiKey, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO api_keys (id, tenant_id, user_id, name, prefix, key_hash, permissions, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(user)
    .bind(new.name)
    .bind(new.prefix)
    .bind(new.key_hash)
    .bind(new.permissions)
    .bind(new.expires_at)
    .fetch_one(db)
    .await?)
}

/// Lists the tenant's keys, or only `user`'s.
pub async fn list(db: impl PgExecutor<'_>, tenant: TenantId, user: Option<Uuid>) -> Result<Vec<ApiKey>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_keys WHERE tenant_id = $1 AND ($2::uuid IS NULL OR user_id = $2) \
         ORDER BY created_at DESC"
    ))
    .bind(tenant)
    .bind(user)
    .fetch_all(db)
    .await?)
}

/// Returns one key of the tenant.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<ApiKey, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_keys WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("api key", id))
}

/// Revokes a key (idempotent).
pub async fn revoke(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    sqlx::query("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2")
        .bind(tenant)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Finds a usable key by digest (unrevoked, unexpired). Needs a scope spanning
/// all tenants: the key names no tenant.
pub async fn find_usable(db: impl PgExecutor<'_>, key_hash: &[u8]) -> Result<Option<ApiKey>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > now())"
    ))
    .bind(key_hash)
    .fetch_optional(db)
    .await?)
}

/// Records a use, at most once a minute per key to spare the database.
pub async fn touch(db: impl PgExecutor<'_>, id: Uuid, ip: &str) -> Result<(), CatalogError> {
    sqlx::query(
        "UPDATE api_keys SET last_used_at = now(), last_used_ip = $2 \
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    )
    .bind(id)
    .bind(ip)
    .execute(db)
    .await?;
    Ok(())
}
