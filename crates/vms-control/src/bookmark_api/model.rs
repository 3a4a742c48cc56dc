//! The JSON of the bookmarks API, and the checks on what a user writes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::bookmark::{Bookmark, BookmarkFilter, BookmarkSpec};

use crate::{error::ApiError, list_query, validate};

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
#[schema(example = json!({
    "name": "Forced entry at dock door",
    "description": "Person forces the door at 10:14; police report 2026-4471",
    "tags": ["break-in", "police"],
    "cameras": ["6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"],
    "start": "2026-12-01T10:00:00Z",
    "end": "2026-12-01T10:20:00Z"
}))]
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
#[schema(example = bookmark_example)]
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

/// An example of [`BookmarkView`], for the API document.
fn bookmark_example() -> serde_json::Value {
    serde_json::json!({
        "id": "5b1e2f3a-8c4d-4e6f-9a0b-1c2d3e4f5a6b",
        "name": "Forced entry at dock door",
        "description": "Person forces the door at 10:14; police report 2026-4471",
        "tags": ["break-in", "police"],
        "cameras": ["6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"],
        "start": "2026-12-01T10:00:00Z",
        "end": "2026-12-01T10:20:00Z",
        "locked": true,
        "locked_at": "2026-12-01T11:05:42Z",
        "locked_by": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        "created_by": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        "created_at": "2026-12-01T10:58:03Z",
        "updated_at": "2026-12-01T11:05:42Z"
    })
}

/// A page of bookmarks, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "items": [bookmark_example()],
    "next_cursor": "MTc5NjExOTIwMDAwMDAwMC41YjFlMmYzYS04YzRkLTRlNmYtOWEwYi0xYzJkM2U0ZjVhNmI"
}))]
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
    list_query::encode_token(b.start, b.id)
}

impl BookmarkQuery {
    /// Parses `q`, `tags`, `cameras` (comma-separated or repeated), `start`,
    /// `end`, `locked`, `limit` and `cursor`.
    pub fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let mut q = BookmarkQuery { limit: list_query::DEFAULT_LIMIT, ..Default::default() };
        let f = &mut q.filter;
        for (key, value) in list_query::pairs(query) {
            let key = key.as_str();
            match key {
                "q" => f.text = list_query::text(key, &value, 200)?,
                "tags" => list_query::push_words(&mut f.tags, key, &value)?,
                "cameras" => list_query::push_ids(&mut f.cameras, key, &value)?,
                "start" => f.start = Some(list_query::time(key, &value)?),
                "end" => f.end = Some(list_query::time(key, &value)?),
                "locked" => f.locked = Some(list_query::flag(key, &value)?),
                "limit" => q.limit = list_query::limit(key, &value)?,
                "cursor" => q.cursor = Some(list_query::time_cursor(key, &value)?),
                other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
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
