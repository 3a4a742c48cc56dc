//! A private PostgreSQL for the benchmarks that measure the catalog: a
//! fresh cluster in a temporary directory, reached over a Unix socket, with
//! the catalog migrated and commits waiting for the disk as in production.

use std::time::Duration;

use sqlx::PgPool;

/// Starts the cluster (for benchmark `name`) and migrates the catalog; the
/// directory holds it and goes when dropped.
pub(crate) async fn private(name: &str) -> anyhow::Result<(tempfile::TempDir, vms_infra::Postgres)> {
    let dir = tempfile::Builder::new().prefix(&format!("vms-bench-{name}-")).tempdir_in("/tmp")?;
    std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
    let spec = vms_infra::PostgresSpec {
        data_dir: dir.path().join("pg"),
        listen: vms_infra::PgListen::UnixSocket { dir: dir.path().join("sock") },
        password: None,
        log: dir.path().join("pg.log"),
        unsafe_no_fsync: false,
    };
    let pg = vms_infra::Postgres::start(&spec).await?;
    pg.ensure_database("vms").await?;
    let owner = owner(&pg).await?;
    vms_catalog::migrate(&owner).await?;
    owner.close().await;
    Ok((dir, pg))
}

/// A pool of the catalog's owner (it bypasses nothing: tables force row level security).
pub(crate) async fn owner(pg: &vms_infra::Postgres) -> anyhow::Result<PgPool> {
    Ok(vms_catalog::connect(&pg.url("vms"), 2, Duration::from_secs(2)).await?)
}

/// A pool of `role` (the application's or the audit writer's), as the planes connect.
pub(crate) async fn pool_as(pg: &vms_infra::Postgres, role: &str, connections: u32) -> anyhow::Result<PgPool> {
    let owner = owner(pg).await?;
    vms_catalog::enable_login(&owner, role, "bench-pw").await?;
    owner.close().await;
    let url = vms_infra::postgres::url_with_user(&pg.url("vms"), role, "bench-pw")?;
    Ok(vms_catalog::connect(&url, connections, Duration::from_secs(1)).await?)
}
