//! Supervised background tasks: a task that panics or fails is logged,
//! reported and restarted after a backoff, instead of silently stopping.
//!
//! [`Supervisor::spawn`] runs a task as a loop: it builds the task's future
//! with its factory and runs it, catching a panic in place (so aborting the
//! returned handle aborts the task too). On a panic or an `Err` it logs the
//! task's name at error level, records the failure where
//! [`Supervisor::alerts`] reports it (a plane puts these in its status
//! report), waits out a capped backoff and starts the task again.
//!
//! A task ends for good when it returns `Ok`, or when its cancel token is
//! cancelled: a task that stops because of shutdown is never restarted,
//! whatever it returned, and shutdown cuts a backoff wait short. Once a
//! restarted task has run for [`RestartPolicy::healthy_after`] without
//! failing, its alert clears and its backoff starts over.

use std::{
    any::Any,
    collections::BTreeMap,
    fmt,
    future::Future,
    panic::AssertUnwindSafe,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use futures::FutureExt;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::backoff::Backoff;

/// How soon a failed task is restarted, and when it counts as healthy again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestartPolicy {
    /// Delay before the first restart (doubling, with jitter, up to `max`).
    pub initial: Duration,
    /// Longest delay between restarts.
    pub max: Duration,
    /// How long a restarted task must run without failing for its alert to
    /// clear and its backoff to start over.
    pub healthy_after: Duration,
}

impl Default for RestartPolicy {
    /// One second, doubling up to a minute; healthy after a minute.
    fn default() -> Self {
        Self { initial: Duration::from_secs(1), max: Duration::from_secs(60), healthy_after: Duration::from_secs(60) }
    }
}

/// A task that keeps failing, and how often it failed since it was last healthy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFailure {
    /// The name the task was spawned with.
    pub name: String,
    /// Panics since the task was last healthy.
    pub panics: u32,
    /// `Err` returns since the task was last healthy.
    pub errors: u32,
}

impl fmt::Display for TaskFailure {
    /// Formats the failure as an alert: "task retention panicked 3 times; restarting".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let times = |n: u32| if n == 1 { "once".to_owned() } else { format!("{n} times") };
        let name = &self.name;
        match (self.panics, self.errors) {
            (p, 0) => write!(f, "task {name} panicked {}; restarting", times(p)),
            (0, e) => write!(f, "task {name} failed {}; restarting", times(e)),
            (p, e) => write!(f, "task {name} panicked {} and failed {}; restarting", times(p), times(e)),
        }
    }
}

/// What a supervised task's future returns: `()` for a loop that only ends on
/// shutdown, or a `Result` whose `Err` is a failure to restart after.
pub trait TaskOutcome {
    /// Converts the outcome into a result.
    fn into_result(self) -> anyhow::Result<()>;
}

impl TaskOutcome for () {
    fn into_result(self) -> anyhow::Result<()> {
        Ok(())
    }
}

impl<E: Into<anyhow::Error>> TaskOutcome for Result<(), E> {
    fn into_result(self) -> anyhow::Result<()> {
        self.map_err(Into::into)
    }
}

/// Runs background tasks, restarting those that panic or fail, and knows
/// which are failing. Cheap to clone; clones share the tasks' failures.
#[derive(Clone, Default)]
pub struct Supervisor {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    policy: RestartPolicy,
    next_id: AtomicU64,
    failing: Mutex<BTreeMap<u64, TaskFailure>>,
}

impl Supervisor {
    /// Creates a supervisor restarting tasks on `policy`.
    pub fn new(policy: RestartPolicy) -> Self {
        Self { inner: Arc::new(Inner { policy, ..Default::default() }) }
    }

    /// Spawns the task `name`, built by `factory` and built again after every
    /// panic or `Err`, until it returns `Ok` or `cancel` is cancelled. The task
    /// itself must watch `cancel` (usually a clone the factory captured) to
    /// stop at shutdown; the supervisor never aborts it. The handle resolves
    /// once the task has ended for good.
    pub fn spawn<F, Fut>(&self, name: impl Into<String>, cancel: CancellationToken, factory: F) -> JoinHandle<()>
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: TaskOutcome,
    {
        let entry = Entry { inner: self.inner.clone(), id: self.inner.next_id.fetch_add(1, Ordering::Relaxed) };
        tokio::spawn(supervise(entry, name.into(), cancel, factory))
    }

    /// Returns the tasks failing now, in the order they were spawned.
    pub fn failing(&self) -> Vec<TaskFailure> {
        self.inner.failing.lock().expect("failing lock should not be poisoned").values().cloned().collect()
    }

    /// Returns one alert per failing task, for a status report.
    pub fn alerts(&self) -> Vec<String> {
        self.failing().iter().map(ToString::to_string).collect()
    }
}

/// One supervised task's slot among the failures; it leaves them when the
/// task ends for good, however that happens (an abort included).
struct Entry {
    inner: Arc<Inner>,
    id: u64,
}

impl Entry {
    fn failing(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, TaskFailure>> {
        self.inner.failing.lock().expect("failing lock should not be poisoned")
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.failing().remove(&self.id);
    }
}

async fn supervise<F, Fut>(entry: Entry, name: String, cancel: CancellationToken, mut factory: F)
where
    F: FnMut() -> Fut,
    Fut: Future,
    Fut::Output: TaskOutcome,
{
    let policy = entry.inner.policy;
    let mut backoff = Backoff::new(policy.initial, policy.max);
    loop {
        // Building the future is inside the catch too: a factory may panic.
        let run = AssertUnwindSafe(async { factory().await.into_result() }).catch_unwind();
        tokio::pin!(run);
        let healthy = tokio::time::sleep(policy.healthy_after);
        tokio::pin!(healthy);
        let mut recovered = false;
        let outcome = loop {
            tokio::select! {
                outcome = &mut run => break outcome,
                () = &mut healthy, if !recovered => {
                    recovered = true;
                    backoff.reset();
                    if entry.failing().remove(&entry.id).is_some() {
                        tracing::info!(task = %name, "task recovered");
                    }
                }
            }
        };
        if cancel.is_cancelled() {
            return;
        }
        let delay = backoff.next_delay();
        let panicked = match outcome {
            Ok(Ok(())) => return,
            Ok(Err(e)) => {
                tracing::error!(task = %name, error = %format!("{e:#}"), restart_in = ?delay, "task failed; restarting");
                false
            }
            Err(payload) => {
                let panic = panic_message(payload.as_ref());
                tracing::error!(task = %name, panic, restart_in = ?delay, "task panicked; restarting");
                true
            }
        };
        {
            let mut failing = entry.failing();
            let failure =
                failing.entry(entry.id).or_insert_with(|| TaskFailure { name: name.clone(), panics: 0, errors: 0 });
            if panicked {
                failure.panics += 1;
            } else {
                failure.errors += 1;
            }
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
    }
}

/// Returns what a panic said, when it said it with a string.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload")
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;

    use tokio::time::Instant;

    use super::*;

    /// A task that panics on its first `panics` runs, then waits for `cancel`
    /// and returns an error, which must not count as a failure.
    fn flaky(
        panics: u32,
        cancel: CancellationToken,
        runs: Arc<AtomicU32>,
    ) -> impl FnMut() -> futures::future::BoxFuture<'static, anyhow::Result<()>> {
        move || {
            let (cancel, runs) = (cancel.clone(), runs.clone());
            Box::pin(async move {
                let run = runs.fetch_add(1, Ordering::SeqCst) + 1;
                if run <= panics {
                    panic!("run {run} panics");
                }
                cancel.cancelled().await;
                anyhow::bail!("stopped by shutdown")
            })
        }
    }

    async fn wait_for_runs(runs: &AtomicU32, n: u32) {
        while runs.load(Ordering::SeqCst) < n {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn panicking_task_is_restarted_with_backoff_and_reported_until_healthy() {
        let supervisor = Supervisor::default();
        let (cancel, runs) = (CancellationToken::new(), Arc::new(AtomicU32::new(0)));
        let began = Instant::now();
        let task = supervisor.spawn("retention", cancel.clone(), flaky(2, cancel.clone(), runs.clone()));
        wait_for_runs(&runs, 3).await;
        // Backoff of 1 s then 2 s, each ±20 %, before the third run.
        let waited = began.elapsed();
        assert!((Duration::from_millis(2400)..=Duration::from_millis(3700)).contains(&waited), "{waited:?}");
        assert_eq!(supervisor.failing(), [TaskFailure { name: "retention".into(), panics: 2, errors: 0 }]);
        assert_eq!(supervisor.alerts(), ["task retention panicked 2 times; restarting"]);

        tokio::time::sleep(RestartPolicy::default().healthy_after).await;
        assert!(supervisor.alerts().is_empty(), "healthy again");
        cancel.cancel();
        task.await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 3, "the error returned at shutdown is not restarted");
    }

    #[tokio::test(start_paused = true)]
    async fn failing_task_is_restarted_and_finished_task_is_not() {
        let supervisor = Supervisor::default();
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        let task = supervisor.spawn("sweep", CancellationToken::new(), move || {
            let run = counted.fetch_add(1, Ordering::SeqCst) + 1;
            async move { if run == 1 { Err(anyhow::anyhow!("database down")) } else { Ok(()) } }
        });
        task.await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(supervisor.failing().is_empty(), "a task that ended leaves no alert");
    }

    #[tokio::test(start_paused = true)]
    async fn shutdown_stops_a_task_waiting_to_restart() {
        let supervisor = Supervisor::new(RestartPolicy { max: Duration::from_secs(3600), ..Default::default() });
        let cancel = CancellationToken::new();
        let runs = Arc::new(AtomicU32::new(0));
        let task = supervisor.spawn("ingest", cancel.clone(), flaky(u32::MAX, cancel.clone(), runs.clone()));
        wait_for_runs(&runs, 4).await;
        assert_eq!(supervisor.alerts(), ["task ingest panicked 4 times; restarting"]);
        let stopping = Instant::now();
        cancel.cancel();
        task.await.unwrap();
        assert!(stopping.elapsed() < Duration::from_millis(100), "the backoff wait is cut short");
        assert_eq!(runs.load(Ordering::SeqCst), 4);
        assert!(supervisor.failing().is_empty());
    }

    #[test]
    fn alert_names_both_panics_and_errors() {
        let failure = TaskFailure { name: "modes".into(), panics: 1, errors: 2 };
        assert_eq!(failure.to_string(), "task modes panicked once and failed 2 times; restarting");
    }
}
