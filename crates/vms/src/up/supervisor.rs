//! Runs each plane as `vms run <plane>` (and, for the demo, the camera
//! simulator as `vms camsim`) and restarts one that dies, with capped
//! exponential backoff, while the others keep running.

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

/// A supervised child: a name (for logs and pid files) and its `vms` arguments.
#[derive(Debug, Clone)]
pub struct ChildSpec {
    /// `control`, `media`, …, or `camsim`.
    pub name: String,
    /// Arguments to the `vms` binary, e.g. `["run", "media"]`.
    pub args: Vec<String>,
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
}

/// The supervised children.
pub struct Supervisor {
    children: Vec<Child>,
    exe: PathBuf,
    config_args: Vec<String>,
    logs: PathBuf,
    run_dir: PathBuf,
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
        };
        for spec in specs {
            let backoff = Backoff::new(
                Duration::from_millis(s.restart_initial_ms.into()),
                Duration::from_millis(s.restart_max_ms.into()),
            );
            let process = sup.spawn(&spec, 0)?;
            sup.children.push(Child {
                spec,
                process: Some(process),
                started: Instant::now(),
                restart_at: None,
                backoff,
                restarts: 0,
            });
        }
        Ok(sup)
    }

    fn spawn(&self, spec: &ChildSpec, restarts: u64) -> anyhow::Result<ManagedProcess> {
        let mut cmd = Command::new(&self.exe);
        cmd.args(&spec.args).args(&self.config_args).env(vms_metrics::RESTARTS_ENV, restarts.to_string());
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
            for i in 0..self.children.len() {
                let exited = self.children[i].process.as_mut().and_then(|p| p.try_wait());
                let child = &mut self.children[i];
                if let Some(status) = exited {
                    child.process = None;
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
                    match self.spawn(&spec, self.children[i].restarts + 1) {
                        Ok(p) => {
                            let child = &mut self.children[i];
                            child.process = Some(p);
                            child.started = Instant::now();
                            child.restarts += 1;
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
        for c in &self.children {
            let _ = std::fs::remove_file(self.run_dir.join(format!("{}.pid", c.spec.name)));
        }
    }
}
