//! Transactions scoped to one tenant, or explicitly to all of them.
//!
//! Row Level Security (migration 0002) shows a transaction only the rows of
//! the tenant named by `vms.tenant_id`; with no setting it sees nothing. Every
//! repository function runs inside a transaction begun here. Work across
//! tenants (login by user name, plane assignments, super-admin actions) uses
//! [`Scope::AllTenants`], so each such place is explicit and easy to audit.

use sqlx::{PgPool, Postgres, Transaction};

use crate::{CatalogError, TenantId};

/// Which rows a transaction may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only this tenant's rows.
    Tenant(TenantId),
    /// Every tenant's rows; for system work and explicit super-admin actions.
    AllTenants,
}

/// A transaction with its scope set; dropping it without commit rolls back.
pub type ScopedTx = Transaction<'static, Postgres>;

/// Begins a transaction limited to `scope`.
pub async fn begin(pool: &PgPool, scope: Scope) -> Result<ScopedTx, CatalogError> {
    let mut tx = pool.begin().await?;
    match scope {
        Scope::Tenant(tenant) => {
            sqlx::query("SELECT set_config('vms.tenant_id', $1, true)")
                .bind(tenant.to_string())
                .execute(&mut *tx)
                .await?;
        }
        Scope::AllTenants => {
            sqlx::query("SELECT set_config('vms.cross_tenant', 'on', true)").execute(&mut *tx).await?;
        }
    }
    Ok(tx)
}

/// Holds a lock named `key` until the transaction ends: two requests about
/// one thing (the same device being onboarded or imported twice at once)
/// run one after the other, the second seeing what the first did.
pub async fn lock(db: &mut sqlx::PgConnection, key: &str) -> Result<(), CatalogError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(db).await?;
    Ok(())
}
