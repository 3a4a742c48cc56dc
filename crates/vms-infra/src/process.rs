//! Child processes that belong to us: own process group, logs to a file,
//! killed when the parent dies, stopped with a signal and a deadline.

#![allow(unsafe_code)]

use std::{
    fs::{File, OpenOptions},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    sync::{Mutex, mpsc},
    time::{Duration, Instant},
};

use anyhow::Context;

/// An unprivileged account to run a child as when we are root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunAs {
    /// User id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
}

impl RunAs {
    /// Looks up a system user by name.
    pub fn lookup(user: &str) -> Option<RunAs> {
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.len() > 3 && fields[0] == user)
                .then(|| Some(RunAs { uid: fields[2].parse().ok()?, gid: fields[3].parse().ok()? }))
                .flatten()
        })
    }

    /// Returns the account PostgreSQL must run as: `postgres` when we are root, else none.
    pub fn for_postgres() -> anyhow::Result<Option<RunAs>> {
        if !is_root() {
            return Ok(None);
        }
        RunAs::lookup("postgres").map(Some).ok_or_else(|| {
            anyhow::anyhow!(
                "PostgreSQL cannot run as root and no `postgres` user exists; \
                 install the postgresql package or run vms as an unprivileged user"
            )
        })
    }

    /// Gives this account ownership of `path` (recursively).
    pub fn chown_tree(self, path: &Path) -> anyhow::Result<()> {
        let mut stack = vec![path.to_owned()];
        while let Some(p) = stack.pop() {
            std::os::unix::fs::lchown(&p, Some(self.uid), Some(self.gid))
                .with_context(|| format!("failed to chown {}", p.display()))?;
            if p.is_dir() && !p.is_symlink() {
                for entry in std::fs::read_dir(&p)? {
                    stack.push(entry?.path());
                }
            }
        }
        Ok(())
    }
}

/// Returns whether this process runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

type SpawnJob = Box<dyn FnOnce() + Send>;

/// Spawns run on one thread that lives as long as the process: Linux delivers
/// the parent-death signal when the *thread* that forked a child exits, so
/// forking from short-lived threads (test threads, blocking pools) would kill
/// children early.
fn spawner() -> &'static Mutex<mpsc::Sender<SpawnJob>> {
    static SPAWNER: std::sync::OnceLock<Mutex<mpsc::Sender<SpawnJob>>> = std::sync::OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnJob>();
        std::thread::Builder::new()
            .name("vms-spawner".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
                // The sender lives in a static, so this loop only ends at process exit.
            })
            .expect("spawner thread should start");
        Mutex::new(tx)
    })
}

/// A child process we own.
#[derive(Debug)]
pub struct ManagedProcess {
    name: String,
    child: Child,
    log: PathBuf,
}

impl ManagedProcess {
    /// Starts `cmd` with stdout and stderr appended to `log`, in its own process
    /// group, optionally as `run_as`, set to be killed if this process dies.
    pub fn spawn(name: &str, mut cmd: Command, log: &Path, run_as: Option<RunAs>) -> anyhow::Result<Self> {
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let out = open_log(log)?;
        let err = out.try_clone()?;
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        configure_child(&mut cmd, run_as);
        let (tx, rx) = mpsc::channel();
        spawner()
            .lock()
            .expect("spawner lock should not be poisoned")
            .send(Box::new(move || {
                let _ = tx.send(cmd.spawn());
            }))
            .expect("spawner thread should be running");
        let child =
            rx.recv().expect("spawner thread should answer").with_context(|| format!("failed to start {name}"))?;
        tracing::debug!(process = name, pid = child.id(), "started");
        Ok(Self { name: name.to_owned(), child, log: log.to_owned() })
    }

    /// Returns the process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Returns the log file.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Returns the exit status if the process has exited.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Sends `signal` (e.g. `libc::SIGTERM`) to the process.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill has no memory-safety preconditions; a stale pid only yields ESRCH.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, signal);
        }
    }

    /// Sends `signal`, waits up to `timeout` for exit, then kills it.
    /// Returns the exit status.
    pub async fn stop(&mut self, signal: i32, timeout: Duration) -> Option<ExitStatus> {
        if let Some(status) = self.try_wait() {
            return Some(status);
        }
        self.signal(signal);
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tracing::warn!(process = %self.name, "did not stop in time; killing it");
        let _ = self.child.kill();
        self.child.wait().ok()
    }

    /// Returns an error that carries the tail of the log, for a process that failed to come up.
    pub fn failure(&self, what: &str) -> anyhow::Error {
        anyhow::anyhow!("{what}; last lines of {}:\n{}", self.log.display(), crate::log_tail(&self.log, 20))
    }
}

impl Drop for ManagedProcess {
    fn drop(&mut self) {
        if self.try_wait().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn open_log(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("failed to open log {}", path.display()))
}

#[cfg(unix)]
fn configure_child(cmd: &mut Command, run_as: Option<RunAs>) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    // SAFETY: the closure runs between fork and exec and calls only
    // async-signal-safe functions (setgroups, setgid, setuid, prctl, getppid).
    unsafe {
        cmd.pre_exec(move || {
            if let Some(RunAs { uid, gid }) = run_as
                && (libc::setgroups(0, std::ptr::null()) != 0 || libc::setgid(gid) != 0 || libc::setuid(uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            // After setuid: the kernel clears the parent-death signal on credential changes.
            #[cfg(target_os = "linux")]
            {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died before prctl took effect.
                if libc::getppid() == 1 {
                    return Err(std::io::Error::other("parent exited during spawn"));
                }
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn configure_child(_cmd: &mut Command, _run_as: Option<RunAs>) {}

/// Runs `cmd` to completion as `run_as`, failing with its output if it exits non-zero.
pub fn run_to_completion(name: &str, mut cmd: Command, run_as: Option<RunAs>) -> anyhow::Result<()> {
    configure_child(&mut cmd, run_as);
    let output = cmd.output().with_context(|| format!("failed to run {name}"))?;
    if output.status.success() {
        Ok(())
    } else {
        anyhow::bail!(
            "{name} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    }
}
