//! Real PostgreSQL, Redis and NATS servers for tests, and media fixtures
//! made on the spot ([`media`]).
//!
//! ```ignore
//! let env = TestEnv::shared().await;       // one set of servers per test process
//! let db = env.fresh_database().await;     // CREATE DATABASE t_<uuid> TEMPLATE <migrated template>
//! let prefix = env.unique_prefix();        // for NATS subjects and Redis keys
//! ```
//!
//! The servers are started from the machine's binaries on first use: PostgreSQL
//! on a Unix socket only, Redis on a Unix socket only, NATS on a free loopback
//! port. Their logs stay under `/tmp/vms-testkit/<pid>/` (the path is printed
//! to the test's output). They die with the test process. Set
//! `VMS_TEST_DATABASE_URL` (a superuser URL), `VMS_TEST_REDIS_URL` or
//! `VMS_TEST_NATS_URL` to use servers that are already running instead. A
//! missing binary fails the test with an install hint; nothing is skipped.

pub mod listener;
pub mod media;
pub mod mosquitto;
mod private;
pub mod whep;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

pub use private::PrivatePostgres;

use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::{Mutex, OnceCell};
use vms_infra::{Nats, NatsSpec, PgListen, Postgres, PostgresSpec, Redis, RedisListen, RedisSpec};

/// Servers shared by every test in this process.
pub struct TestEnv {
    database_admin_url: String,
    template: String,
    redis_url: String,
    nats_url: String,
    dir: PathBuf,
    // Held so the servers live as long as the process.
    _servers: (Option<Postgres>, Option<Redis>, Option<Nats>),
}

/// A database of its own for one test, migrated to the latest schema.
pub struct TestDatabase {
    /// URL of the application role (`vms_app`), subject to row level security.
    pub url: String,
    /// A pool on it as the application role.
    pub pool: PgPool,
    /// URL of the schema owner (a superuser), for migrations and raw inspection.
    pub owner_url: String,
    /// A pool on it as the owner.
    pub owner_pool: PgPool,
    /// URL of the insert-only audit role (`vms_audit`).
    pub audit_url: String,
    /// Database name.
    pub name: String,
}

/// Password of the application and audit roles on test servers.
pub const APP_PASSWORD: &str = "vms-app-test";

static ENV: OnceCell<TestEnv> = OnceCell::const_new();
static CREATE_LOCK: Mutex<()> = Mutex::const_new(());

impl TestEnv {
    /// Returns the process-wide servers, starting them on first call.
    pub async fn shared() -> &'static TestEnv {
        ENV.get_or_init(|| async {
            match TestEnv::start().await {
                Ok(env) => env,
                Err(e) => panic!("failed to start test servers: {e:#}"),
            }
        })
        .await
    }

    async fn start() -> anyhow::Result<TestEnv> {
        let dir = prepare_dir()?;
        eprintln!("vms-testkit: server logs in {}", dir.display());
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());

        let (pg, database_admin_url) = match var("VMS_TEST_DATABASE_URL") {
            Some(url) => (None, url),
            None => {
                let pg = Postgres::start(&PostgresSpec {
                    data_dir: dir.join("pg"),
                    listen: PgListen::UnixSocket { dir: dir.join("sock") },
                    password: None,
                    log: dir.join("postgres.log"),
                    unsafe_no_fsync: true,
                })
                .await?;
                let url = pg.url("postgres");
                (Some(pg), url)
            }
        };
        let (redis, redis_url) = match var("VMS_TEST_REDIS_URL") {
            Some(url) => (None, url),
            None => {
                let redis = Redis::start(&RedisSpec {
                    dir: dir.join("redis"),
                    listen: RedisListen::UnixSocket { path: dir.join("redis.sock") },
                    password: None,
                    persistent: false,
                    log: dir.join("redis.log"),
                })
                .await?;
                let url = redis.url().to_owned();
                (Some(redis), url)
            }
        };
        let (nats, nats_url) = match var("VMS_TEST_NATS_URL") {
            Some(url) => (None, url),
            None => {
                let nats = Nats::start(&NatsSpec {
                    dir: dir.join("nats"),
                    port: None,
                    token: None,
                    log: dir.join("nats.log"),
                })
                .await?;
                let url = nats.url().to_owned();
                (Some(nats), url)
            }
        };
        let template = create_template(&database_admin_url).await?;
        Ok(TestEnv { database_admin_url, template, redis_url, nats_url, dir, _servers: (pg, redis, nats) })
    }

    /// Creates an empty, migrated database for one test.
    pub async fn fresh_database(&self) -> TestDatabase {
        self.create_database(Some(&self.template)).await
    }

    /// Creates a database with no schema at all, for migration tests.
    pub async fn empty_database(&self) -> TestDatabase {
        self.create_database(None).await
    }

    async fn create_database(&self, template: Option<&str>) -> TestDatabase {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let template = template.map(|t| format!(" TEMPLATE \"{t}\"")).unwrap_or_default();
        {
            let _guard = CREATE_LOCK.lock().await;
            let mut admin = PgConnection::connect(&self.database_admin_url).await.expect("admin connection");
            sqlx::query(&format!("CREATE DATABASE \"{name}\"{template}"))
                .execute(&mut admin)
                .await
                .expect("test database should be created");
            let _ = admin.close().await;
        }
        let owner_url = database_url(&self.database_admin_url, &name);
        let url = vms_infra::postgres::url_with_user(&owner_url, vms_catalog::APP_ROLE, APP_PASSWORD)
            .expect("test URLs should take a user");
        let connect = |url: String| async move {
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(5)
                .acquire_timeout(Duration::from_secs(10))
                .connect(&url)
                .await
                .expect("test database should accept connections")
        };
        let owner_pool = connect(owner_url.clone()).await;
        // An empty database has no schema, hence no grants for the application role yet.
        let pool = if template.is_empty() { owner_pool.clone() } else { connect(url.clone()).await };
        let audit_url = vms_infra::postgres::url_with_user(&owner_url, vms_catalog::AUDIT_ROLE, APP_PASSWORD)
            .expect("test URLs should take a user");
        TestDatabase { url, pool, owner_url, owner_pool, audit_url, name }
    }

    /// Returns the Redis URL.
    pub fn redis_url(&self) -> &str {
        &self.redis_url
    }

    /// Returns the NATS URL.
    pub fn nats_url(&self) -> &str {
        &self.nats_url
    }

    /// Returns a fresh prefix for NATS subjects and Redis keys, unique to the caller.
    pub fn unique_prefix(&self) -> String {
        format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
    }

    /// Returns the directory holding the servers' logs.
    pub fn log_dir(&self) -> &Path {
        &self.dir
    }
}

/// Migrates a template database once per process (or reuses one with the same migrations).
async fn create_template(admin_url: &str) -> anyhow::Result<String> {
    let checksum: String = vms_catalog::MIGRATOR
        .iter()
        .map(|m| format!("{}:{}", m.version, hex_prefix(&m.checksum)))
        .collect::<Vec<_>>()
        .join(",");
    let name = format!("vms_tpl_{:016x}", fnv(&checksum));
    let mut admin = PgConnection::connect(admin_url).await?;
    sqlx::query("SELECT pg_advisory_lock(4242)").execute(&mut admin).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&name)
        .fetch_one(&mut admin)
        .await?;
    if !exists {
        let building = format!("{name}_build_{}", std::process::id());
        sqlx::query(&format!("CREATE DATABASE \"{building}\"")).execute(&mut admin).await?;
        {
            let pool = PgPool::connect(&database_url(admin_url, &building)).await?;
            vms_catalog::migrate(&pool).await?;
            vms_catalog::enable_login(&pool, vms_catalog::APP_ROLE, APP_PASSWORD).await?;
            vms_catalog::enable_login(&pool, vms_catalog::AUDIT_ROLE, APP_PASSWORD).await?;
            pool.close().await;
        }
        sqlx::query(&format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\"")).execute(&mut admin).await?;
    }
    // Roles are cluster-wide and may predate this process's template.
    for role in [vms_catalog::APP_ROLE, vms_catalog::AUDIT_ROLE] {
        sqlx::query(&format!("ALTER ROLE {role} WITH LOGIN PASSWORD '{APP_PASSWORD}'")).execute(&mut admin).await?;
    }
    sqlx::query("SELECT pg_advisory_unlock(4242)").execute(&mut admin).await?;
    let _ = admin.close().await;
    Ok(name)
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

/// The API contract tools (`scripts/api-tools.txt`: openapi-spec-validator,
/// the Python SDK's generator and pytest), in the virtual environment
/// `scripts/setup.sh` installs, or `VMS_API_TOOLS`.
pub fn api_tools() -> std::path::PathBuf {
    match std::env::var_os("VMS_API_TOOLS") {
        Some(dir) => dir.into(),
        None => std::path::Path::new(&std::env::var("HOME").expect("HOME")).join(".cache/techno-vms/api-tools"),
    }
}

/// Lints a metrics exposition with Prometheus's own `promtool check
/// metrics` (Debian's `prometheus` package, which `scripts/setup.sh`
/// installs); panics with what it says when it finds a problem.
pub fn promtool_check_metrics(text: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool is missing: scripts/setup.sh installs Debian's prometheus package");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.trim().is_empty(), "promtool check metrics: {said}\n--- the metrics:\n{text}");
}

/// Returns a loopback TCP port that was free a moment ago, for a server a
/// test starts.
///
/// It is drawn from 10000–19999: outside the kernel's ephemeral range
/// (where every outgoing connection takes its local port, so a port found
/// free there can be gone by the time the server binds it) and below the
/// 20000–60000 the RTSP servers use for UDP. A port is never handed out
/// twice in one process.
pub fn free_port() -> u16 {
    use std::sync::{Mutex, OnceLock};
    static GIVEN: OnceLock<Mutex<std::collections::HashSet<u16>>> = OnceLock::new();
    let mut given = GIVEN.get_or_init(Default::default).lock().expect("port lock should not be poisoned");
    let seed = std::process::id() as u64
        ^ std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    for i in 0..10_000u64 {
        // A walk over the range from a per-process starting point.
        let port = 10_000 + ((seed.wrapping_add(i.wrapping_mul(7919))) % 10_000) as u16;
        if given.contains(&port) {
            continue;
        }
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            given.insert(port);
            return port;
        }
    }
    panic!("no free port between 10000 and 19999");
}

/// Replaces the database name in a PostgreSQL URL, keeping its query (e.g. `?host=`).
pub fn database_url(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{database}?{q}"),
        None => format!("{root}/{database}"),
    }
}

/// Makes `/tmp/vms-testkit/<pid>`, removing directories of processes that are gone.
fn prepare_dir() -> anyhow::Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let root = std::env::temp_dir().join("vms-testkit");
    std::fs::create_dir_all(&root)?;
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755))?;
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let pid = entry.file_name().to_string_lossy().parse::<u32>().ok();
            if let Some(pid) = pid
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = root.join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn swaps_database_name_keeping_query() {
        assert_eq!(
            database_url("postgres://vms@localhost/postgres?host=/tmp/x", "t_1"),
            "postgres://vms@localhost/t_1?host=/tmp/x"
        );
        assert_eq!(database_url("postgres://u:p@h:5/db", "other"), "postgres://u:p@h:5/other");
        assert_eq!(database_url("postgres://u@h", "d"), "postgres://u@h/d");
    }
}
