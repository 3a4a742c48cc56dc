//! The embedded PostgreSQL, Redis and NATS of `vms up`, each started only
//! when no server is configured for it.

use std::{path::Path, time::Duration};

use anyhow::Context;
use rand::{Rng, distributions::Alphanumeric};
use vms_config::Config;
use vms_infra::{Nats, NatsSpec, PgListen, Postgres, PostgresSpec, Redis, RedisListen, RedisSpec};

use crate::connections::{self, DATABASE_URL_FILE, NATS_URL_FILE, REDIS_URL_FILE, Urls};

/// Name of the catalog database in the embedded cluster.
const DATABASE: &str = "vms";

/// The servers `vms up` started (none for those configured elsewhere).
#[derive(Default)]
pub struct Embedded {
    postgres: Option<Postgres>,
    redis: Option<Redis>,
    nats: Option<Nats>,
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

fn pid_file(config: &Config, name: &str, pid: u32) {
    let _ = std::fs::write(config.run_dir().join(format!("{name}.pid")), format!("{pid}\n"));
}

impl Embedded {
    /// Starts what is not configured elsewhere and returns every URL.
    pub async fn start(config: &Config) -> anyhow::Result<(Embedded, Urls)> {
        let mut embedded = Embedded::default();
        let logs = config.data_dir.join("logs");

        let database = match config.database.resolve_url()? {
            Some(url) => url,
            None => {
                eprintln!("starting embedded PostgreSQL on 127.0.0.1:{}", config.database.embedded_port);
                let pg = Postgres::start(&PostgresSpec {
                    data_dir: config.data_dir.join("postgres"),
                    listen: PgListen::Tcp { port: config.database.embedded_port },
                    password: Some(secret(config, "postgres-password")?),
                    log: logs.join("postgres.log"),
                    unsafe_no_fsync: false,
                })
                .await
                .context("failed to start embedded PostgreSQL")?;
                pg.ensure_database(DATABASE).await?;
                let url = pg.url(DATABASE);
                write_url(config, DATABASE_URL_FILE, &url)?;
                pid_file(config, "postgres", pg.pid());
                embedded.postgres = Some(pg);
                url
            }
        };
        let redis = match config.redis.resolve_url()? {
            Some(url) => url,
            None => {
                eprintln!("starting embedded Redis on 127.0.0.1:{}", config.redis.embedded_port);
                let redis = Redis::start(&RedisSpec {
                    dir: config.data_dir.join("redis"),
                    listen: RedisListen::Tcp { port: config.redis.embedded_port },
                    password: Some(secret(config, "redis-password")?),
                    persistent: true,
                    log: logs.join("redis.log"),
                })
                .await
                .context("failed to start embedded Redis")?;
                let url = redis.url().to_owned();
                write_url(config, REDIS_URL_FILE, &url)?;
                pid_file(config, "redis", redis.pid());
                embedded.redis = Some(redis);
                url
            }
        };
        let nats = match config.nats.resolve_url()? {
            Some(url) => url,
            None => {
                eprintln!("starting embedded NATS on 127.0.0.1:{}", config.nats.embedded_port);
                let nats = Nats::start(&NatsSpec {
                    dir: config.data_dir.join("nats"),
                    port: Some(config.nats.embedded_port),
                    token: Some(secret(config, "nats-token")?),
                    log: logs.join("nats.log"),
                })
                .await
                .context("failed to start embedded NATS")?;
                let url = nats.url().to_owned();
                write_url(config, NATS_URL_FILE, &url)?;
                pid_file(config, "nats", nats.pid());
                embedded.nats = Some(nats);
                url
            }
        };
        let urls = connections::resolve(config)?;
        debug_assert!(urls.database == database && urls.redis == redis && urls.nats == nats);
        Ok((embedded, urls))
    }

    /// Stops NATS, Redis, then PostgreSQL, each with `timeout`.
    pub async fn stop(self, timeout: Duration, run_dir: &Path) {
        if let Some(nats) = self.nats {
            nats.stop(timeout).await;
            let _ = std::fs::remove_file(run_dir.join("nats.pid"));
        }
        if let Some(redis) = self.redis {
            redis.stop(timeout).await;
            let _ = std::fs::remove_file(run_dir.join("redis.pid"));
        }
        if let Some(pg) = self.postgres {
            pg.stop(timeout).await;
            let _ = std::fs::remove_file(run_dir.join("postgres.pid"));
        }
    }
}
