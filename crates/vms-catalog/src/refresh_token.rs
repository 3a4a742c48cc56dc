//! Refresh-token families with rotation and reuse detection.
//!
//! Only SHA-256 digests of tokens are stored. Each refresh marks the presented
//! token used and issues a successor in the same family. Presenting a token
//! that was already used means it leaked: the whole family is revoked.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// Outcome of presenting a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was valid; its successor is stored.
    Rotated {
        /// Owner.
        user_id: Uuid,
        /// Owner's tenant.
        tenant_id: TenantId,
        /// The login this token belongs to.
        family_id: Uuid,
    },
    /// The token had been used before; its family is now revoked.
    Reused {
        /// Owner.
        user_id: Uuid,
        /// The revoked family.
        family_id: Uuid,
    },
    /// Unknown, expired or revoked.
    Invalid,
}

/// Stores the digest of a new token starting or continuing `family_id`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    user: Uuid,
    family_id: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO refresh_tokens (id, tenant_id, user_id, family_id, token_hash, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(user)
    .bind(family_id)
    .bind(token_hash)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Presented {
    tenant_id: Uuid,
    user_id: Uuid,
    family_id: Uuid,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl Presented {
    /// Neither revoked nor expired (a used token is live: presenting it is reuse).
    fn live(&self) -> bool {
        self.revoked_at.is_none() && self.expires_at > Utc::now()
    }
}

/// Reads and locks the stored token `presented`.
async fn presented_row(tx: &mut PgConnection, presented: &[u8]) -> Result<Option<Presented>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT tenant_id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens \
         WHERE token_hash = $1 FOR UPDATE",
    )
    .bind(presented)
    .fetch_optional(&mut *tx)
    .await?)
}

/// A login (token family) and whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Login {
    /// The user.
    pub user_id: Uuid,
    /// Their tenant.
    pub tenant_id: Uuid,
    /// The token family.
    pub family_id: Uuid,
}

/// What presenting a refresh token to end its login did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The login ended.
    Ended(Login),
    /// The token had been used already: somebody copied it. The login ended too.
    Reused(Login),
    /// Unknown, revoked or expired: nothing happened.
    Invalid,
}

/// Ends the login `presented` belongs to (logout with the token alone). Call
/// inside a transaction scoped to all tenants (the token names no tenant).
pub async fn end_login(tx: &mut PgConnection, presented: &[u8]) -> Result<Ending, CatalogError> {
    let Some(row) = presented_row(tx, presented).await?.filter(Presented::live) else {
        return Ok(Ending::Invalid);
    };
    revoke_family(&mut *tx, row.family_id).await?;
    let login = Login { user_id: row.user_id, tenant_id: row.tenant_id, family_id: row.family_id };
    Ok(if row.used_at.is_some() { Ending::Reused(login) } else { Ending::Ended(login) })
}

/// Consumes `presented` and stores `successor` in its family. Call inside a
/// transaction scoped to all tenants (the token names no tenant), and commit
/// even for [`Rotation::Reused`], which revokes the family.
pub async fn rotate(
    tx: &mut PgConnection,
    presented: &[u8],
    successor: &[u8],
    successor_expires_at: DateTime<Utc>,
) -> Result<Rotation, CatalogError> {
    let Some(row) = presented_row(tx, presented).await?.filter(Presented::live) else {
        return Ok(Rotation::Invalid);
    };
    if row.used_at.is_some() {
        revoke_family(&mut *tx, row.family_id).await?;
        return Ok(Rotation::Reused { user_id: row.user_id, family_id: row.family_id });
    }
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1")
        .bind(presented)
        .execute(&mut *tx)
        .await?;
    insert(&mut *tx, row.tenant_id, row.user_id, row.family_id, successor, successor_expires_at).await?;
    Ok(Rotation::Rotated { user_id: row.user_id, tenant_id: row.tenant_id, family_id: row.family_id })
}

/// Revokes every token of a family (logout, or reuse detected).
pub async fn revoke_family(db: impl PgExecutor<'_>, family_id: Uuid) -> Result<(), CatalogError> {
    sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL")
        .bind(family_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Returns the family of a stored token if it belongs to `user`.
pub async fn family_of_user(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user: Uuid,
) -> Result<Option<Uuid>, CatalogError> {
    Ok(sqlx::query_scalar("SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2")
        .bind(token_hash)
        .bind(user)
        .fetch_optional(db)
        .await?)
}

/// Revokes every login of a user (password changed or reset, user disabled).
pub async fn revoke_user(db: impl PgExecutor<'_>, user: Uuid) -> Result<Vec<Uuid>, CatalogError> {
    revoke_users(db, &[user]).await
}

/// Deletes tokens that can never be accepted again: expired or revoked ones.
/// A used token stays until it expires, so presenting it again is still
/// recognised as reuse. Needs a transaction scoped to all tenants; returns how
/// many were deleted.
pub async fn sweep(db: impl PgExecutor<'_>) -> Result<u64, CatalogError> {
    Ok(sqlx::query("DELETE FROM refresh_tokens WHERE expires_at <= now() OR revoked_at IS NOT NULL")
        .execute(db)
        .await?
        .rows_affected())
}

/// Revokes every login of several users at once (a role they hold changed).
pub async fn revoke_users(db: impl PgExecutor<'_>, users: &[Uuid]) -> Result<Vec<Uuid>, CatalogError> {
    Ok(sqlx::query_scalar(
        "WITH revoked AS (UPDATE refresh_tokens SET revoked_at = now() \
         WHERE user_id = ANY($1) AND revoked_at IS NULL RETURNING family_id) SELECT DISTINCT family_id FROM revoked",
    )
    .bind(users)
    .fetch_all(db)
    .await?)
}
