//! An embedded NATS server with JetStream.

use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context;

use crate::{ManagedProcess, require_binary};

/// How to run NATS.
#[derive(Debug, Clone)]
pub struct NatsSpec {
    /// Working directory: generated config, JetStream store, ports file.
    pub dir: PathBuf,
    /// Port on 127.0.0.1; `None` lets the server pick a free one.
    pub port: Option<u16>,
    /// Client token; written to the config file, never to the command line.
    pub token: Option<String>,
    /// Server log file.
    pub log: PathBuf,
}

/// A running NATS server.
#[derive(Debug)]
pub struct Nats {
    process: ManagedProcess,
    url: String,
}

impl Nats {
    /// Starts the server and waits until it reports its client port.
    pub async fn start(spec: &NatsSpec) -> anyhow::Result<Self> {
        let binary = require_binary("nats-server", "nats-server")?;
        let store = spec.dir.join("jetstream");
        std::fs::create_dir_all(&store).with_context(|| format!("failed to create {}", store.display()))?;
        let ports_dir = spec.dir.join("ports");
        std::fs::create_dir_all(&ports_dir)?;
        let mut conf = format!(
            "host: 127.0.0.1\nport: {}\nports_file_dir: \"{}\"\njetstream {{\n  store_dir: \"{}\"\n}}\n",
            spec.port.map(i32::from).unwrap_or(-1),
            ports_dir.display(),
            store.display()
        );
        if let Some(token) = &spec.token {
            conf.push_str(&format!("authorization {{\n  token: \"{token}\"\n}}\n"));
        }
        let conf_path = spec.dir.join("nats.conf");
        crate::write_private(&conf_path, &conf)?;
        let mut cmd = Command::new(binary);
        cmd.arg("-c").arg(&conf_path);
        let mut process = ManagedProcess::spawn("nats-server", cmd, &spec.log, None)?;
        let ports_file = ports_dir.join(format!("nats-server_{}.ports", process.pid()));
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            if let Some(port) = read_client_port(&ports_file) {
                break port;
            }
            if process.try_wait().is_some() {
                return Err(process.failure("nats-server exited during start-up"));
            }
            if Instant::now() > deadline {
                return Err(process.failure("nats-server did not report its port"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let url = match &spec.token {
            Some(token) => format!("nats://{token}@127.0.0.1:{port}"),
            None => format!("nats://127.0.0.1:{port}"),
        };
        Ok(Nats { process, url })
    }

    /// Returns the client URL (a token, if any, is the URL's user name).
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

    /// Stops the server (SIGTERM).
    pub async fn stop(mut self, timeout: Duration) {
        self.process.stop(libc::SIGTERM, timeout).await;
    }
}

/// Reads `{"nats": ["nats://127.0.0.1:PORT"], ...}` written by the server once it listens.
fn read_client_port(path: &std::path::Path) -> Option<u16> {
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find("\"nats\"")?;
    let rest = &text[start..];
    let url_start = rest.find("nats://")?;
    let after = &rest[url_start + "nats://".len()..];
    let end = after.find('"')?;
    after[..end].rsplit_once(':')?.1.parse().ok()
}

crate::embedded_server!(Nats, NatsSpec, "nats");

#[cfg(test)]
mod tests {
    #[test]
    fn reads_port_from_ports_file() {
        let dir = std::env::temp_dir().join(format!("vms-ports-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.ports");
        std::fs::write(&file, r#"{"nats":["nats://127.0.0.1:41234"],"monitoring":[]}"#).unwrap();
        assert_eq!(super::read_client_port(&file), Some(41234));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
