//! The embedded PostgreSQL, Redis and NATS of `vms up`, each started only
//! when no server is configured for it, and restarted if it dies.

use std::{path::Path, time::Duration};

use anyhow::Context;
use rand::{Rng, distributions::Alphanumeric};
use tokio_util::sync::CancellationToken;
use vms_base::backoff::Backoff;
use vms_config::Config;
use vms_infra::{EmbeddedServer, Nats, NatsSpec, PgListen, Postgres, PostgresSpec, Redis, RedisListen, RedisSpec};

use crate::connections::{
    self, DATABASE_AUDIT_URL_FILE, DATABASE_OWNER_URL_FILE, DATABASE_URL_FILE, NATS_URL_FILE, REDIS_URL_FILE, Urls,
};

/// Name of the catalog database in the embedded cluster.
const DATABASE: &str = "vms";

/// A running embedded server with what it takes to start it again.
struct Slot<S: EmbeddedServer> {
    spec: S::Spec,
    server: Option<S>,
    backoff: Backoff,
    restart_at: Option<tokio::time::Instant>,
}

impl<S: EmbeddedServer> Slot<S> {
    async fn start(spec: S::Spec, run_dir: &Path) -> anyhow::Result<Self> {
        let server = S::start(&spec).await.with_context(|| format!("failed to start embedded {}", S::NAME))?;
        pid_file(run_dir, S::NAME, server.pid());
        let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        Ok(Slot { spec, server: Some(server), backoff, restart_at: None })
    }

    /// Notices a dead server and starts it again after a backoff, keeping its data and port.
    async fn check(&mut self, run_dir: &Path) {
        if let Some(server) = &mut self.server
            && server.has_exited()
        {
            self.server = None;
            let delay = self.backoff.next_delay();
            self.restart_at = Some(tokio::time::Instant::now() + delay);
            tracing::error!(server = S::NAME, restart_in_ms = delay.as_millis() as u64, "embedded server exited");
            eprintln!("embedded {} exited; restarting in {:.1}s", S::NAME, delay.as_secs_f64());
        }
        if self.restart_at.is_some_and(|at| at <= tokio::time::Instant::now()) {
            self.restart_at = None;
            match S::start(&self.spec).await {
                Ok(server) => {
                    pid_file(run_dir, S::NAME, server.pid());
                    tracing::info!(server = S::NAME, pid = server.pid(), "embedded server restarted");
                    self.server = Some(server);
                }
                Err(e) => {
                    let delay = self.backoff.next_delay();
                    self.restart_at = Some(tokio::time::Instant::now() + delay);
                    tracing::error!(server = S::NAME, error = %format!("{e:#}"), "failed to restart embedded server");
                }
            }
        }
    }

    async fn stop(self, timeout: Duration, run_dir: &Path) {
        if let Some(server) = self.server {
            server.stop(timeout).await;
        }
        let _ = std::fs::remove_file(run_dir.join(format!("{}.pid", S::NAME)));
    }
}

/// The servers `vms up` started (none for those configured elsewhere).
#[derive(Default)]
pub struct Embedded {
    /// Passwords of the application and audit roles, when the database is
    /// embedded; their logins are enabled once migrations have created the roles.
    pub role_passwords: Vec<(&'static str, String)>,
    postgres: Option<Slot<Postgres>>,
    redis: Option<Slot<Redis>>,
    nats: Option<Slot<Nats>>,
}

fn secret(config: &Config, name: &str) -> anyhow::Result<String> {
    let bytes = vms_base::secret_file::load_or_create(&config.secrets_dir().join(name), || {
        rand::thread_rng().sample_iter(&Alphanumeric).take(32).collect()
    })?;
    String::from_utf8(bytes).with_context(|| format!("secret {name} is not text"))
}

/// Records an embedded server's URL where `vms run` and friends look for it.
fn write_url(config: &Config, file: &str, url: &str) -> anyhow::Result<()> {
    let path = config.secrets_dir().join(file);
    let _ = std::fs::remove_file(&path);
    vms_base::secret_file::load_or_create(&path, || url.as_bytes().to_vec())?;
    Ok(())
}

fn pid_file(run_dir: &Path, name: &str, pid: u32) {
    let _ = std::fs::write(run_dir.join(format!("{name}.pid")), format!("{pid}\n"));
}

impl Embedded {
    /// Starts what is not configured elsewhere and returns every URL.
    pub async fn start(config: &Config) -> anyhow::Result<(Embedded, Urls)> {
        let mut embedded = Embedded::default();
        let logs = config.data_dir.join("logs");
        let run_dir = config.run_dir();

        if config.database.resolve_url()?.is_none() {
            eprintln!("starting embedded PostgreSQL on 127.0.0.1:{}", config.database.embedded_port);
            let spec = PostgresSpec {
                data_dir: config.data_dir.join("postgres"),
                listen: PgListen::Tcp { port: config.database.embedded_port },
                password: Some(secret(config, "postgres-password")?),
                log: logs.join("postgres.log"),
                unsafe_no_fsync: false,
            };
            let slot = Slot::<Postgres>::start(spec, &run_dir).await?;
            let pg = slot.server.as_ref().expect("a started slot holds its server");
            pg.ensure_database(DATABASE).await?;
            let owner_url = pg.url(DATABASE);
            write_url(config, DATABASE_OWNER_URL_FILE, &owner_url)?;
            for (role, secret_name, file) in [
                (vms_catalog::APP_ROLE, "vms-app-password", DATABASE_URL_FILE),
                (vms_catalog::AUDIT_ROLE, "vms-audit-password", DATABASE_AUDIT_URL_FILE),
            ] {
                let password = secret(config, secret_name)?;
                write_url(config, file, &vms_infra::postgres::url_with_user(&owner_url, role, &password)?)?;
                embedded.role_passwords.push((role, password));
            }
            embedded.postgres = Some(slot);
        }
        if config.redis.resolve_url()?.is_none() {
            eprintln!("starting embedded Redis on 127.0.0.1:{}", config.redis.embedded_port);
            let spec = RedisSpec {
                dir: config.data_dir.join("redis"),
                listen: RedisListen::Tcp { port: config.redis.embedded_port },
                password: Some(secret(config, "redis-password")?),
                persistent: true,
                log: logs.join("redis.log"),
            };
            let slot = Slot::<Redis>::start(spec, &run_dir).await?;
            write_url(config, REDIS_URL_FILE, slot.server.as_ref().expect("started").url())?;
            embedded.redis = Some(slot);
        }
        if config.nats.resolve_url()?.is_none() {
            eprintln!("starting embedded NATS on 127.0.0.1:{}", config.nats.embedded_port);
            let spec = NatsSpec {
                dir: config.data_dir.join("nats"),
                port: Some(config.nats.embedded_port),
                token: Some(secret(config, "nats-token")?),
                log: logs.join("nats.log"),
            };
            let slot = Slot::<Nats>::start(spec, &run_dir).await?;
            write_url(config, NATS_URL_FILE, slot.server.as_ref().expect("started").url())?;
            embedded.nats = Some(slot);
        }
        let urls = connections::resolve(config)?;
        Ok((embedded, urls))
    }

    /// Restarts any embedded server that dies, until `shutdown`.
    pub async fn watch(&mut self, run_dir: &Path, shutdown: &CancellationToken) {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
            if let Some(slot) = &mut self.postgres {
                slot.check(run_dir).await;
            }
            if let Some(slot) = &mut self.redis {
                slot.check(run_dir).await;
            }
            if let Some(slot) = &mut self.nats {
                slot.check(run_dir).await;
            }
        }
    }

    /// Stops NATS, Redis, then PostgreSQL, each with `timeout`.
    pub async fn stop(self, timeout: Duration, run_dir: &Path) {
        if let Some(slot) = self.nats {
            slot.stop(timeout, run_dir).await;
        }
        if let Some(slot) = self.redis {
            slot.stop(timeout, run_dir).await;
        }
        if let Some(slot) = self.postgres {
            slot.stop(timeout, run_dir).await;
        }
    }
}
