//! The query-string conventions every list of the API shares
//! (docs/ref/api.md): filters given as repeated parameters or as
//! comma-separated values, RFC 3339 times, and cursor pagination (`limit`
//! and `cursor` in, `next_cursor` out). A cursor is opaque to the client:
//! the position of a page's last item, base64url-encoded; one that does not
//! decode is a 400, never a silently restarted list.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::ApiError;

/// The most values one list filter takes.
pub const MAX_LIST: usize = 100;
/// The most bytes of one word of a list filter.
const MAX_WORD: usize = 200;
/// Page size when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 100;
/// The largest page.
pub const MAX_LIMIT: i64 = 500;

/// The `(key, value)` pairs of a query string, decoded.
pub fn pairs(query: Option<&str>) -> impl Iterator<Item = (String, String)> + '_ {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// Reads `limit`: 1 to [`MAX_LIMIT`].
pub fn limit(field: &str, value: &str) -> Result<i64, ApiError> {
    page_size(field, Some(value.parse().map_err(|_| ApiError::invalid(field, "must be a number"))?))
}

/// Checks a `limit` read already: 1 to [`MAX_LIMIT`], or
/// [`DEFAULT_LIMIT`] when absent.
pub fn page_size(field: &str, value: Option<i64>) -> Result<i64, ApiError> {
    match value {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid(field, format!("must be between 1 and {MAX_LIMIT}"))),
    }
}

/// Reads an RFC 3339 time.
pub fn time(field: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time, such as 2026-12-02T18:45:00Z"))
}

/// Reads `true` or `false`.
pub fn flag(field: &str, value: &str) -> Result<bool, ApiError> {
    value.parse().map_err(|_| ApiError::invalid(field, "must be true or false"))
}

/// Fails unless `value` is at most `max` characters; gives it trimmed, or
/// `None` when blank.
pub fn text(field: &str, value: &str, max: usize) -> Result<Option<String>, ApiError> {
    let text = value.trim();
    if text.chars().count() > max {
        return Err(ApiError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn values(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty())
}

/// Adds the ids of one occurrence of a list parameter (comma-separated),
/// without repeats, to at most [`MAX_LIST`].
pub fn push_ids(list: &mut Vec<Uuid>, field: &str, value: &str) -> Result<(), ApiError> {
    for v in values(value) {
        let id = v.parse().map_err(|_| ApiError::invalid(field, "must be UUIDs"))?;
        if !list.contains(&id) {
            bounded(list.len() + 1, field)?;
            list.push(id);
        }
    }
    Ok(())
}

/// Adds the words of one occurrence of a list parameter (comma-separated),
/// without repeats, each at most 200 bytes, to at most [`MAX_LIST`].
pub fn push_words(list: &mut Vec<String>, field: &str, value: &str) -> Result<(), ApiError> {
    for v in values(value) {
        if v.len() > MAX_WORD {
            return Err(ApiError::invalid(field, format!("values must be at most {MAX_WORD} bytes")));
        }
        if !list.iter().any(|w| w == v) {
            bounded(list.len() + 1, field)?;
            list.push(v.to_owned());
        }
    }
    Ok(())
}

fn bounded(len: usize, field: &str) -> Result<(), ApiError> {
    if len > MAX_LIST { Err(ApiError::invalid(field, format!("at most {MAX_LIST} values"))) } else { Ok(()) }
}

/// Fails unless `end` (when both are given) comes after `start`.
pub fn ordered(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>, end_field: &str) -> Result<(), ApiError> {
    match (start, end) {
        (Some(start), Some(end)) if end <= start => Err(ApiError::invalid(end_field, "must be after start")),
        _ => Ok(()),
    }
}

fn encode(position: &str) -> String {
    URL_SAFE_NO_PAD.encode(position)
}

fn decode(text: &str) -> Option<String> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()
}

fn not_a_cursor(field: &str) -> ApiError {
    ApiError::invalid(field, "is not a cursor this server gave")
}

/// A cursor for a list ordered by a time and an id: events (start, id),
/// bookmarks, exports, the live feed's position (last change, id).
pub fn encode_token(time: DateTime<Utc>, id: Uuid) -> String {
    encode(&format!("{}.{}", time.timestamp_micros(), id))
}

/// Reads a token of [`encode_token`]; `None` when it is not one, or names a
/// time outside years 1 to 9999 (which no item has, and the database could
/// not compare with).
pub fn decode_token(text: &str) -> Option<(DateTime<Utc>, Uuid)> {
    const YEAR_1: i64 = -62_135_596_800_000_000;
    const YEAR_10000: i64 = 253_402_300_800_000_000;
    let raw = decode(text)?;
    let (micros, id) = raw.split_once('.')?;
    let micros: i64 = micros.parse().ok().filter(|m| (YEAR_1..YEAR_10000).contains(m))?;
    Some((DateTime::from_timestamp_micros(micros)?, id.parse().ok()?))
}

/// Reads a cursor of [`encode_token`], or fails naming `field`.
pub fn time_cursor(field: &str, text: &str) -> Result<(DateTime<Utc>, Uuid), ApiError> {
    decode_token(text).ok_or_else(|| not_a_cursor(field))
}

/// A cursor for a list ordered by a number (the audit trail's `seq`).
pub fn encode_number(n: i64) -> String {
    encode(&format!("n{n}"))
}

/// Reads a cursor of [`encode_number`], or fails naming `field`.
pub fn number_cursor(field: &str, text: &str) -> Result<i64, ApiError> {
    decode(text).and_then(|raw| raw.strip_prefix('n')?.parse().ok()).ok_or_else(|| not_a_cursor(field))
}

/// A cursor for a list ordered by a name and an id (users by name).
pub fn encode_name(name: &str, id: Uuid) -> String {
    encode(&format!("{id}.{name}"))
}

/// Reads a cursor of [`encode_name`], or fails naming `field`.
pub fn name_cursor(field: &str, text: &str) -> Result<(String, Uuid), ApiError> {
    let raw = decode(text).ok_or_else(|| not_a_cursor(field))?;
    let (id, name) = raw.split_once('.').ok_or_else(|| not_a_cursor(field))?;
    Ok((name.to_owned(), id.parse().map_err(|_| not_a_cursor(field))?))
}

/// Cuts a page from `rows`, fetched with one more than `limit` to learn
/// whether more follow: the first `limit` rows, and the cursor after the
/// last of them when there are more.
pub fn page<T>(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> String) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(cursor_of) } else { None };
    (rows, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_do_not_pass_for_one_another() {
        let (t, id) = (DateTime::from_timestamp_micros(1_764_700_000_123_456).unwrap(), Uuid::from_u128(7));
        assert_eq!(time_cursor("cursor", &encode_token(t, id)).unwrap(), (t, id));
        assert_eq!(number_cursor("cursor", &encode_number(-42)).unwrap(), -42);
        let named = encode_name("ann.smith@example", id);
        assert_eq!(name_cursor("cursor", &named).unwrap(), ("ann.smith@example".to_owned(), id));
        assert!(number_cursor("cursor", &encode_token(t, id)).is_err());
        assert!(time_cursor("cursor", &encode_number(5)).is_err());
        assert!(time_cursor("cursor", &named).is_err());
        let far = encode(&format!("{}.{id}", -3_000_000_000_000_000_000i64));
        assert!(time_cursor("cursor", &far).is_err(), "a time the database cannot hold");
        for bad in ["", "xyz", "%%%", &encode("n12x")] {
            assert!(number_cursor("cursor", bad).is_err(), "{bad}");
            assert!(name_cursor("cursor", bad).is_err(), "{bad}");
        }
        let error = number_cursor("cursor", "xyz").unwrap_err();
        assert!(error.message().starts_with("cursor:"), "{}", error.message());
    }

    #[test]
    fn a_page_says_where_the_next_starts_only_when_there_is_one() {
        let cursor = |n: &i64| n.to_string();
        assert_eq!(page(vec![1, 2, 3], 2, cursor), (vec![1, 2], Some("2".to_owned())));
        assert_eq!(page(vec![1, 2], 2, cursor), (vec![1, 2], None));
        assert_eq!(page(Vec::<i64>::new(), 2, cursor), (vec![], None));
    }

    #[test]
    fn lists_and_limits_are_bounded() {
        let mut ids = Vec::new();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        push_ids(&mut ids, "cameras", &format!("{a}, {b},{a}")).unwrap();
        assert_eq!(ids, vec![a, b]);
        assert!(push_ids(&mut ids, "cameras", "not-an-id").is_err());
        let mut words = Vec::new();
        let many: Vec<String> = (0..=MAX_LIST).map(|i| format!("w{i}")).collect();
        assert!(push_words(&mut words, "labels", &many.join(",")).is_err());
        assert!(push_words(&mut Vec::new(), "labels", &"x".repeat(MAX_WORD + 1)).is_err());
        for bad in ["0", "501", "-1", "ten"] {
            assert!(limit("limit", bad).is_err(), "{bad}");
        }
        assert_eq!(limit("limit", "500").unwrap(), 500);
        assert!(time("start", "yesterday").is_err());
        assert!(
            ordered(
                Some(time("s", "2026-12-02T10:00:00Z").unwrap()),
                Some(time("e", "2026-12-02T10:00:00Z").unwrap()),
                "end"
            )
            .is_err()
        );
        assert_eq!(text("q", "  door ", 10).unwrap().as_deref(), Some("door"));
        assert!(text("q", "toolong", 3).is_err());
    }
}
