//! The handshake between `vms up`'s supervisor and the processes it runs:
//! the supervisor tells each process, through its environment, how often it
//! was restarted and why, and where to beat its heart; the process beats it
//! (rewrites that file) from the loop that reports its status. A process
//! whose heartbeat stops while it still runs is hung, not crashed, and the
//! supervisor's watchdog kills and restarts it.
//!
//! The heartbeat is a small file rather than a pipe or a signal so that it
//! works alike on Linux and Windows and survives nothing but the process.

use std::{
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

/// Times the process was restarted by its supervisor.
pub const RESTARTS_ENV: &str = "VMS_RESTARTS";
/// Why the supervisor last restarted it: [`CAUSE_EXITED`] or [`CAUSE_HUNG`].
pub const RESTART_CAUSE_ENV: &str = "VMS_RESTART_CAUSE";
/// The file the process rewrites to show it is alive.
pub const HEARTBEAT_ENV: &str = "VMS_HEARTBEAT_FILE";
/// The process had exited.
pub const CAUSE_EXITED: &str = "exited";
/// The watchdog found it had stopped beating while it still ran.
pub const CAUSE_HUNG: &str = "hung";

/// How this process was started by its supervisor, from its environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartInfo {
    /// Times it was restarted (0 on a first start or without a supervisor).
    pub restarts: u64,
    /// Why it was last restarted: `exited` or `hung`.
    pub cause: Option<String>,
}

impl StartInfo {
    /// Reads [`RESTARTS_ENV`] and [`RESTART_CAUSE_ENV`]; anything but the
    /// two known causes is dropped.
    pub fn from_env() -> Self {
        let restarts = std::env::var(RESTARTS_ENV).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
        let cause = std::env::var(RESTART_CAUSE_ENV)
            .ok()
            .filter(|c| c == CAUSE_EXITED || c == CAUSE_HUNG)
            .filter(|_| restarts > 0);
        Self { restarts, cause }
    }
}

/// This process's heartbeat, when its supervisor asked for one.
#[derive(Debug, Clone)]
pub struct Heartbeat {
    path: PathBuf,
}

impl Heartbeat {
    /// The heartbeat [`HEARTBEAT_ENV`] names, if any.
    pub fn from_env() -> Option<Self> {
        std::env::var_os(HEARTBEAT_ENV).filter(|p| !p.is_empty()).map(|p| Self { path: p.into() })
    }

    /// Rewrites the file (its modification time is what the supervisor
    /// reads). A failure is logged at debug level only: the supervisor will
    /// say what it makes of a silent heart.
    pub fn beat(&self) {
        let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs();
        if let Err(e) = std::fs::write(&self.path, format!("{stamp}\n")) {
            tracing::debug!(path = %self.path.display(), error = %e, "cannot beat the heartbeat");
        }
    }

    /// Beats every `every` until `cancel` (for a process without a status
    /// loop to beat from).
    pub async fn run(self, every: Duration, cancel: tokio_util::sync::CancellationToken) {
        let mut tick = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tick.tick() => self.beat(),
            }
        }
    }
}

/// How long ago `path` last beat; `None` while it never did (or cannot be read).
pub fn silent_for(path: &Path) -> Option<Duration> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(SystemTime::now().duration_since(modified).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beat_is_seen_and_ages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("media.heartbeat");
        assert_eq!(silent_for(&path), None, "never beat");
        Heartbeat { path: path.clone() }.beat();
        let age = silent_for(&path).unwrap();
        assert!(age < Duration::from_secs(5), "{age:?}");
        let past = SystemTime::now() - Duration::from_secs(120);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(past).unwrap();
        assert!(silent_for(&path).unwrap() >= Duration::from_secs(119));
    }
}
