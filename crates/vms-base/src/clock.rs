//! Wall-clock time for code that dates, schedules or ages things (tickets,
//! tokens, export expiry; tracking and rules next), so tests set the time
//! instead of sleeping through it. Production code holds a [`SharedClock`]
//! made from [`SystemClock`]; tests hold a [`ManualClock`] and move it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};

/// Tells the time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// A clock shared by everything that tells the time.
pub type SharedClock = Arc<dyn Clock>;

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl SystemClock {
    /// The system's clock, to share.
    pub fn shared() -> SharedClock {
        Arc::new(SystemClock)
    }
}

/// A clock that says what it was set to, for tests; clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    /// A clock set to `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// Moves the time by `by` (back, if negative).
    pub fn advance(&self, by: TimeDelta) {
        *self.0.lock().expect("clock lock should not be poisoned") += by;
    }

    /// Sets the time.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock should not be poisoned") = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock should not be poisoned")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let clock = ManualClock::new(t0);
        let shared: SharedClock = Arc::new(clock.clone());
        assert_eq!(shared.now(), t0);
        clock.advance(TimeDelta::seconds(90));
        assert_eq!(shared.now(), t0 + TimeDelta::seconds(90));
        clock.set(t0);
        assert_eq!(shared.now(), t0);
        assert!((SystemClock.now() - Utc::now()).num_seconds().abs() <= 1);
    }
}
