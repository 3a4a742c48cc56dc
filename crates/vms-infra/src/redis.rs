//! An embedded Redis server.

use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context;

use crate::{ManagedProcess, require_binary};

/// Where Redis listens.
#[derive(Debug, Clone)]
pub enum RedisListen {
    /// 127.0.0.1 on this port, with a password.
    Tcp {
        /// Port.
        port: u16,
    },
    /// This Unix socket only (TCP off), for tests.
    UnixSocket {
        /// Socket path.
        path: PathBuf,
    },
}

/// How to run Redis.
#[derive(Debug, Clone)]
pub struct RedisSpec {
    /// Working directory (append-only file and generated config).
    pub dir: PathBuf,
    /// Listening mode.
    pub listen: RedisListen,
    /// `requirepass`; written to the config file, never to the command line.
    pub password: Option<String>,
    /// Keep an append-only file so state survives restarts.
    pub persistent: bool,
    /// Server log file.
    pub log: PathBuf,
}

/// A running Redis server.
#[derive(Debug)]
pub struct Redis {
    process: ManagedProcess,
    url: String,
}

impl Redis {
    /// Starts the server and waits until it answers PING.
    pub async fn start(spec: &RedisSpec) -> anyhow::Result<Self> {
        let binary = require_binary("redis-server", "redis-server")?;
        std::fs::create_dir_all(&spec.dir).with_context(|| format!("failed to create {}", spec.dir.display()))?;
        let mut conf = format!(
            "dir {}\nsave \"\"\nappendonly {}\ndaemonize no\nprotected-mode yes\nloglevel notice\n",
            spec.dir.display(),
            if spec.persistent { "yes" } else { "no" }
        );
        let url = match &spec.listen {
            RedisListen::Tcp { port } => {
                conf.push_str(&format!("bind 127.0.0.1\nport {port}\n"));
                match &spec.password {
                    Some(pw) => format!("redis://:{pw}@127.0.0.1:{port}/"),
                    None => format!("redis://127.0.0.1:{port}/"),
                }
            }
            RedisListen::UnixSocket { path } => {
                conf.push_str(&format!("port 0\nunixsocket {}\nunixsocketperm 700\n", path.display()));
                format!("unix://{}", path.display())
            }
        };
        if let Some(pw) = &spec.password {
            conf.push_str(&format!("requirepass \"{pw}\"\n"));
        }
        let conf_path = spec.dir.join("redis.conf");
        crate::write_private(&conf_path, &conf)?;
        let mut cmd = Command::new(binary);
        cmd.arg(&conf_path);
        let process = ManagedProcess::spawn("redis-server", cmd, &spec.log, None)?;
        let mut server = Redis { process, url };
        server.wait_ready(Duration::from_secs(30)).await?;
        Ok(server)
    }

    /// Returns the connection URL (with the password, if any).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Returns the server's process id.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Returns whether the server process has exited.
    pub fn has_exited(&mut self) -> bool {
        self.process.try_wait().is_some()
    }

    /// Stops the server (SIGTERM: flush the append-only file, exit).
    pub async fn stop(mut self, timeout: Duration) {
        self.process.stop(libc::SIGTERM, timeout).await;
    }

    async fn wait_ready(&mut self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        let client = redis::Client::open(self.url.as_str()).context("invalid redis url")?;
        loop {
            let attempt = async {
                let mut conn = client.get_multiplexed_async_connection().await?;
                redis::cmd("PING").query_async::<String>(&mut conn).await
            };
            match attempt.await {
                Ok(_) => return Ok(()),
                Err(e) => {
                    if self.process.try_wait().is_some() {
                        return Err(self.process.failure("redis-server exited during start-up"));
                    }
                    if Instant::now() > deadline {
                        return Err(self.process.failure(&format!("redis-server did not answer: {e}")));
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

crate::embedded_server!(Redis, RedisSpec, "redis");
