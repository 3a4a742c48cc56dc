//! An embedded PostgreSQL cluster.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context;
use sqlx::{Connection, postgres::PgConnection};

use crate::{ManagedProcess, RunAs, process::run_to_completion, require_binary};

/// Superuser created by `initdb`.
pub const SUPERUSER: &str = "vms";

/// Where the cluster listens.
#[derive(Debug, Clone)]
pub enum PgListen {
    /// Loopback TCP only (no Unix socket); password authentication.
    Tcp {
        /// Port on 127.0.0.1.
        port: u16,
    },
    /// A Unix socket in `dir` only (no TCP); trust authentication, for tests.
    UnixSocket {
        /// Directory of the socket; keep the path short (sockets are limited to ~100 bytes).
        dir: PathBuf,
    },
}

/// How to run the cluster.
#[derive(Debug, Clone)]
pub struct PostgresSpec {
    /// Cluster directory; created with `initdb` if it holds no cluster yet.
    pub data_dir: PathBuf,
    /// Listening mode.
    pub listen: PgListen,
    /// Superuser password for TCP mode (required there).
    pub password: Option<String>,
    /// Server log file.
    pub log: PathBuf,
    /// Skip fsync (tests only: a crash can corrupt the cluster).
    pub unsafe_no_fsync: bool,
}

/// A running cluster, stopped with [`Postgres::stop`] or killed on drop.
#[derive(Debug)]
pub struct Postgres {
    process: ManagedProcess,
    listen: PgListen,
    password: Option<String>,
}

impl Postgres {
    /// Initialises the cluster if needed, starts it and waits until it accepts connections.
    pub async fn start(spec: &PostgresSpec) -> anyhow::Result<Self> {
        let postgres = require_binary("postgres", "postgresql")?;
        let run_as = RunAs::for_postgres()?;
        if let PgListen::Tcp { .. } = spec.listen
            && spec.password.is_none()
        {
            anyhow::bail!("embedded PostgreSQL over TCP needs a password");
        }
        if !spec.data_dir.join("PG_VERSION").exists() {
            init_cluster(spec, run_as).await?;
        }
        if let Some(user) = run_as {
            user.chown_tree(&spec.data_dir)?;
            if let PgListen::UnixSocket { dir } = &spec.listen {
                std::fs::create_dir_all(dir)?;
                user.chown_tree(dir)?;
            }
        }
        let mut cmd = Command::new(postgres);
        cmd.arg("-D").arg(&spec.data_dir);
        match &spec.listen {
            PgListen::Tcp { port } => {
                cmd.args([
                    "-p",
                    &port.to_string(),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=",
                ]);
            }
            PgListen::UnixSocket { dir } => {
                cmd.args(["-c", "listen_addresses="]).arg("-k").arg(dir);
            }
        }
        if spec.unsafe_no_fsync {
            cmd.args(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        let process = ManagedProcess::spawn("postgres", cmd, &spec.log, run_as)?;
        let mut server = Postgres { process, listen: spec.listen.clone(), password: spec.password.clone() };
        server.wait_ready(Duration::from_secs(60)).await?;
        Ok(server)
    }

    /// Returns a connection URL for `database`.
    pub fn url(&self, database: &str) -> String {
        match &self.listen {
            PgListen::Tcp { port } => format!(
                "postgres://{SUPERUSER}:{}@127.0.0.1:{port}/{database}",
                self.password.as_deref().unwrap_or_default()
            ),
            PgListen::UnixSocket { dir } => {
                format!("postgres://{SUPERUSER}@localhost/{database}?host={}", dir.display())
            }
        }
    }

    /// Creates `database` unless it exists.
    pub async fn ensure_database(&self, database: &str) -> anyhow::Result<()> {
        let mut conn = PgConnection::connect(&self.url("postgres")).await?;
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(database)
            .fetch_one(&mut conn)
            .await?;
        if !exists {
            sqlx::query(&format!("CREATE DATABASE \"{}\"", database.replace('"', "")))
                .execute(&mut conn)
                .await
                .with_context(|| format!("failed to create database {database}"))?;
        }
        Ok(())
    }

    /// Returns the server's process id.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Returns whether the server process has exited.
    pub fn has_exited(&mut self) -> bool {
        self.process.try_wait().is_some()
    }

    /// Stops with a fast shutdown (SIGINT: roll back open transactions, checkpoint, exit).
    pub async fn stop(mut self, timeout: Duration) {
        self.process.stop(libc::SIGINT, timeout).await;
    }

    async fn wait_ready(&mut self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        let url = self.url("postgres");
        loop {
            match PgConnection::connect(&url).await {
                Ok(conn) => {
                    let _ = conn.close().await;
                    return Ok(());
                }
                Err(e) => {
                    if self.has_exited() {
                        return Err(self.process.failure("PostgreSQL exited during start-up"));
                    }
                    if Instant::now() > deadline {
                        return Err(self.process.failure(&format!("PostgreSQL did not accept connections: {e}")));
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn init_cluster(spec: &PostgresSpec, run_as: Option<RunAs>) -> anyhow::Result<()> {
    let initdb = require_binary("initdb", "postgresql")?;
    std::fs::create_dir_all(&spec.data_dir).with_context(|| format!("failed to create {}", spec.data_dir.display()))?;
    let parent = spec.data_dir.parent().unwrap_or(Path::new("/")).to_owned();
    let pwfile = parent.join(".pg-initdb-pw");
    let mut cmd = Command::new(initdb);
    cmd.arg("-D").arg(&spec.data_dir).args(["-U", SUPERUSER, "-E", "UTF8", "--no-locale"]);
    if spec.unsafe_no_fsync {
        cmd.arg("-N");
    }
    match &spec.password {
        Some(password) => {
            crate::write_private(&pwfile, password)?;
            cmd.args(["--auth-host=scram-sha-256", "--auth-local=scram-sha-256"])
                .arg(format!("--pwfile={}", pwfile.display()));
        }
        None => {
            cmd.arg("--auth=trust");
        }
    }
    if let Some(user) = run_as {
        check_reachable(&spec.data_dir)?;
        user.chown_tree(&spec.data_dir)?;
        if pwfile.exists() {
            user.chown_tree(&pwfile)?;
        }
    }
    let result = tokio::task::spawn_blocking(move || run_to_completion("initdb", cmd, run_as))
        .await
        .context("initdb task failed")?;
    let _ = std::fs::remove_file(&pwfile);
    result
}

/// The `postgres` user must be able to traverse every ancestor of the cluster directory.
fn check_reachable(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for ancestor in dir.ancestors().skip(1) {
        let Ok(meta) = std::fs::metadata(ancestor) else {
            continue;
        };
        if meta.permissions().mode() & 0o001 == 0 {
            anyhow::bail!(
                "PostgreSQL runs as the `postgres` user (it refuses root), which cannot enter {}; \
                 choose a data directory outside it (e.g. --data-dir /var/lib/vms) or run `chmod o+x {}`",
                ancestor.display(),
                ancestor.display()
            );
        }
    }
    Ok(())
}

crate::embedded_server!(Postgres, PostgresSpec, "postgres");

/// Returns `url` with its user name and password replaced, e.g. to connect as the application role.
pub fn url_with_user(url: &str, user: &str, password: &str) -> anyhow::Result<String> {
    let mut parsed = url::Url::parse(url).context("invalid PostgreSQL URL")?;
    parsed.set_username(user).map_err(|_| anyhow::anyhow!("PostgreSQL URL cannot carry a user"))?;
    parsed.set_password(Some(password)).map_err(|_| anyhow::anyhow!("PostgreSQL URL cannot carry a password"))?;
    Ok(parsed.to_string())
}
