//! Where the database, Redis and NATS are.
//!
//! A URL set in the config (or `VMS_*_URL`, or a `*_url_file`) wins. Otherwise
//! the URL that `vms up` wrote for its embedded server into the data
//! directory's secrets is used, so `vms run`, `vms migrate` and `vms admin`
//! find the embedded servers with no extra setting.

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use vms_config::Config;

/// Files under the secrets directory holding the embedded servers' URLs.
pub const DATABASE_URL_FILE: &str = "database-url";
/// See [`DATABASE_URL_FILE`]: the schema owner's URL, for migrations.
pub const DATABASE_OWNER_URL_FILE: &str = "database-owner-url";
/// See [`DATABASE_URL_FILE`]: the insert-only audit writer's URL.
pub const DATABASE_AUDIT_URL_FILE: &str = "database-audit-url";
/// See [`DATABASE_URL_FILE`].
pub const REDIS_URL_FILE: &str = "redis-url";
/// See [`DATABASE_URL_FILE`].
pub const NATS_URL_FILE: &str = "nats-url";

/// The URLs a process needs.
pub struct Urls {
    pub database: String,
    pub redis: String,
    pub nats: String,
}

fn embedded(config: &Config, file: &str, what: &str) -> anyhow::Result<String> {
    let path: PathBuf = config.secrets_dir().join(file);
    std::fs::read_to_string(&path).map(|s| s.trim().to_owned()).with_context(|| {
        format!(
            "no {what} configured and no embedded one found at {}; start the system with `vms up` \
             or set {what}.url",
            path.display()
        )
    })
}

/// Resolves all three URLs.
pub fn resolve(config: &Config) -> anyhow::Result<Urls> {
    Ok(Urls {
        database: match config.database.resolve_url()? {
            Some(url) => url,
            None => embedded(config, DATABASE_URL_FILE, "database")?,
        },

        redis: match config.redis.resolve_url()? {
            Some(url) => url,
            None => embedded(config, REDIS_URL_FILE, "redis")?,
        },
        nats: match config.nats.resolve_url()? {
            Some(url) => url,
            None => embedded(config, NATS_URL_FILE, "nats")?,
        },
    })
}

/// Resolves the schema owner's URL, for migrations: `database.owner_url`, the
/// embedded owner, or else the application URL itself.
pub fn owner_database(config: &Config) -> anyhow::Result<String> {
    if let Some(url) = config.database.resolve_owner_url()? {
        return Ok(url);
    }
    if config.database.resolve_url()?.is_none()
        && let Ok(url) = embedded(config, DATABASE_OWNER_URL_FILE, "database")
    {
        return Ok(url);
    }
    Ok(resolve(config)?.database)
}

/// Resolves the URL of the insert-only audit writer (only control needs it).
pub fn audit_database(config: &Config) -> anyhow::Result<String> {
    match config.database.resolve_audit_url()? {
        Some(url) => Ok(url),
        None => embedded(config, DATABASE_AUDIT_URL_FILE, "database.audit"),
    }
}

/// Opens the catalog pool.
pub async fn database(config: &Config, url: &str) -> anyhow::Result<vms_catalog::PgPool> {
    vms_catalog::connect(url, config.database.max_connections, Duration::from_secs(5))
        .await
        .context("failed to connect to PostgreSQL")
}
