//! Capped exponential backoff with jitter for reconnect and restart loops.

use std::time::Duration;

use rand::Rng;

/// Capped exponential backoff with ±20 % jitter.
///
/// `next_delay` doubles the base delay each call until `max`; `reset` starts
/// over, e.g. once a connection or child process has been healthy for a while.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    current: Duration,
    attempts: u32,
}

impl Backoff {
    /// Creates a backoff starting at `initial` and never exceeding `max` (before jitter).
    pub fn new(initial: Duration, max: Duration) -> Self {
        debug_assert!(initial <= max, "backoff initial delay should not exceed max");
        Self { initial, max, current: initial, attempts: 0 }
    }

    /// Returns the delay to wait before the next attempt and advances the schedule.
    pub fn next_delay(&mut self) -> Duration {
        let base = self.current;
        self.current = (self.current * 2).min(self.max);
        self.attempts += 1;
        let jitter = rand::thread_rng().gen_range(0.8..=1.2);
        base.mul_f64(jitter)
    }

    /// Returns how many delays were handed out since the last reset.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Starts the schedule over from the initial delay.
    pub fn reset(&mut self) {
        self.current = self.initial;
        self.attempts = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_until_capped_then_resets() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_millis(350));
        let delays: Vec<_> = (0..4).map(|_| b.next_delay().as_millis()).collect();
        assert!((80..=120).contains(&delays[0]), "{delays:?}");
        assert!((160..=240).contains(&delays[1]), "{delays:?}");
        assert!((280..=420).contains(&delays[2]), "{delays:?}");
        assert!((280..=420).contains(&delays[3]), "{delays:?}");
        assert_eq!(b.attempts(), 4);
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(120));
    }
}
