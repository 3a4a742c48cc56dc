//! The VMS catalog in PostgreSQL: schema, migrations and repositories.
//!
//! Owns every table (tenants, sites, cameras, streams, users, roles, refresh
//! tokens, the audit trail, the recording index, export jobs) and the one sequence of
//! versioned migrations in `migrations/`. It seals camera credentials before
//! they reach the database and hashes user passwords with Argon2id. It makes
//! no policy decisions: callers pass the tenant they act for, and every query
//! is scoped by it.

pub mod access;
pub mod alert_rule;
pub mod analytics;
pub mod api_key;
pub mod audit;
pub mod bookmark;
pub mod bootstrap;
pub mod camera;
pub mod credentials;
pub mod device;
pub mod error;
pub mod event;
pub mod export;
pub mod layout;
pub mod nvr;
pub mod password;
pub mod password_reset;
pub mod plane_devices;
pub mod plane_streams;
pub mod quota;
pub mod recording;
pub mod refresh_token;
pub mod role;
pub mod rule;
pub mod schedule;
pub mod scope;
pub mod site;
pub mod tenant;
pub mod user;
pub mod version;
pub mod webhook;

use std::time::Duration;

pub use error::CatalogError;
pub use scope::{Scope, ScopedTx};
pub use sqlx::PgPool;
use sqlx::{migrate::Migrator, postgres::PgPoolOptions};

/// The versioned migrations of `migrations/`, embedded at build time.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Identifier of a tenant.
pub type TenantId = uuid::Uuid;

/// Opens a connection pool, failing after `connect_timeout` if the server is unreachable.
pub async fn connect(url: &str, max_connections: u32, connect_timeout: Duration) -> Result<PgPool, CatalogError> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(connect_timeout)
        .connect(url)
        .await
        .map_err(CatalogError::from)
}

/// Applies every pending migration. Safe to run from several processes at once.
pub async fn migrate(pool: &PgPool) -> Result<(), CatalogError> {
    MIGRATOR.run(pool).await.map_err(|e| CatalogError::Migration(e.to_string()))
}

/// Fails unless the connection's role is subject to row level security:
/// processes must not connect as a superuser or a role with BYPASSRLS.
pub async fn ensure_rls_enforced(pool: &PgPool) -> Result<(), CatalogError> {
    let (role, bypass): (String, bool) =
        sqlx::query_as("SELECT rolname::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(pool)
            .await?;
    if bypass {
        return Err(CatalogError::Migration(format!(
            "connected as `{role}`, which bypasses row level security; connect as a role granted vms_app \
             (database.url) and give the schema owner as database.owner_url"
        )));
    }
    Ok(())
}

/// Name of the role the processes' login role must be, or be granted.
pub const APP_ROLE: &str = "vms_app";

/// Name of the insert-only role that writes the audit trail.
pub const AUDIT_ROLE: &str = "vms_audit";

/// Lets `role` ([`APP_ROLE`] or [`AUDIT_ROLE`]) log in with `password`; run as
/// the schema owner, after migrating.
pub async fn enable_login(owner: &PgPool, role: &str, password: &str) -> Result<(), CatalogError> {
    if ![APP_ROLE, AUDIT_ROLE].contains(&role) {
        return Err(CatalogError::invalid("role", format!("`{role}` is not a VMS role")));
    }
    if !password.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(CatalogError::invalid("password", "must be letters, digits, '-' or '_'"));
    }
    // ALTER ROLE takes no bind parameters; both values are checked above.
    sqlx::query(&format!("ALTER ROLE {role} WITH LOGIN PASSWORD '{password}'")).execute(owner).await?;
    Ok(())
}

/// Fails with [`CatalogError::Migration`] if the database lacks a migration this build knows,
/// so a service never runs against an older schema.
pub async fn ensure_migrated(pool: &PgPool) -> Result<(), CatalogError> {
    let applied: Vec<i64> =
        match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(pool).await {
            Ok(v) => v,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => Vec::new(),
            Err(e) => return Err(e.into()),
        };
    let pending: Vec<String> = MIGRATOR
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .map(|m| format!("{} {}", m.version, m.description))
        .collect();
    if pending.is_empty() {
        Ok(())
    } else {
        Err(CatalogError::Migration(format!(
            "database schema is behind this build (pending: {}); run `vms migrate`",
            pending.join(", ")
        )))
    }
}
