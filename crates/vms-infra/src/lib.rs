//! Embedded infrastructure: PostgreSQL, Redis and NATS started from the
//! machine's own binaries as child processes.
//!
//! `vms up` uses it for the embedded default, and `vms-testkit` uses it to give
//! tests real servers. Each server gets a private directory, listens only on
//! loopback or a Unix socket, and is stopped in order by its owner. Children
//! run in their own process group (a terminal's Ctrl-C reaches only the
//! supervisor, which stops them in order) and die with their parent on Linux
//! if the parent is killed outright.
//!
//! PostgreSQL refuses to run as root; when this process is root it runs
//! `initdb` and `postgres` as the `postgres` system user.

pub mod nats;
pub mod postgres;
pub mod process;
pub mod redis;

use std::{future::Future, path::Path, time::Duration};

use anyhow::Context;

pub use nats::{Nats, NatsSpec};
pub use postgres::{PgListen, Postgres, PostgresSpec};
pub use process::{ManagedProcess, RunAs};
pub use redis::{Redis, RedisListen, RedisSpec};

/// A server this crate can start, watch and stop, so supervisors treat all three alike.
pub trait EmbeddedServer: Sized + Send {
    /// How to run it.
    type Spec: Send + Sync;
    /// Name for logs, e.g. `postgres`.
    const NAME: &'static str;
    /// Starts the server and waits until it serves.
    fn start(spec: &Self::Spec) -> impl Future<Output = anyhow::Result<Self>> + Send;
    /// Returns whether the process has exited.
    fn has_exited(&mut self) -> bool;
    /// Returns the process id.
    fn pid(&self) -> u32;
    /// Stops it gracefully, killing it after `timeout`.
    fn stop(self, timeout: Duration) -> impl Future<Output = ()> + Send;
}

/// Implements [`EmbeddedServer`] for a server type by delegating to its own
/// `start`, `has_exited`, `pid` and `stop`.
#[macro_export]
#[doc(hidden)]
macro_rules! embedded_server {
    ($ty:ty, $spec:ty, $name:literal) => {
        impl $crate::EmbeddedServer for $ty {
            type Spec = $spec;
            const NAME: &'static str = $name;

            fn start(spec: &$spec) -> impl std::future::Future<Output = anyhow::Result<Self>> + Send {
                <$ty>::start(spec)
            }

            fn has_exited(&mut self) -> bool {
                <$ty>::has_exited(self)
            }

            fn pid(&self) -> u32 {
                <$ty>::pid(self)
            }

            fn stop(self, timeout: std::time::Duration) -> impl std::future::Future<Output = ()> + Send {
                <$ty>::stop(self, timeout)
            }
        }
    };
}

/// Returns the last `max_lines` lines of a log file, for error messages.
pub fn log_tail(path: &Path, max_lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(max_lines)..].join("\n")
}

/// Fails with an install hint when `binary` is not on the PATH (or not at the absolute path given).
pub fn require_binary(binary: &str, apt_package: &str) -> anyhow::Result<std::path::PathBuf> {
    find_binary(binary).ok_or_else(|| {
        anyhow::anyhow!(
            "`{binary}` not found on PATH; install it with `sudo apt-get install {apt_package}` \
             (or run scripts/setup.sh)"
        )
    })
}

/// Looks `binary` up on the PATH, then in PostgreSQL's versioned directories.
pub fn find_binary(binary: &str) -> Option<std::path::PathBuf> {
    let direct = Path::new(binary);
    if direct.is_absolute() {
        return direct.exists().then(|| direct.to_owned());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<std::path::PathBuf> = std::env::split_paths(&path).collect();
    dirs.push("/usr/sbin".into());
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<_> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        dirs.extend(versions.into_iter().rev());
    }
    dirs.into_iter().map(|d| d.join(binary)).find(|p| p.is_file())
}

/// Writes `content` to a new file readable only by its owner.
pub(crate) fn write_private(path: &std::path::Path, content: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("failed to write {}", path.display()))?;
    std::io::Write::write_all(&mut f, content.as_bytes())?;
    Ok(())
}
