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
#[schema(example = json!({
    "mode": "scheduled",
    "schedule": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "06:00"},
        {"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}
    ],
    "pre_buffer_secs": 5,
    "post_buffer_secs": 10,
    "retention_days": 30,
    "event_retention_days": 90
}))]
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
        let mode = Mode::parse(&self.mode)
            .ok_or_else(|| ApiError::invalid("mode", "must be continuous, scheduled or event"))?;
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
#[derive(Debug, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339; after `start`, at most 31 days later.
    pub end: String,
}

/// `GET .../recordings`: the window and the page.
#[derive(Debug, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecordingsQuery {
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339; after `start`, at most 31 days later.
    pub end: String,
    /// Page size, 1 to 500 (100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl RecordingsQuery {
    /// The window, as [`RangeQuery::window`] checks it.
    pub fn window(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
        RangeQuery { start: self.start.clone(), end: self.end.clone() }.window()
    }
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
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A deleted camera whose footage is kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedCamera {
    /// Its id, by which its footage is still reached.
    pub id: uuid::Uuid,
    /// The site it belonged to.
    pub site_id: uuid::Uuid,
    /// Its name when deleted.
    pub name: String,
    /// When it was deleted.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Most cameras one ranges request may name.
pub const MAX_CAMERAS: usize = 64;

/// The recorded stretches of one camera.
#[derive(Debug, Serialize, ToSchema)]
pub struct CameraRanges {
    /// The camera.
    pub camera_id: uuid::Uuid,
    /// Its stretches with video, clipped to the window, oldest first.
    pub ranges: Vec<TimeRange>,
}

/// What several cameras recorded in a window, for a multi-camera timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct MultiRanges {
    /// One entry per camera asked for, in the order asked.
    pub cameras: Vec<CameraRanges>,
}

/// The cameras, stream and window of a ranges request, read from a query
/// where `camera_id` repeats.
#[derive(Debug, PartialEq, Eq)]
pub struct RangesQuery {
    /// The cameras, without repeats, in the order given.
    pub cameras: Vec<uuid::Uuid>,
    /// Their stream.
    pub stream: vms_base::StreamRole,
    /// The window.
    pub window: RangeQuery,
}

impl RangesQuery {
    /// Parses `camera_id=…&camera_id=…&stream=main&start=…&end=…`.
    pub fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let (mut cameras, mut stream, mut start, mut end) = (Vec::new(), None, None, None);
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match key.as_ref() {
                "camera_id" => {
                    let id: uuid::Uuid = value.parse().map_err(|_| ApiError::invalid("camera_id", "must be a UUID"))?;
                    if !cameras.contains(&id) {
                        cameras.push(id);
                    }
                }
                "stream" => {
                    stream = Some(value.parse().map_err(|_| ApiError::invalid("stream", "must be main or sub"))?)
                }
                "start" => start = Some(value.into_owned()),
                "end" => end = Some(value.into_owned()),
                other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
            }
        }
        if cameras.is_empty() || cameras.len() > MAX_CAMERAS {
            return Err(ApiError::invalid("camera_id", format!("give 1 to {MAX_CAMERAS} cameras")));
        }
        let missing = |field: &str| ApiError::invalid(field, "is required");
        let window =
            RangeQuery { start: start.ok_or_else(|| missing("start"))?, end: end.ok_or_else(|| missing("end"))? };
        Ok(Self { cameras, stream: stream.unwrap_or(vms_base::StreamRole::Main), window })
    }
}

/// Groups stretches (by camera, oldest first) into one entry per camera of `cameras`.
pub fn by_camera(cameras: &[uuid::Uuid], stretches: Vec<vms_catalog::recording::Stretch>) -> Vec<CameraRanges> {
    let mut out: Vec<CameraRanges> =
        cameras.iter().map(|&camera_id| CameraRanges { camera_id, ranges: Vec::new() }).collect();
    for s in stretches {
        if let Some(entry) = out.iter_mut().find(|c| c.camera_id == s.camera_id) {
            entry.ranges.push(TimeRange { start: s.start_time, end: s.end_time });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ranges_query_takes_repeated_cameras_and_refuses_the_unknown() {
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let q = RangesQuery::parse(Some(&format!("camera_id={a}&camera_id={b}&camera_id={a}&start=x&end=y"))).unwrap();
        assert_eq!(q.cameras, vec![a, b], "repeats dropped, order kept");
        assert_eq!(q.stream, vms_base::StreamRole::Main);
        assert!(RangesQuery::parse(Some("start=x&end=y")).is_err(), "no camera");
        assert!(RangesQuery::parse(Some(&format!("camera_id={a}&start=x&end=y&limit=3"))).is_err());
        assert!(RangesQuery::parse(Some(&format!("camera_id={a}&start=x&end=y&stream=third"))).is_err());
        let many: String = (0..=MAX_CAMERAS).map(|_| format!("camera_id={}&", uuid::Uuid::new_v4())).collect();
        assert!(RangesQuery::parse(Some(&format!("{many}start=x&end=y"))).is_err(), "too many cameras");
    }
}
