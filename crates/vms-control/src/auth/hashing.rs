//! A server-wide gate on Argon2id work.
//!
//! Every password hash or check costs 19 MiB and tens of milliseconds on a
//! blocking thread. Without a bound, a flood of logins or resets would fill
//! the blocking pool and the memory with them. The gate lets a fixed number
//! run at once; the rest wait their turn for a while, then get 503 with
//! `Retry-After`, which a client (or an attacker) cannot turn into more work.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::sync::Semaphore;
use vms_base::ErrorCode;

use crate::error::ApiError;

/// How long a request waits for a turn before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(10);

/// Runs password work on blocking threads, at most `permits` at once.
#[derive(Debug)]
pub struct PasswordWork {
    permits: Arc<Semaphore>,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    started: AtomicU64,
}

impl PasswordWork {
    /// Allows `permits` (at least one) hashes at once.
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            running: Arc::default(),
            peak: Arc::default(),
            started: AtomicU64::new(0),
        }
    }

    /// Runs `work` (a hash or a check) once a turn is free.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let permit = match tokio::time::timeout(MAX_WAIT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => {
                tracing::warn!("password hashing saturated; refusing a request");
                return Err(ApiError::new(ErrorCode::Unavailable, "server busy; try again shortly")
                    .with_retry_after(Duration::from_secs(1)));
            }
        };
        self.started.fetch_add(1, Ordering::Relaxed);
        let (running, peak) = (self.running.clone(), self.peak.clone());
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let result = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            result
        })
        .await
        .map_err(ApiError::internal)
    }

    /// Returns the most hashes that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Returns how many hashes or checks were started.
    pub fn started(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn never_runs_more_than_its_permits_at_once() {
        let work = Arc::new(PasswordWork::new(2));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let work = work.clone();
            tasks.spawn(async move { work.run(|| std::thread::sleep(Duration::from_millis(20))).await });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap().unwrap();
        }
        assert_eq!(work.peak(), 2, "two at a time, and the gate was actually contended");
        assert_eq!(work.started(), 8);
    }
}
