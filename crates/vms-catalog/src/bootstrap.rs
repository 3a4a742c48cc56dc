//! First-start setup: the default tenant and the bootstrap administrator.

use sqlx::PgPool;

use crate::{CatalogError, Scope, password, scope, tenant, user};

/// User name of the bootstrap administrator.
pub const ADMIN_USERNAME: &str = "admin";

/// Creates the default tenant and the `admin` user if the catalog has no user yet.
///
/// Uses `requested` as the password when given (e.g. from `VMS_ADMIN_PASSWORD`),
/// otherwise generates one. Returns the password only when the user was created
/// now, so callers show it exactly once. Concurrent callers are serialised.
pub async fn ensure_admin(pool: &PgPool, requested: Option<&str>) -> Result<Option<String>, CatalogError> {
    if let Some(p) = requested
        && let Some(problem) = password::policy_violation(p)
    {
        return Err(CatalogError::invalid("VMS_ADMIN_PASSWORD", problem));
    }
    let mut tx = scope::begin(pool, Scope::AllTenants).await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('vms_bootstrap'))").execute(&mut *tx).await?;
    if user::count_all(&mut *tx).await? > 0 {
        return Ok(None);
    }
    let tenant = match tenant::find_by_name(&mut *tx, tenant::DEFAULT_TENANT).await? {
        Some(t) => t,
        None => tenant::create(&mut *tx, tenant::DEFAULT_TENANT).await?,
    };
    let chosen = requested.map(str::to_owned).unwrap_or_else(password::generate);
    let hash = {
        let chosen = chosen.clone();
        tokio::task::spawn_blocking(move || password::hash(&chosen))
            .await
            .map_err(|e| CatalogError::Crypto(format!("password hashing task failed: {e}")))?
    };
    let admin = user::create(&mut tx, tenant.id, ADMIN_USERNAME, &hash, &["admin"]).await?;
    sqlx::query("UPDATE users SET super_admin = true WHERE id = $1").bind(admin).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(chosen))
}
