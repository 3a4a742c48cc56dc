//! Weekly schedules, in the local time of a site: when a camera records and
//! when an event rule is armed.
//!
//! A schedule is a list of ranges, each a set of weekdays and a local start
//! and end time (`"08:00"` to `"18:00"`). A range whose end is not after its
//! start runs overnight: `"22:00"` to `"06:00"` on Friday covers Friday
//! night into Saturday morning. Local times follow daylight saving: 08:00 is
//! 08:00 on the wall clock, summer or winter.

use jiff::{Timestamp, civil::Weekday, tz::TimeZone};
use serde::{Deserialize, Serialize};

/// One weekly range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyRange {
    /// Days it starts on: `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`.
    pub days: Vec<String>,
    /// Local start time, `HH:MM`.
    pub start: String,
    /// Local end time, `HH:MM` (`24:00` for midnight at the end of the day).
    pub end: String,
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes after midnight.
pub fn minutes(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

/// Checks a schedule; the error names the range and field at fault.
pub fn validate(ranges: &[WeeklyRange]) -> Result<(), (String, &'static str)> {
    for (i, r) in ranges.iter().enumerate() {
        if r.days.is_empty() || r.days.iter().any(|d| weekday(d).is_none()) {
            return Err((format!("schedule[{i}].days"), "must list days among mon, tue, wed, thu, fri, sat, sun"));
        }
        if minutes(&r.start).is_none_or(|m| m >= 24 * 60) {
            return Err((format!("schedule[{i}].start"), "must be a local time HH:MM from 00:00 to 23:59"));
        }
        if minutes(&r.end).is_none() {
            return Err((format!("schedule[{i}].end"), "must be a local time HH:MM from 00:00 to 24:00"));
        }
    }
    Ok(())
}

/// Answers whether `now` falls in the schedule, read in `tz`.
pub fn is_active(ranges: &[WeeklyRange], tz: &TimeZone, now: Timestamp) -> bool {
    let local = now.to_zoned(tz.clone());
    let today = local.weekday();
    let yesterday = today.previous();
    let minute = local.hour() as u16 * 60 + local.minute() as u16;
    ranges.iter().any(|r| {
        let (Some(start), Some(end)) = (minutes(&r.start), minutes(&r.end)) else { return false };
        let on = |day: Weekday| r.days.iter().any(|d| weekday(d) == Some(day));
        if start < end {
            on(today) && (start..end).contains(&minute)
        } else {
            // Overnight: from `start` on its day to `end` the next morning.
            (on(today) && minute >= start) || (on(yesterday) && minute < end)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(days: &[&str], start: &str, end: &str) -> WeeklyRange {
        WeeklyRange { days: days.iter().map(|d| d.to_string()).collect(), start: start.into(), end: end.into() }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn office_hours_follow_the_local_clock_through_daylight_saving() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let office = [range(&["mon", "tue", "wed", "thu", "fri"], "08:00", "18:00")];
        // Winter (UTC+1) and summer (UTC+2): 08:30 local is 07:30 and 06:30 UTC.
        assert!(is_active(&office, &berlin, at("2026-01-14T07:30:00Z")));
        assert!(is_active(&office, &berlin, at("2026-07-15T06:30:00Z")));
        assert!(!is_active(&office, &berlin, at("2026-07-15T05:30:00Z")), "07:30 local is before opening");
        assert!(!is_active(&office, &berlin, at("2026-07-18T08:00:00Z")), "Saturday");
        assert!(!is_active(&office, &berlin, at("2026-07-15T16:00:00Z")), "18:00 local ends it");
    }

    #[test]
    fn overnight_ranges_run_into_the_next_morning() {
        let utc = TimeZone::UTC;
        let nights = [range(&["fri"], "22:00", "06:00")];
        assert!(is_active(&nights, &utc, at("2026-07-17T23:00:00Z")), "Friday night");
        assert!(is_active(&nights, &utc, at("2026-07-18T05:59:00Z")), "Saturday early morning");
        assert!(!is_active(&nights, &utc, at("2026-07-18T06:00:00Z")));
        assert!(!is_active(&nights, &utc, at("2026-07-16T23:00:00Z")), "Thursday night");
        assert!(is_active(&[range(&["sun"], "00:00", "24:00")], &utc, at("2026-07-19T23:59:00Z")));
    }

    #[test]
    fn bad_ranges_are_named() {
        assert_eq!(validate(&[range(&["mon"], "8:00", "18:00")]).unwrap_err().0, "schedule[0].start");
        assert_eq!(
            validate(&[range(&["mon"], "08:00", "18:00"), range(&["xyz"], "08:00", "09:00")]).unwrap_err().0,
            "schedule[1].days"
        );
        assert_eq!(validate(&[range(&["mon"], "08:00", "24:01")]).unwrap_err().0, "schedule[0].end");
        assert!(validate(&[range(&["sat", "sun"], "00:00", "24:00")]).is_ok());
    }
}
