//! Admin-issued one-time password reset tokens.
//!
//! An administrator asks for a token for a user and hands it over out of
//! band; the user sets a new password with it once, before it expires. Only
//! SHA-256 digests are stored.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// Stores a token digest for `user`, replacing any earlier unused one.
pub async fn create(
    db: &mut sqlx::PgConnection,
    tenant: TenantId,
    user: Uuid,
    token_hash: &[u8],
    created_by: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), CatalogError> {
    sqlx::query("DELETE FROM password_resets WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL")
        .bind(tenant)
        .bind(user)
        .execute(&mut *db)
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (id, tenant_id, user_id, token_hash, created_by, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(user)
    .bind(token_hash)
    .bind(created_by)
    .bind(expires_at)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Answers whether a token is known, unused and unexpired, without using it.
/// Needs a transaction scoped to all tenants.
pub async fn is_redeemable(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<bool, CatalogError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM password_resets \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now())",
    )
    .bind(token_hash)
    .fetch_one(db)
    .await?)
}

/// Marks a valid token used and returns its tenant and user; `None` if it is
/// unknown, used or expired. Needs a transaction scoped to all tenants.
pub async fn consume(db: impl PgExecutor<'_>, token_hash: &[u8]) -> Result<Option<(TenantId, Uuid)>, CatalogError> {
    Ok(sqlx::query_as(
        "UPDATE password_resets SET used_at = now() \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING tenant_id, user_id",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?)
}

/// Deletes used and expired tokens. Needs a transaction scoped to all tenants;
/// returns how many were deleted.
pub async fn sweep(db: impl PgExecutor<'_>) -> Result<u64, CatalogError> {
    Ok(sqlx::query("DELETE FROM password_resets WHERE used_at IS NOT NULL OR expires_at <= now()")
        .execute(db)
        .await?
        .rows_affected())
}
