//! Runs each plane as `vms run <plane>` (and, for the demo, the camera
//! simulator as `vms camsim`) and restarts one that dies, with capped
//! exponential backoff, while the others keep running. A watchdog also
//! restarts a plane that still runs but has stopped beating its heartbeat
//! (see [`vms_base::watchdog`]): hung, not crashed. Each new start is told
//! how often, and why, it was restarted, so its status report and metrics
//! carry it and control can raise its restart alerts.

use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use tokio_util::sync::CancellationToken;
use vms_base::backoff::Backoff;
use vms_config::Config;
use vms_infra::ManagedProcess;

/// A child that ran this long before dying is restarted without delay growth.
const STABLE_AFTER: Duration = Duration::from_secs(30);
/// Most killed hung children kept to be reaped; beyond, the oldest is left to init.
const MAX_REAPING: usize = 16;

/// A supervised child: a name (for logs and pid files) and its `vms` arguments.
#[derive(Debug, Clone)]
pub struct ChildSpec {
    /// `control`, `media`, …, or `camsim`.
    pub name: String,
    /// Arguments to the `vms` binary, e.g. `["run", "media"]`.
    pub args: Vec<String>,
    /// Whether the watchdog listens to its heartbeat (the planes; not the
    /// camera simulator, which has none).
    pub watched: bool,
}

struct Child {
    spec: ChildSpec,
    process: Option<ManagedProcess>,
    started: Instant,
    restart_at: Option<Instant>,
    backoff: Backoff,
    /// Times it was restarted, told to each new start (`VMS_RESTARTS`) so
    /// its metrics show it.
    restarts: u64,
    /// Why it is being restarted: `exited` or `hung`.
    cause: &'static str,
    /// What its heartbeat last said, and when that was heard.
    heart: vms_base::watchdog::Listener,
}

/// The supervised children.
pub struct Supervisor {
    children: Vec<Child>,
    exe: PathBuf,
    config_args: Vec<String>,
    logs: PathBuf,
    run_dir: PathBuf,
    /// How long a watched child may go without a heartbeat; `None`: no watchdog.
    watchdog: Option<Duration>,
    /// Hung children killed that have not exited yet (stuck in the kernel,
    /// on a dead disk say): reaped as they go, never waited for.
    reaping: Vec<ManagedProcess>,
}

impl Supervisor {
    /// Starts every child, in order.
    pub fn start(config: &Config, config_args: Vec<String>, specs: Vec<ChildSpec>) -> anyhow::Result<Self> {
        let s = &config.supervisor;
        let mut sup = Supervisor {
            children: Vec::new(),
            exe: std::env::current_exe()?,
            config_args,
            logs: config.data_dir.join("logs"),
            run_dir: config.run_dir(),
            watchdog: (s.watchdog_secs > 0).then(|| Duration::from_secs(s.watchdog_secs.into())),
            reaping: Vec::new(),
        };
        for spec in specs {
            let backoff = Backoff::new(
                Duration::from_millis(s.restart_initial_ms.into()),
                Duration::from_millis(s.restart_max_ms.into()),
            );
            let process = sup.spawn(&spec, 0, None)?;
            sup.children.push(Child {
                spec,
                process: Some(process),
                started: Instant::now(),
                restart_at: None,
                backoff,
                restarts: 0,
                cause: vms_base::watchdog::CAUSE_EXITED,
                heart: Default::default(),
            });
        }
        Ok(sup)
    }

    /// Where a child beats its heart.
    fn heartbeat(&self, spec: &ChildSpec) -> PathBuf {
        self.run_dir.join(format!("{}.heartbeat", spec.name))
    }

    fn spawn(&self, spec: &ChildSpec, restarts: u64, cause: Option<&str>) -> anyhow::Result<ManagedProcess> {
        use vms_base::watchdog::{HEARTBEAT_ENV, RESTART_CAUSE_ENV, RESTARTS_ENV};
        let mut cmd = Command::new(&self.exe);
        cmd.args(&spec.args).args(&self.config_args).env(RESTARTS_ENV, restarts.to_string());
        match cause {
            Some(cause) => cmd.env(RESTART_CAUSE_ENV, cause),
            None => cmd.env_remove(RESTART_CAUSE_ENV),
        };
        if spec.watched {
            // A new start is not judged by its predecessor's last beat.
            let heartbeat = self.heartbeat(spec);
            let _ = std::fs::remove_file(&heartbeat);
            cmd.env(HEARTBEAT_ENV, heartbeat);
        }
        let process = ManagedProcess::spawn(
            &format!("vms-{}", spec.name),
            cmd,
            &self.logs.join(format!("{}.log", spec.name)),
            None,
        )?;
        let _ = std::fs::write(self.run_dir.join(format!("{}.pid", spec.name)), format!("{}\n", process.pid()));
        tracing::info!(child = %spec.name, pid = process.pid(), "started");
        Ok(process)
    }

    /// Watches the children until `shutdown`, restarting any that exits.
    pub async fn supervise(&mut self, shutdown: &CancellationToken) {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            let now = Instant::now();
            self.reaping.retain_mut(|p| p.try_wait().is_none());
            for i in 0..self.children.len() {
                self.watch(i);
                let exited = self.children[i].process.as_mut().and_then(|p| p.try_wait());
                let child = &mut self.children[i];
                if let Some(status) = exited {
                    child.process = None;
                    child.cause = vms_base::watchdog::CAUSE_EXITED;
                    if now.duration_since(child.started) >= STABLE_AFTER {
                        child.backoff.reset();
                    }
                    let delay = child.backoff.next_delay();
                    child.restart_at = Some(now + delay);
                    tracing::warn!(child = %child.spec.name, %status, restart_in_ms = delay.as_millis() as u64, "exited; restarting");
                    eprintln!("{} exited ({status}); restarting in {:.1}s", child.spec.name, delay.as_secs_f64());
                }
                if self.children[i].restart_at.is_some_and(|at| at <= now) {
                    self.children[i].restart_at = None;
                    let spec = self.children[i].spec.clone();
                    match self.spawn(&spec, self.children[i].restarts + 1, Some(self.children[i].cause)) {
                        Ok(p) => {
                            let child = &mut self.children[i];
                            child.process = Some(p);
                            child.started = Instant::now();
                            child.restarts += 1;
                            child.heart.reset();
                        }
                        Err(e) => {
                            let child = &mut self.children[i];
                            let delay = child.backoff.next_delay();
                            child.restart_at = Some(now + delay);
                            tracing::error!(child = %spec.name, error = %format!("{e:#}"), "failed to restart");
                        }
                    }
                }
            }
        }
    }

    /// Kills child `i` if it runs but its heartbeat has been silent for the
    /// watchdog's time (a stopped or deadlocked process: SIGTERM would go
    /// unheard), and schedules its restart as `hung`. A child that has not
    /// beaten since it started is left alone: it may still be waiting for
    /// the database or the bus. The killed child is reaped by the next
    /// ticks as it exits, never waited for (one stuck in the kernel may
    /// never exit).
    fn watch(&mut self, i: usize) {
        let Some(limit) = self.watchdog else { return };
        let heartbeat = self.heartbeat(&self.children[i].spec);
        let child = &mut self.children[i];
        if !child.spec.watched || child.process.is_none() {
            return;
        }
        let Some(silent) = child.heart.silent_for(&heartbeat) else { return };
        if silent < limit {
            return;
        }
        let Some(mut process) = child.process.take() else { return };
        tracing::error!(child = %child.spec.name, pid = process.pid(), silent_secs = silent.as_secs(),
            "stopped reporting while running: hung; killing it and starting it again");
        eprintln!("{} stopped reporting for {}s: hung; restarting it", child.spec.name, silent.as_secs());
        process.signal(libc::SIGKILL);
        // Collected by the next ticks as it goes: a process stuck in the
        // kernel (on a dead disk, say) is never waited for.
        if process.try_wait().is_none() {
            if self.reaping.len() >= MAX_REAPING {
                std::mem::forget(self.reaping.remove(0));
            }
            self.reaping.push(process);
        }
        let _ = std::fs::remove_file(&heartbeat);
        let child = &mut self.children[i];
        child.heart.reset();
        child.cause = vms_base::watchdog::CAUSE_HUNG;
        // A plane that ran well before it hung restarts without delay growth.
        if child.started.elapsed().saturating_sub(silent) >= STABLE_AFTER {
            child.backoff.reset();
        }
        let delay = child.backoff.next_delay();
        child.restart_at = Some(Instant::now() + delay);
    }

    /// Stops the children in reverse start order, concurrently, each with SIGTERM and `timeout`.
    pub async fn stop(&mut self, timeout: Duration) {
        let stops = self.children.iter_mut().rev().filter_map(|c| {
            let name = c.spec.name.clone();
            c.process.take().map(|mut p| async move {
                let status = p.stop(libc::SIGTERM, timeout).await;
                tracing::info!(child = %name, ?status, "stopped");
            })
        });
        futures::future::join_all(stops).await;
        // Killed hung children still stuck in the kernel are left to init:
        // waiting for them would hang `vms up` for good.
        for stuck in self.reaping.drain(..) {
            std::mem::forget(stuck);
        }
        for c in &self.children {
            let _ = std::fs::remove_file(self.run_dir.join(format!("{}.pid", c.spec.name)));
            let _ = std::fs::remove_file(self.heartbeat(&c.spec));
        }
    }
}
