//! The query string of the events search and histogram: lists given as
//! comma-separated values or as repeated parameters, RFC 3339 times, an
//! opaque cursor, every value bounded.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use vms_catalog::event::search::{EventCursor, EventFilter};

use crate::error::ApiError;

/// The most values of one list filter.
const MAX_LIST: usize = 100;
/// The most characters of the text filter.
const MAX_TEXT: usize = 200;
/// The most buckets a histogram returns.
pub const MAX_BUCKETS: i64 = 2000;

/// A parsed events query.
#[derive(Debug, Default, PartialEq)]
pub struct EventQuery {
    /// The filter (without the caller's visible cameras, which the handler adds).
    pub filter: EventFilter,
    /// Where the previous page ended.
    pub cursor: Option<EventCursor>,
    /// Page size, 1 to 500 (100 by default).
    pub limit: i64,
    /// Bucket width of a histogram, in seconds.
    pub bucket_secs: Option<i64>,
}

impl EventQuery {
    /// Parses the query string of `GET /api/events` or, with `histogram`,
    /// of `GET /api/events/histogram` (which needs `start`, `end` and `bucket`).
    pub fn parse(query: Option<&str>, histogram: bool) -> Result<Self, ApiError> {
        let mut q = EventQuery { limit: 100, ..Default::default() };
        let f = &mut q.filter;
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let key = key.as_ref();
            match key {
                "cameras" => push_ids(&mut f.cameras, key, &value)?,
                "sites" => push_ids(&mut f.sites, key, &value)?,
                "types" => push_words(&mut f.types, key, &value)?,
                "labels" => push_words(&mut f.labels, key, &value)?,
                "zones" => push_words(&mut f.zones, key, &value)?,
                "start" => f.start = Some(time(key, &value)?),
                "end" => f.end = Some(time(key, &value)?),
                "has_snapshot" => {
                    f.has_snapshot = Some(value.parse().map_err(|_| ApiError::invalid(key, "must be true or false"))?)
                }
                "q" => {
                    let text = value.trim();
                    if text.chars().count() > MAX_TEXT {
                        return Err(ApiError::invalid(key, format!("must be at most {MAX_TEXT} characters")));
                    }
                    f.text = (!text.is_empty()).then(|| text.to_owned());
                }
                "limit" if !histogram => {
                    q.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=500).contains(n))
                        .ok_or_else(|| ApiError::invalid(key, "must be between 1 and 500"))?
                }
                "cursor" if !histogram => q.cursor = Some(decode_cursor(&value)?),
                "bucket" if histogram => {
                    q.bucket_secs = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| (1..=31 * 86_400).contains(n))
                            .ok_or_else(|| ApiError::invalid(key, "must be a number of seconds, 1 to 2678400"))?,
                    )
                }
                other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
            }
        }
        if let (Some(start), Some(end)) = (f.start, f.end)
            && end <= start
        {
            return Err(ApiError::invalid("end", "must be after start"));
        }
        if histogram {
            let missing = |field: &str| ApiError::invalid(field, "is required");
            let (start, end) = (f.start.ok_or_else(|| missing("start"))?, f.end.ok_or_else(|| missing("end"))?);
            let bucket = q.bucket_secs.ok_or_else(|| missing("bucket"))?;
            if (end - start).num_seconds() / bucket > MAX_BUCKETS {
                return Err(ApiError::invalid("bucket", format!("gives more than {MAX_BUCKETS} buckets")));
            }
        }
        Ok(q)
    }
}

/// An opaque token for a point in a list ordered by a time and an id: the
/// search's pages (start, id) and the live feed's position (last change, id).
pub fn encode_token(time: DateTime<Utc>, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{}", time.timestamp_micros(), id))
}

/// Reads a token of [`encode_token`]; `None` when it is not one.
pub fn decode_token(text: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(text).ok()?;
    let (micros, id) = std::str::from_utf8(&raw).ok()?.split_once('.')?;
    Some((DateTime::from_timestamp_micros(micros.parse().ok()?)?, id.parse().ok()?))
}

/// Encodes where a page ended.
pub fn encode_cursor(cursor: EventCursor) -> String {
    encode_token(cursor.start, cursor.id)
}

fn decode_cursor(text: &str) -> Result<EventCursor, ApiError> {
    let (start, id) =
        decode_token(text).ok_or_else(|| ApiError::invalid("cursor", "is not a cursor this server gave"))?;
    Ok(EventCursor { start, id })
}

fn time(field: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time, such as 2026-12-02T18:45:00Z"))
}

fn values(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty())
}

fn push_ids(list: &mut Vec<Uuid>, field: &str, value: &str) -> Result<(), ApiError> {
    for v in values(value) {
        let id = v.parse().map_err(|_| ApiError::invalid(field, "must be UUIDs"))?;
        if !list.contains(&id) {
            list.push(id);
        }
    }
    bounded(list.len(), field)
}

fn push_words(list: &mut Vec<String>, field: &str, value: &str) -> Result<(), ApiError> {
    for v in values(value) {
        if v.len() > 200 {
            return Err(ApiError::invalid(field, "values must be at most 200 bytes"));
        }
        if !list.iter().any(|w| w == v) {
            list.push(v.to_owned());
        }
    }
    bounded(list.len(), field)
}

fn bounded(len: usize, field: &str) -> Result<(), ApiError> {
    if len > MAX_LIST { Err(ApiError::invalid(field, format!("at most {MAX_LIST} values"))) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_come_comma_separated_or_repeated() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let q = EventQuery::parse(
            Some(&format!(
                "cameras={a},{b}&cameras={a}&types=object&types=motion,line_crossed&labels=person&q=%20door%20"
            )),
            false,
        )
        .unwrap();
        assert_eq!(q.filter.cameras, vec![a, b]);
        assert_eq!(q.filter.types, vec!["object", "motion", "line_crossed"]);
        assert_eq!(q.filter.labels, vec!["person"]);
        assert_eq!(q.filter.text.as_deref(), Some("door"));
        assert_eq!(q.limit, 100);
    }

    #[test]
    fn cursors_round_trip_and_forgeries_are_refused() {
        let cursor =
            EventCursor { start: DateTime::from_timestamp_micros(1_764_700_000_123_456).unwrap(), id: Uuid::new_v4() };
        let q = EventQuery::parse(Some(&format!("cursor={}", encode_cursor(cursor))), false).unwrap();
        assert_eq!(q.cursor, Some(cursor));
        for bad in ["cursor=xyz", "cursor=", "limit=0", "limit=501", "has_snapshot=maybe", "start=yesterday", "nope=1"]
        {
            assert!(EventQuery::parse(Some(bad), false).is_err(), "{bad}");
        }
        assert!(EventQuery::parse(Some("start=2026-12-02T10:00:00Z&end=2026-12-02T09:00:00Z"), false).is_err());
        let many: Vec<String> = (0..=MAX_LIST).map(|i| format!("l{i}")).collect();
        assert!(EventQuery::parse(Some(&format!("labels={}", many.join(","))), false).is_err());
    }

    #[test]
    fn a_histogram_needs_its_window_and_a_sane_bucket() {
        let ok = "start=2026-12-02T00:00:00Z&end=2026-12-03T00:00:00Z&bucket=3600";
        assert_eq!(EventQuery::parse(Some(ok), true).unwrap().bucket_secs, Some(3600));
        assert!(EventQuery::parse(Some("start=2026-12-02T00:00:00Z&end=2026-12-03T00:00:00Z"), true).is_err());
        assert!(EventQuery::parse(Some("start=2026-12-02T00:00:00Z&end=2026-12-03T00:00:00Z&bucket=1"), true).is_err());
        assert!(EventQuery::parse(Some(&format!("{ok}&limit=5")), true).is_err(), "no paging in a histogram");
    }
}
