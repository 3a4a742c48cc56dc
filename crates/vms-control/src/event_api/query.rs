//! The query string of the events search and histogram: lists given as
//! comma-separated values or as repeated parameters, RFC 3339 times, an
//! opaque cursor, every value bounded.

use vms_catalog::event::search::{EventCursor, EventFilter};

use crate::{error::ApiError, list_query};

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
        let mut q = EventQuery { limit: list_query::DEFAULT_LIMIT, ..Default::default() };
        let f = &mut q.filter;
        for (key, value) in list_query::pairs(query) {
            let key = key.as_str();
            match key {
                "cameras" => list_query::push_ids(&mut f.cameras, key, &value)?,
                "sites" => list_query::push_ids(&mut f.sites, key, &value)?,
                "types" => list_query::push_words(&mut f.types, key, &value)?,
                "labels" => list_query::push_words(&mut f.labels, key, &value)?,
                "zones" => list_query::push_words(&mut f.zones, key, &value)?,
                "start" => f.start = Some(list_query::time(key, &value)?),
                "end" => f.end = Some(list_query::time(key, &value)?),
                "has_snapshot" => f.has_snapshot = Some(list_query::flag(key, &value)?),
                "q" => f.text = list_query::text(key, &value, MAX_TEXT)?,
                "limit" if !histogram => q.limit = list_query::limit(key, &value)?,
                "cursor" if !histogram => {
                    let (start, id) = list_query::time_cursor(key, &value)?;
                    q.cursor = Some(EventCursor { start, id });
                }
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
        list_query::ordered(f.start, f.end, "end")?;
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

/// Encodes where a page ended.
pub fn encode_cursor(cursor: EventCursor) -> String {
    list_query::encode_token(cursor.start, cursor.id)
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use uuid::Uuid;

    use super::*;
    use crate::list_query::MAX_LIST;

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
