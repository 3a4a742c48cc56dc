//! Motion start and end from per-picture answers, with hysteresis: motion
//! starts after [`Debounce::start_pictures`] moving pictures in a row (a
//! single flickering picture is not an event) and ends when nothing has
//! moved for [`Debounce::end_after_us`]. Times are the pictures' arrival
//! times at the media plane, so the event lines up with the archive.

use crate::geometry::Rect;

use super::Motion;

/// The hysteresis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Debounce {
    /// Moving pictures in a row that start motion.
    pub start_pictures: u32,
    /// Quiet time, in microseconds, that ends it.
    pub end_after_us: i64,
}

impl Default for Debounce {
    fn default() -> Self {
        Self { start_pictures: 2, end_after_us: 10_000_000 }
    }
}

/// A change of a camera's motion state.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Motion started at the first moving picture of the run.
    Started {
        /// Arrival time of that picture, Unix microseconds.
        at_us: i64,
        /// Where things moved in the pictures that started it.
        area: Rect,
    },
    /// Motion ended; the event spans from its start to the last moving picture.
    Ended {
        /// When it started.
        started_us: i64,
        /// Arrival time of the last moving picture.
        ended_us: i64,
        /// Everywhere things moved during it.
        area: Rect,
        /// The largest share of the picture that changed at once.
        peak: f32,
    },
}

/// One camera's motion state.
#[derive(Debug, Default)]
pub struct MotionEvents {
    debounce: Debounce,
    /// The run of moving pictures not yet long enough to start motion.
    pending: Option<Run>,
    active: Option<Run>,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    first_us: i64,
    last_us: i64,
    pictures: u32,
    area: Rect,
    peak: f32,
}

impl MotionEvents {
    /// A camera with no motion yet.
    pub fn new(debounce: Debounce) -> Self {
        Self { debounce, pending: None, active: None }
    }

    /// Whether motion is going on.
    pub fn active(&self) -> bool {
        self.active.is_some()
    }

    /// Takes the answer for the picture that arrived at `at_us`.
    pub fn push(&mut self, at_us: i64, motion: &Motion) -> Option<Change> {
        let area = motion.boxes.iter().copied().reduce(|a, b| a.union(&b));
        match (area, &mut self.active) {
            (Some(area), Some(run)) => {
                run.extend(at_us, area, motion.changed);
                None
            }
            (Some(area), None) => {
                let run = match &mut self.pending {
                    Some(run) => {
                        run.extend(at_us, area, motion.changed);
                        run
                    }
                    None => self.pending.insert(Run {
                        first_us: at_us,
                        last_us: at_us,
                        pictures: 1,
                        area,
                        peak: motion.changed,
                    }),
                };
                if run.pictures < self.debounce.start_pictures {
                    return None;
                }
                let run = self.pending.take().expect("pending above");
                self.active = Some(run);
                Some(Change::Started { at_us: run.first_us, area: run.area })
            }
            (None, _) => {
                self.pending = None;
                self.end_if_quiet(at_us)
            }
        }
    }

    /// Ends motion that has been quiet long enough by `now_us` (also when
    /// no picture comes: a camera that goes dark ends its motion).
    pub fn end_if_quiet(&mut self, now_us: i64) -> Option<Change> {
        let run = self.active?;
        if now_us.saturating_sub(run.last_us) < self.debounce.end_after_us {
            return None;
        }
        self.active = None;
        Some(Change::Ended { started_us: run.first_us, ended_us: run.last_us, area: run.area, peak: run.peak })
    }

    /// Ends motion now, whatever the quiet time (the stream stopped).
    pub fn end(&mut self) -> Option<Change> {
        self.pending = None;
        let run = self.active.take()?;
        Some(Change::Ended { started_us: run.first_us, ended_us: run.last_us, area: run.area, peak: run.peak })
    }
}

impl Run {
    fn extend(&mut self, at_us: i64, area: Rect, changed: f32) {
        self.last_us = at_us;
        self.pictures += 1;
        self.area = self.area.union(&area);
        self.peak = self.peak.max(changed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moving(x: f32) -> Motion {
        Motion { boxes: vec![Rect { x, y: 0.1, w: 0.1, h: 0.1 }], changed: x / 10.0, calibrating: false }
    }

    const STEP: i64 = 200_000;

    #[test]
    fn one_flickering_picture_starts_nothing() {
        let mut events = MotionEvents::new(Debounce::default());
        assert_eq!(events.push(0, &moving(0.1)), None);
        assert_eq!(events.push(STEP, &Motion::default()), None);
        assert_eq!(events.push(2 * STEP, &moving(0.1)), None);
        assert!(!events.active());
    }

    #[test]
    fn motion_starts_at_its_first_picture_and_ends_after_the_quiet_time() {
        let mut events = MotionEvents::new(Debounce { start_pictures: 2, end_after_us: 1_000_000 });
        assert_eq!(events.push(0, &moving(0.1)), None);
        let started = events.push(STEP, &moving(0.3));
        assert_eq!(started, Some(Change::Started { at_us: 0, area: Rect { x: 0.1, y: 0.1, w: 0.3, h: 0.1 } }));
        assert_eq!(events.push(2 * STEP, &moving(0.5)), None);
        // Quiet, but not yet for a second.
        for n in 3..7 {
            assert_eq!(events.push(n * STEP, &Motion::default()), None, "picture {n}");
        }
        let ended = events.push(7 * STEP, &Motion::default());
        let Some(Change::Ended { started_us, ended_us, area, peak }) = ended else { panic!("{ended:?}") };
        assert_eq!((started_us, ended_us), (0, 2 * STEP));
        assert!((area.w - 0.5).abs() < 1e-6 && (peak - 0.05).abs() < 1e-6, "{area:?} {peak}");
        assert!(!events.active());
    }

    #[test]
    fn a_stream_that_stops_ends_its_motion() {
        let mut events = MotionEvents::new(Debounce::default());
        events.push(0, &moving(0.1));
        events.push(STEP, &moving(0.1));
        assert!(events.active());
        assert!(matches!(events.end(), Some(Change::Ended { ended_us: STEP, .. })));
        assert_eq!(events.end(), None);
    }
}
