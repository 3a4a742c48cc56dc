//! Searching a tenant's events, newest first, and counting them in time
//! buckets for a timeline.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::{COLUMNS, JOINS, StoredEvent};
use crate::{CatalogError, TenantId};

/// Which events to find. Empty lists and `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Only these cameras.
    pub cameras: Vec<Uuid>,
    /// Only cameras the caller may see events of: `None` is the whole tenant
    /// (events with no camera included), `Some` these cameras only.
    pub visible_cameras: Option<Vec<Uuid>>,
    /// Only these sites.
    pub sites: Vec<Uuid>,
    /// Only these types.
    pub types: Vec<String>,
    /// Only these labels (`attributes.label`).
    pub labels: Vec<String>,
    /// Only events in one of these zones (`attributes.zones`).
    pub zones: Vec<String>,
    /// Only events going on at or after this time (ending at or after it, or not ended).
    pub start: Option<DateTime<Utc>>,
    /// Only events that started before this time.
    pub end: Option<DateTime<Utc>>,
    /// Only events with (`true`) or without (`false`) a snapshot.
    pub has_snapshot: Option<bool>,
    /// Text found (case-insensitive) in the type, the label or the camera's name.
    pub text: Option<String>,
}

/// Where a page ends: the last event's start and id, to continue after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventCursor {
    /// The last event's start.
    pub start: DateTime<Utc>,
    /// The last event's id.
    pub id: Uuid,
}

/// The conditions of `filter` on `events e` (joined as [`JOINS`]), with
/// parameters $1 (tenant) to $11.
const WHERE: &str = "e.tenant_id = $1 \
    AND (cardinality($2::uuid[]) = 0 OR e.camera_id = ANY ($2)) \
    AND ($3::uuid[] IS NULL OR e.camera_id = ANY ($3)) \
    AND (cardinality($4::uuid[]) = 0 OR e.site_id = ANY ($4)) \
    AND (cardinality($5::text[]) = 0 OR e.type = ANY ($5)) \
    AND (cardinality($6::text[]) = 0 OR e.attributes->>'label' = ANY ($6)) \
    AND (cardinality($7::text[]) = 0 OR (jsonb_typeof(e.attributes->'zones') = 'array' \
         AND e.attributes->'zones' ?| $7)) \
    AND ($8::timestamptz IS NULL OR coalesce(e.end_time, 'infinity') >= $8) \
    AND ($9::timestamptz IS NULL OR e.start_time < $9) \
    AND ($10::boolean IS NULL OR (e.snapshot IS NOT NULL) = $10) \
    AND ($11::text IS NULL OR e.type ILIKE $11 ESCAPE '\\' OR e.attributes->>'label' ILIKE $11 ESCAPE '\\' \
         OR coalesce(c.name, d.name) ILIKE $11 ESCAPE '\\')";

/// Binds `filter` as $2 to $11 after the tenant.
macro_rules! bind_filter {
    ($query:expr, $tenant:expr, $f:expr) => {
        $query
            .bind($tenant)
            .bind(&$f.cameras)
            .bind(&$f.visible_cameras)
            .bind(&$f.sites)
            .bind(&$f.types)
            .bind(&$f.labels)
            .bind(&$f.zones)
            .bind($f.start)
            .bind($f.end)
            .bind($f.has_snapshot)
            .bind($f.text.as_deref().map(like_pattern))
    };
}

/// Finds at most `limit` of `tenant`'s events matching `filter`, newest
/// first (by start, then id), after `cursor`.
pub async fn search(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    filter: &EventFilter,
    cursor: Option<EventCursor>,
    limit: i64,
) -> Result<Vec<StoredEvent>, CatalogError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events e {JOINS} WHERE {WHERE} \
         AND ($12::timestamptz IS NULL OR (e.start_time, e.id) < ($12, $13)) \
         ORDER BY e.start_time DESC, e.id DESC LIMIT $14"
    );
    Ok(bind_filter!(sqlx::query_as(&sql), tenant, filter)
        .bind(cursor.map(|c| c.start))
        .bind(cursor.map(|c| c.id))
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// Counts `tenant`'s events matching `filter` that started in each bucket of
/// `bucket_secs` seconds from `origin` (buckets with none left out), oldest first.
pub async fn histogram(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    filter: &EventFilter,
    origin: DateTime<Utc>,
    bucket_secs: i64,
) -> Result<Vec<(DateTime<Utc>, i64)>, CatalogError> {
    let sql = format!(
        "SELECT date_bin(make_interval(secs => $12), e.start_time, $13) AS bucket, count(*) \
         FROM events e {JOINS} WHERE {WHERE} AND e.start_time >= $13 GROUP BY bucket ORDER BY bucket"
    );
    Ok(bind_filter!(sqlx::query_as(&sql), tenant, filter).bind(bucket_secs as f64).bind(origin).fetch_all(db).await?)
}

/// Where a live feed stands: the last event sent, by the time it last
/// changed and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedPosition {
    /// When the event last changed.
    pub updated_at: DateTime<Utc>,
    /// Its id.
    pub id: Uuid,
}

impl FeedPosition {
    /// The position of `event`.
    pub fn of(event: &StoredEvent) -> Self {
        Self { updated_at: event.updated_at, id: event.id }
    }
}

/// At most `limit` of `tenant`'s events matching `filter` that changed after
/// `after`, in the order they changed: what a live feed missed.
pub async fn changed_after(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    filter: &EventFilter,
    after: FeedPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, CatalogError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events e {JOINS} WHERE {WHERE} AND (e.updated_at, e.id) > ($12, $13) \
         ORDER BY e.updated_at, e.id LIMIT $14"
    );
    Ok(bind_filter!(sqlx::query_as(&sql), tenant, filter)
        .bind(after.updated_at)
        .bind(after.id)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// The events `ids`, of any tenant (run across tenants): what a batch just
/// stored, for the live feeds and the rules. Kept on the id indexes, as
/// storing is (statistics lag behind a burst), and planned for these ids.
pub async fn by_ids(db: &mut sqlx::PgConnection, ids: &[Uuid]) -> Result<Vec<StoredEvent>, CatalogError> {
    sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut *db).await?;
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events e {JOINS} WHERE e.id = ANY ($1) ORDER BY e.updated_at, e.id"
    ))
    .persistent(false)
    .bind(ids)
    .fetch_all(&mut *db)
    .await?)
}

impl EventFilter {
    /// Whether `event` passes the filter's cameras, visible cameras, sites,
    /// types, labels and zones (what a live feed filters on), as the search
    /// would decide.
    pub fn matches(&self, event: &StoredEvent) -> bool {
        let in_list = |list: &[Uuid], id: Option<Uuid>| list.is_empty() || id.is_some_and(|id| list.contains(&id));
        let label = event.attributes.get("label").and_then(|l| l.as_str());
        let zones = event.attributes.get("zones").and_then(|z| z.as_array());
        in_list(&self.cameras, event.camera_id)
            && self.visible_cameras.as_ref().is_none_or(|v| event.camera_id.is_some_and(|c| v.contains(&c)))
            && in_list(&self.sites, event.site_id)
            && (self.types.is_empty() || self.types.contains(&event.kind))
            && (self.labels.is_empty() || label.is_some_and(|l| self.labels.iter().any(|x| x == l)))
            && (self.zones.is_empty()
                || zones
                    .is_some_and(|z| z.iter().any(|v| v.as_str().is_some_and(|n| self.zones.iter().any(|x| x == n)))))
    }
}

/// A LIKE pattern finding `text` anywhere, with its wildcards taken literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(camera: Option<Uuid>, kind: &str, attributes: serde_json::Value) -> StoredEvent {
        StoredEvent {
            id: Uuid::new_v4(),
            tenant_id: Uuid::nil(),
            site_id: Some(Uuid::from_u128(1)),
            camera_id: camera,
            kind: kind.into(),
            start_time: Utc::now(),
            end_time: None,
            attributes,
            seq: 0,
            snapshot: None,
            snapshot_at: None,
            snapshot_error: None,
            acked_at: None,
            acked_by: None,
            stored_at: Utc::now(),
            updated_at: Utc::now(),
            camera_name: None,
            site_name: None,
            tenant_name: None,
        }
    }

    #[test]
    fn a_feed_filter_decides_as_the_search() {
        let cam = Uuid::from_u128(7);
        let person = stored(Some(cam), "object", serde_json::json!({"label": "person", "zones": ["door", "yard"]}));
        let lone = stored(None, "storage_full", serde_json::json!({"zones": "door"}));
        let all = EventFilter::default();
        assert!(all.matches(&person) && all.matches(&lone));
        let visible = EventFilter { visible_cameras: Some(vec![cam]), ..Default::default() };
        assert!(visible.matches(&person) && !visible.matches(&lone), "camera-less events need tenant-wide reading");
        let none_visible = EventFilter { visible_cameras: Some(vec![]), ..Default::default() };
        assert!(!none_visible.matches(&person));
        let f = EventFilter {
            types: vec!["object".into()],
            labels: vec!["person".into()],
            zones: vec!["yard".into()],
            sites: vec![Uuid::from_u128(1)],
            cameras: vec![cam],
            ..Default::default()
        };
        assert!(f.matches(&person));
        assert!(!EventFilter { zones: vec!["door".into()], ..Default::default() }.matches(&lone), "zones not a list");
        assert!(!EventFilter { labels: vec!["car".into()], ..Default::default() }.matches(&person));
        assert!(!EventFilter { cameras: vec![Uuid::from_u128(8)], ..Default::default() }.matches(&person));
    }

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern("door"), "%door%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
