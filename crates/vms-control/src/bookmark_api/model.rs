//! The JSON of the bookmarks API, and the checks on what a user writes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::bookmark::{Bookmark, BookmarkFilter, BookmarkSpec};

use crate::{
    error::ApiError,
    event_api::query::{decode_token, encode_token},
    validate,
};

/// The longest range a bookmark covers.
const MAX_RANGE_DAYS: i64 = 31;
/// The most cameras of a bookmark.
const MAX_CAMERAS: usize = 64;
/// The most tags of a bookmark.
const MAX_TAGS: usize = 20;
/// The longest tag.
const MAX_TAG: usize = 50;

/// A bookmark as written: create, or replace whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookmarkBody {
    /// 1 to 200 characters.
    pub name: String,
    /// At most 4,000 characters.
    #[serde(default)]
    pub description: String,
    /// At most 20 tags of 1 to 50 characters (repeats dropped).
    #[serde(default)]
    pub tags: Vec<String>,
    /// 1 to 64 cameras of the tenant.
    pub cameras: Vec<Uuid>,
    /// Where the range starts.
    pub start: DateTime<Utc>,
    /// Where it ends: after `start`, at most 31 days later.
    pub end: DateTime<Utc>,
}

impl BookmarkBody {
    /// Checks the body and makes it a spec (trimmed, repeats dropped).
    pub fn spec(&self) -> Result<BookmarkSpec, ApiError> {
        let name = validate::name("name", &self.name, 200)?;
        let description = validate::text("description", &self.description, 4000)?;
        let mut tags = Vec::new();
        for (i, tag) in validate::unique("tags", &self.tags, MAX_TAGS)?.iter().enumerate() {
            let tag = validate::name(&format!("tags[{i}]"), tag, MAX_TAG)?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let cameras = validate::unique("cameras", &self.cameras, MAX_CAMERAS)?;
        if cameras.is_empty() {
            return Err(ApiError::invalid("cameras", "must name at least one camera"));
        }
        if self.end <= self.start {
            return Err(ApiError::invalid("end", "must be after start"));
        }
        if self.end - self.start > chrono::TimeDelta::days(MAX_RANGE_DAYS) {
            return Err(ApiError::invalid("end", format!("must be at most {MAX_RANGE_DAYS} days after start")));
        }
        Ok(BookmarkSpec { name, description, tags, cameras, start_time: self.start, end_time: self.end })
    }
}

/// A bookmark.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookmarkView {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its cameras.
    pub cameras: Vec<Uuid>,
    /// Where its range starts.
    pub start: DateTime<Utc>,
    /// Where it ends.
    pub end: DateTime<Utc>,
    /// Whether its footage is locked as evidence.
    pub locked: bool,
    /// When it was locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_at: Option<DateTime<Utc>>,
    /// Who locked it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_by: Option<Uuid>,
    /// Who made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<Bookmark> for BookmarkView {
    fn from(b: Bookmark) -> Self {
        Self {
            id: b.id,
            name: b.name,
            description: b.description,
            tags: b.tags,
            cameras: b.cameras,
            start: b.start_time,
            end: b.end_time,
            locked: b.locked_at.is_some(),
            locked_at: b.locked_at,
            locked_by: b.locked_by,
            created_by: b.created_by,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

/// A page of bookmarks, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookmarkPage {
    /// The bookmarks.
    pub items: Vec<BookmarkView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A parsed bookmarks query.
#[derive(Debug, Default)]
pub struct BookmarkQuery {
    /// The filter.
    pub filter: BookmarkFilter,
    /// Where the previous page ended.
    pub cursor: Option<(DateTime<Utc>, Uuid)>,
    /// Page size, 1 to 500 (100).
    pub limit: i64,
}

/// Where a page ended, as an opaque cursor.
pub fn cursor_of(b: &BookmarkView) -> String {
    encode_token(b.start, b.id)
}

impl BookmarkQuery {
    /// Parses `q`, `tags`, `cameras` (comma-separated or repeated), `start`,
    /// `end`, `locked`, `limit` and `cursor`.
    pub fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let mut q = BookmarkQuery { limit: 100, ..Default::default() };
        let f = &mut q.filter;
        let time = |key: &str, value: &str| {
            DateTime::parse_from_rfc3339(value)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::invalid(key, "must be an RFC 3339 time"))
        };
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let key = key.as_ref();
            let values = || value.split(',').map(str::trim).filter(|v| !v.is_empty());
            match key {
                "q" => {
                    let text = value.trim();
                    if text.chars().count() > 200 {
                        return Err(ApiError::invalid(key, "must be at most 200 characters"));
                    }
                    f.text = (!text.is_empty()).then(|| text.to_owned());
                }
                "tags" => f.tags.extend(values().map(str::to_owned)),
                "cameras" => {
                    for v in values() {
                        f.cameras.push(v.parse().map_err(|_| ApiError::invalid(key, "must list camera ids"))?);
                    }
                }
                "start" => f.start = Some(time(key, &value)?),
                "end" => f.end = Some(time(key, &value)?),
                "locked" => {
                    f.locked = Some(value.parse().map_err(|_| ApiError::invalid(key, "must be true or false"))?)
                }
                "limit" => {
                    q.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=500).contains(n))
                        .ok_or_else(|| ApiError::invalid(key, "must be between 1 and 500"))?
                }
                "cursor" => {
                    q.cursor = Some(decode_token(&value).ok_or_else(|| ApiError::invalid(key, "is not a cursor"))?)
                }
                other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
            }
            if f.tags.len() > 100 || f.cameras.len() > 100 {
                return Err(ApiError::invalid(key, "must list at most 100 values"));
            }
        }
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(value: serde_json::Value) -> Result<BookmarkSpec, ApiError> {
        serde_json::from_value::<BookmarkBody>(value).unwrap().spec()
    }

    #[test]
    fn a_bookmark_is_checked_field_by_field() {
        let cam = Uuid::from_u128(1);
        let ok = json!({"name": " Break-in ", "tags": ["theft", "theft", " door "], "cameras": [cam, cam],
                        "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:05:00Z"});
        let spec = body(ok.clone()).unwrap();
        assert_eq!(
            (spec.name.as_str(), spec.tags.clone(), spec.cameras.clone()),
            ("Break-in", vec!["theft".to_owned(), "door".to_owned()], vec![cam])
        );
        for (change, field) in [
            (json!({"name": ""}), "name"),
            (json!({"cameras": []}), "cameras"),
            (json!({"end": "2026-12-01T09:00:00Z"}), "end"),
            (json!({"end": "2027-02-01T09:00:00Z"}), "end"),
            (json!({"tags": [""]}), "tags[0]"),
            (json!({"tags": ["x".repeat(51)]}), "tags[0]"),
            (json!({"description": "d".repeat(4001)}), "description"),
        ] {
            let mut wrong = ok.clone();
            for (k, v) in change.as_object().unwrap() {
                wrong[k] = v.clone();
            }
            let error = body(wrong).unwrap_err();
            assert!(error.message().starts_with(&format!("{field}:")), "{field}: {}", error.message());
        }
    }

    #[test]
    fn queries_read_lists_times_and_cursors() {
        let q = BookmarkQuery::parse(Some("q=door&tags=theft,fire&tags=x&locked=true&limit=5")).unwrap();
        assert_eq!(
            (q.filter.text.as_deref(), q.filter.tags.len(), q.filter.locked, q.limit),
            (Some("door"), 3, Some(true), 5)
        );
        for bad in ["cursor=xyz", "limit=0", "locked=maybe", "start=yesterday", "cameras=not-an-id", "nope=1"] {
            assert!(BookmarkQuery::parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
