//! Recording settings bodies.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vms_catalog::{
    recording::{Mode, Settings},
    schedule::{self, WeeklyRange},
};

use crate::{error::ApiError, validate};

/// Most ranges a schedule may have: one for every half hour of the week.
const MAX_SCHEDULE_RANGES: usize = 7 * 48;

/// One weekly range of a schedule, in the site's local time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRange {
    /// Days it starts on: `mon` … `sun`, at most 7; repeats are dropped.
    pub days: Vec<String>,
    /// Local start, `HH:MM`.
    pub start: String,
    /// Local end, `HH:MM` (`24:00` for the end of the day); not after
    /// `start` means overnight into the next day.
    pub end: String,
}

/// A camera's recording settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordingSettings {
    /// `continuous` (the default), `scheduled` (during `schedule`, in the
    /// local time of the camera's site, daylight saving included) or `event`
    /// (while an event is open, from `pre_buffer_secs` before it to
    /// `post_buffer_secs` after it).
    #[serde(default = "continuous")]
    pub mode: String,
    /// Weekly ranges for `scheduled`: at most 336 (one per half hour of the
    /// week); repeats are dropped.
    #[serde(default)]
    pub schedule: Vec<ScheduleRange>,
    /// Seconds kept from before an event starts (0–30, default 5).
    #[serde(default = "pre_buffer")]
    pub pre_buffer_secs: i32,
    /// Seconds recorded after an event ends (0–300, default 10).
    #[serde(default = "post_buffer")]
    pub post_buffer_secs: i32,
    /// Days recordings are kept (1–36500); `null` keeps them until their
    /// storage root needs the space for newer ones (oldest go first).
    #[serde(default)]
    pub retention_days: Option<i32>,
    /// Days event footage is kept (1–36500); `null`: as `retention_days`.
    #[serde(default)]
    pub event_retention_days: Option<i32>,
}

fn pre_buffer() -> i32 {
    5
}

fn post_buffer() -> i32 {
    10
}

fn continuous() -> String {
    "continuous".to_owned()
}

impl RecordingSettings {
    /// Checks the values.
    pub fn validate(&self) -> Result<Settings, ApiError> {
        let mode =
            Mode::parse(&self.mode).ok_or_else(|| ApiError::invalid("mode", "must be continuous or scheduled"))?;
        let schedule = validate::unique("schedule", &self.schedule, MAX_SCHEDULE_RANGES)?
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let days = validate::unique(&format!("schedule[{i}].days"), &r.days, 7)?;
                Ok(WeeklyRange { days, start: r.start, end: r.end })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        schedule::validate(&schedule).map_err(|(field, problem)| ApiError::invalid(&field, problem))?;
        if mode == Mode::Scheduled && schedule.is_empty() {
            return Err(ApiError::invalid("schedule", "a scheduled camera needs at least one range"));
        }
        if !(0..=30).contains(&self.pre_buffer_secs) {
            return Err(ApiError::invalid("pre_buffer_secs", "must be between 0 and 30"));
        }
        if !(0..=300).contains(&self.post_buffer_secs) {
            return Err(ApiError::invalid("post_buffer_secs", "must be between 0 and 300"));
        }
        for (field, days) in
            [("retention_days", self.retention_days), ("event_retention_days", self.event_retention_days)]
        {
            if days.is_some_and(|d| !(1..=36_500).contains(&d)) {
                return Err(ApiError::invalid(field, "must be between 1 and 36500, or null"));
            }
        }
        Ok(Settings {
            mode,
            schedule,
            pre_buffer_secs: self.pre_buffer_secs,
            post_buffer_secs: self.post_buffer_secs,
            retention_days: self.retention_days,
            event_retention_days: self.event_retention_days,
        })
    }
}

impl From<Settings> for RecordingSettings {
    fn from(s: Settings) -> Self {
        Self {
            mode: s.mode.as_str().to_owned(),
            schedule: s
                .schedule
                .into_iter()
                .map(|r| ScheduleRange { days: r.days, start: r.start, end: r.end })
                .collect(),
            pre_buffer_secs: s.pre_buffer_secs,
            post_buffer_secs: s.post_buffer_secs,
            retention_days: s.retention_days,
            event_retention_days: s.event_retention_days,
        }
    }
}

/// The time window asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339; after `start`, at most 31 days later.
    pub end: String,
}

/// Longest window one listing covers.
const MAX_WINDOW_DAYS: i64 = 31;

impl RangeQuery {
    /// Parses and checks the window.
    pub fn window(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
        let parse = |field: &str, value: &str| {
            DateTime::parse_from_rfc3339(value)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time, such as 2026-11-21T18:45:00Z"))
        };
        let (start, end) = (parse("start", &self.start)?, parse("end", &self.end)?);
        if end <= start {
            return Err(ApiError::invalid("end", "must be after start"));
        }
        if end - start > TimeDelta::days(MAX_WINDOW_DAYS) {
            return Err(ApiError::invalid("end", format!("must be at most {MAX_WINDOW_DAYS} days after start")));
        }
        Ok((start, end))
    }
}

/// A stretch of time with video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TimeRange {
    /// First moment with video.
    pub start: DateTime<Utc>,
    /// Just past the last moment with video.
    pub end: DateTime<Utc>,
}

/// What is recorded in a window: the stretches with video, oldest first;
/// the time between them is not recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedRanges {
    /// The stretches, clipped to the window.
    pub ranges: Vec<TimeRange>,
}

/// Pieces closer than this are one stretch (files follow each other to the
/// millisecond; the index rounds).
const JOIN_WITHIN: TimeDelta = TimeDelta::milliseconds(500);

/// Joins `(start, end)` pieces (sorted by start) into stretches clipped to `[from, to)`.
pub fn join_ranges(
    pieces: &[(DateTime<Utc>, DateTime<Utc>)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<TimeRange> {
    let mut out: Vec<TimeRange> = Vec::new();
    for &(start, end) in pieces {
        let (start, end) = (start.max(from), end.min(to));
        if end <= start {
            continue;
        }
        match out.last_mut() {
            Some(last) if start <= last.end + JOIN_WITHIN => last.end = last.end.max(end),
            _ => out.push(TimeRange { start, end }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_into_stretches_with_the_gaps_left_visible() {
        let t = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let pieces = [(t(0), t(600)), (t(600), t(1200)), (t(1500), t(2100)), (t(2100), t(2400))];
        let joined = join_ranges(&pieces, t(300), t(2200));
        assert_eq!(joined, vec![TimeRange { start: t(300), end: t(1200) }, TimeRange { start: t(1500), end: t(2200) }]);
        assert!(join_ranges(&pieces, t(1250), t(1400)).is_empty(), "nothing recorded in the gap");
    }
}
