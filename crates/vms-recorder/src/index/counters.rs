//! How many index updates the recorder let go, so a test or an operator
//! can tell an index that is behind its files from one that is complete.
//! Process-wide: a process runs one recorder plane. The plane status report
//! has no counters to carry them (only alerts, and a dropped row is no
//! emergency), so they are read here and logged where they happen.

use std::sync::atomic::{AtomicU64, Ordering};

static REFUSED: AtomicU64 = AtomicU64::new(0);
static SHED: AtomicU64 = AtomicU64::new(0);
/// Milliseconds between the end of the last fragment indexed and its indexing.
static LAG_MS: AtomicU64 = AtomicU64::new(0);
/// Updates waiting when the last one was applied.
static WAITING: AtomicU64 = AtomicU64::new(0);
/// When the last update was applied, in Unix milliseconds.
static APPLIED_AT_MS: AtomicU64 = AtomicU64::new(0);

/// Index updates the recorder did not apply since the process started. The
/// files hold what they said: a reread (at the file's close when shed, at
/// the next start for the newest day, or by `vms recorder reindex`) puts it
/// back in the index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DroppedIndexUpdates {
    /// Refused by the database for good (a constraint violation or a bad
    /// value), counting the later updates of a segment whose row was refused.
    pub refused: u64,
    /// Not queued because the queue was full (the database slower than the
    /// writers for long); their files are reread when they close.
    pub shed: u64,
}

/// The counts so far.
pub fn dropped_index_updates() -> DroppedIndexUpdates {
    DroppedIndexUpdates { refused: REFUSED.load(Ordering::Relaxed), shed: SHED.load(Ordering::Relaxed) }
}

/// How far behind the index is, in seconds: from the end of the last
/// fragment indexed to its indexing or, while updates wait and none is
/// applied (the database away), to now; and the updates waiting.
pub(crate) fn lag() -> (f64, u64) {
    let (lag, waiting) = (LAG_MS.load(Ordering::Relaxed), WAITING.load(Ordering::Relaxed));
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
    let stalled = match APPLIED_AT_MS.load(Ordering::Relaxed) {
        at if waiting > 0 && at > 0 => now.saturating_sub(at),
        _ => 0,
    };
    (lag.max(stalled) as f64 / 1000.0, waiting)
}

/// Notes an update applied: how old it was (for a fragment) and what waits behind it.
pub(crate) fn applied(age: Option<chrono::TimeDelta>, waiting: usize) {
    if let Some(age) = age {
        LAG_MS.store(u64::try_from(age.num_milliseconds()).unwrap_or(0), Ordering::Relaxed);
    }
    WAITING.store(waiting as u64, Ordering::Relaxed);
    APPLIED_AT_MS.store(u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0), Ordering::Relaxed);
}

pub(crate) fn count_refused() {
    REFUSED.fetch_add(1, Ordering::Relaxed);
}

pub(crate) fn count_shed() {
    SHED.fetch_add(1, Ordering::Relaxed);
}
