//! The handshake between `vms up`'s supervisor and the processes it runs:
//! the supervisor tells each process, through its environment, how often it
//! was restarted and why, and where to beat its heart; the process beats it
//! (rewrites that file) from the loop that reports its status. A process
//! whose heartbeat stops while it still runs is hung, not crashed, and the
//! supervisor's watchdog kills and restarts it.
//!
//! The heartbeat is a small file rather than a pipe or a signal, so that it
//! can work alike on Linux and Windows; the supervisor judges it by its own
//! monotonic clock ([`Listener`]), never by the file's date.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant, SystemTime},
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
    /// Beats so far: each beat writes a new number.
    beats: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Whether the last beat failed.
    failing: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Heartbeat {
    /// The heartbeat [`HEARTBEAT_ENV`] names, if any.
    pub fn from_env() -> Option<Self> {
        std::env::var_os(HEARTBEAT_ENV).filter(|p| !p.is_empty()).map(Self::at)
    }

    /// A heartbeat written to `path`.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into(), beats: Default::default(), failing: Default::default() }
    }

    /// Rewrites the file with a new count (the supervisor watches for the
    /// file to change). The first failure in a row is logged as a warning
    /// (the supervisor will restart a plane whose heart it cannot hear),
    /// the rest at debug level.
    pub fn beat(&self) {
        use std::sync::atomic::Ordering;
        let count = self.beats.fetch_add(1, Ordering::Relaxed);
        match std::fs::write(&self.path, format!("{count}\n")) {
            Ok(()) => self.failing.store(false, Ordering::Relaxed),
            Err(e) if !self.failing.swap(true, Ordering::Relaxed) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot beat the heartbeat: the watchdog will take this process for hung");
            }
            Err(e) => tracing::debug!(path = %self.path.display(), error = %e, "cannot beat the heartbeat"),
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

/// What a heartbeat file says now: its contents and modification time,
/// which change with every beat; `None` while it never beat (or cannot be read).
pub fn pulse(path: &Path) -> Option<(SystemTime, Vec<u8>)> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some((modified, std::fs::read(path).ok()?))
}

/// Follows one heartbeat by the watcher's own monotonic clock, so that the
/// wall clock jumping (NTP at boot, a restored virtual machine) neither
/// makes a live process look silent nor hides a hung one.
#[derive(Debug, Default)]
pub struct Listener {
    last: Option<((SystemTime, Vec<u8>), Instant)>,
}

impl Listener {
    /// Looks at `path` now; returns how long it has been silent, or `None`
    /// while it never beat.
    pub fn silent_for(&mut self, path: &Path) -> Option<Duration> {
        let now = Instant::now();
        match (pulse(path), &self.last) {
            (None, None) => None,
            (None, Some((_, heard))) => Some(now.duration_since(*heard)),
            (Some(seen), Some((last, heard))) if *last == seen => Some(now.duration_since(*heard)),
            (Some(seen), _) => {
                self.last = Some((seen, now));
                Some(Duration::ZERO)
            }
        }
    }

    /// Forgets what was heard (a new process starts with a new heart).
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_is_measured_by_the_listeners_clock_not_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("media.heartbeat");
        let mut listener = Listener::default();
        assert_eq!(listener.silent_for(&path), None, "never beat");
        let heart = Heartbeat::at(&path);
        heart.beat();
        assert_eq!(listener.silent_for(&path), Some(Duration::ZERO), "just heard");
        // A file dated far in the past (the wall clock jumped) is heard by its change.
        let past = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(past).unwrap();
        assert_eq!(listener.silent_for(&path), Some(Duration::ZERO), "a change is a beat, whatever its date");
        std::thread::sleep(Duration::from_millis(30));
        let silent = listener.silent_for(&path).unwrap();
        assert!(silent >= Duration::from_millis(30) && silent < Duration::from_secs(5), "{silent:?}");
        heart.beat();
        assert_eq!(listener.silent_for(&path), Some(Duration::ZERO), "each beat writes something new");
        std::fs::remove_file(&path).unwrap();
        assert!(listener.silent_for(&path).is_some(), "a heart that was heard and vanished is silent");
        listener.reset();
        assert_eq!(listener.silent_for(&path), None);
    }
}
