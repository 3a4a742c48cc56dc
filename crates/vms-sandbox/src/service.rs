//! What a sandbox runs: services inside this process, and processes of their own.

use std::{
    future::Future,
    process::{Child, Command},
    time::{Duration, Instant},
};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A service running in this process, as a task of its own.
pub struct Service {
    /// Cancelling it asks the service to shut down.
    pub token: CancellationToken,
    /// The service's task; it finishes once the service has stopped.
    pub task: JoinHandle<anyhow::Result<()>>,
}

impl Service {
    /// Spawns `run` with a fresh shutdown token.
    pub fn spawn<F>(run: impl FnOnce(CancellationToken) -> F) -> Self
    where
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let token = CancellationToken::new();
        Self { task: tokio::spawn(run(token.clone())), token }
    }

    /// Stops it and checks it stopped cleanly, within 15 s.
    pub async fn stop(self) {
        self.token.cancel();
        tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("service should stop in time")
            .unwrap()
            .expect("service should stop cleanly");
    }
}

/// A child process that is interrupted when dropped, as Ctrl-C would, and
/// killed if it has not exited 5 s later.
pub struct Process(Child);

impl Process {
    /// Takes charge of `child`.
    pub fn new(child: Child) -> Self {
        Self(child)
    }

    /// Its pid.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl From<Child> for Process {
    fn from(child: Child) -> Self {
        Self::new(child)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-INT", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
