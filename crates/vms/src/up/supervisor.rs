//! Runs each plane as `vms run <plane>` and restarts one that dies, with
//! capped exponential backoff, while the others keep running.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use tokio_util::sync::CancellationToken;
use vms_base::{Plane, backoff::Backoff};
use vms_config::Config;
use vms_infra::ManagedProcess;

/// A plane that ran this long before dying is restarted without delay growth.
const STABLE_AFTER: Duration = Duration::from_secs(30);

struct Child {
    plane: Plane,
    process: Option<ManagedProcess>,
    started: Instant,
    restart_at: Option<Instant>,
    backoff: Backoff,
}

/// The supervised planes.
pub struct Supervisor {
    children: Vec<Child>,
    exe: PathBuf,
    args: Vec<String>,
    logs: PathBuf,
    run_dir: PathBuf,
}

impl Supervisor {
    /// Starts every configured plane, in order.
    pub fn start(config: &Config, args: Vec<String>) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let s = &config.supervisor;
        let mut sup = Supervisor {
            children: Vec::new(),
            exe,
            args,
            logs: config.data_dir.join("logs"),
            run_dir: config.run_dir(),
        };
        for &plane in &s.planes {
            let backoff = Backoff::new(
                Duration::from_millis(s.restart_initial_ms.into()),
                Duration::from_millis(s.restart_max_ms.into()),
            );
            let process = sup.spawn(plane)?;
            sup.children.push(Child {
                plane,
                process: Some(process),
                started: Instant::now(),
                restart_at: None,
                backoff,
            });
        }
        Ok(sup)
    }

    fn spawn(&self, plane: Plane) -> anyhow::Result<ManagedProcess> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("run").arg(plane.as_str()).args(&self.args);
        let process =
            ManagedProcess::spawn(&format!("vms-{plane}"), cmd, &self.logs.join(format!("{plane}.log")), None)?;
        write_pid(&self.run_dir, plane, process.pid());
        tracing::info!(%plane, pid = process.pid(), "plane started");
        Ok(process)
    }

    /// Watches the planes until `shutdown`, restarting any that exits.
    pub async fn supervise(&mut self, shutdown: &CancellationToken) {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            let now = Instant::now();
            for i in 0..self.children.len() {
                let exited = match self.children[i].process.as_mut() {
                    Some(p) => p.try_wait(),
                    None => None,
                };
                let child = &mut self.children[i];
                if let Some(status) = exited {
                    child.process = None;
                    if now.duration_since(child.started) >= STABLE_AFTER {
                        child.backoff.reset();
                    }
                    let delay = child.backoff.next_delay();
                    child.restart_at = Some(now + delay);
                    tracing::warn!(plane = %child.plane, %status, restart_in_ms = delay.as_millis() as u64, "plane exited; restarting");
                    eprintln!("{} exited ({status}); restarting in {:.1}s", child.plane, delay.as_secs_f64());
                }
                let plane = self.children[i].plane;
                if self.children[i].restart_at.is_some_and(|at| at <= now) {
                    self.children[i].restart_at = None;
                    match self.spawn(plane) {
                        Ok(p) => {
                            let child = &mut self.children[i];
                            child.process = Some(p);
                            child.started = Instant::now();
                        }
                        Err(e) => {
                            let child = &mut self.children[i];
                            let delay = child.backoff.next_delay();
                            child.restart_at = Some(now + delay);
                            tracing::error!(%plane, error = %format!("{e:#}"), "failed to restart plane");
                        }
                    }
                }
            }
        }
    }

    /// Stops the planes in reverse start order, each with SIGTERM and `timeout`.
    pub async fn stop(&mut self, timeout: Duration) {
        let stops = self.children.iter_mut().rev().filter_map(|c| {
            let plane = c.plane;
            c.process.take().map(|mut p| async move {
                let status = p.stop(libc::SIGTERM, timeout).await;
                tracing::info!(%plane, ?status, "plane stopped");
            })
        });
        // Planes stop concurrently: none depends on another to shut down.
        futures::future::join_all(stops).await;
        for c in &self.children {
            let _ = std::fs::remove_file(self.run_dir.join(format!("{}.pid", c.plane)));
        }
    }
}

fn write_pid(run_dir: &Path, plane: Plane, pid: u32) {
    let _ = std::fs::write(run_dir.join(format!("{plane}.pid")), format!("{pid}\n"));
}
