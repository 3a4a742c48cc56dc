//! Bookmarks (migration 0023): named time ranges on cameras, with a
//! description and tags, and the evidence lock that keeps their footage
//! from retention. The API checks who may see, write and lock them; here
//! they are kept, searched, and asked about by the recorders' retention
//! (`recording::past_retention` and friends skip locked footage).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId, event::search::like_pattern};

/// A bookmark as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Bookmark {
    /// Its id.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// Its name.
    pub name: String,
    /// What happened, in the operator's words.
    pub description: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// The cameras it marks.
    pub cameras: Vec<Uuid>,
    /// Where its range starts.
    pub start_time: DateTime<Utc>,
    /// Where it ends.
    pub end_time: DateTime<Utc>,
    /// When it was locked as evidence; `None` while unlocked.
    pub locked_at: Option<DateTime<Utc>>,
    /// Who locked it.
    pub locked_by: Option<Uuid>,
    /// Who made it.
    pub created_by: Option<Uuid>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a bookmark says, as written by a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookmarkSpec {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its cameras.
    pub cameras: Vec<Uuid>,
    /// Its range.
    pub start_time: DateTime<Utc>,
    /// Its range's end.
    pub end_time: DateTime<Utc>,
}

/// Which bookmarks a search wants; empty fields accept all.
#[derive(Debug, Clone, Default)]
pub struct BookmarkFilter {
    /// Text found in the name or description (case ignored).
    pub text: Option<String>,
    /// Any of these tags.
    pub tags: Vec<String>,
    /// Any of these cameras.
    pub cameras: Vec<Uuid>,
    /// Only those overlapping from here…
    pub start: Option<DateTime<Utc>>,
    /// …to here.
    pub end: Option<DateTime<Utc>>,
    /// Only locked (`true`) or unlocked (`false`) ones.
    pub locked: Option<bool>,
}

const COLUMNS: &str = "id, tenant_id, name, description, tags, cameras, start_time, end_time, locked_at, locked_by, \
    created_by, created_at, updated_at";

/// Stores a new bookmark of `tenant`, made by `user`.
pub async fn create(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    user: Option<Uuid>,
    spec: &BookmarkSpec,
) -> Result<Bookmark, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO bookmarks (id, tenant_id, name, description, tags, cameras, start_time, end_time, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}"
    ))
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(&spec.name)
    .bind(&spec.description)
    .bind(&spec.tags)
    .bind(&spec.cameras)
    .bind(spec.start_time)
    .bind(spec.end_time)
    .bind(user)
    .fetch_one(db)
    .await?)
}

/// Finds one of `tenant`'s bookmarks.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Bookmark, CatalogError> {
    find(db, tenant, id, "").await
}

/// Finds one of `tenant`'s bookmarks and locks its row until the
/// transaction ends, so what was checked is what gets written.
pub async fn get_for_update(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Bookmark, CatalogError> {
    find(db, tenant, id, "FOR UPDATE").await
}

async fn find(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid, lock: &str) -> Result<Bookmark, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM bookmarks WHERE tenant_id = $1 AND id = $2 {lock}"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("bookmark", id))
}

/// Rewrites one of `tenant`'s bookmarks. A locked one keeps its cameras
/// and range (only its words change): `Conflict` if they would change.
pub async fn update(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    id: Uuid,
    spec: &BookmarkSpec,
) -> Result<Bookmark, CatalogError> {
    let updated: Option<Bookmark> = sqlx::query_as(&format!(
        "UPDATE bookmarks SET name = $3, description = $4, tags = $5, cameras = $6, start_time = $7, \
             end_time = $8, updated_at = now() \
         WHERE tenant_id = $1 AND id = $2 AND (locked_at IS NULL \
             OR (cameras = $6 AND start_time = $7 AND end_time = $8)) \
         RETURNING {COLUMNS}"
    ))
    .bind(tenant)
    .bind(id)
    .bind(&spec.name)
    .bind(&spec.description)
    .bind(&spec.tags)
    .bind(&spec.cameras)
    .bind(spec.start_time)
    .bind(spec.end_time)
    .fetch_optional(db)
    .await?;
    updated.ok_or_else(|| {
        CatalogError::Conflict("the bookmark is locked: unlock it before changing its cameras or range".into())
    })
}

/// Deletes one of `tenant`'s bookmarks unless it is locked (`Conflict`).
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let done = sqlx::query("DELETE FROM bookmarks WHERE tenant_id = $1 AND id = $2 AND locked_at IS NULL")
        .bind(tenant)
        .bind(id)
        .execute(db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(CatalogError::Conflict("the bookmark is locked: unlock it before deleting it".into()));
    }
    Ok(())
}

/// Locks (`by` a user) or unlocks (`None`) one of `tenant`'s bookmarks;
/// locking a locked one keeps who locked it first. Returns it as it is now.
pub async fn set_lock(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    id: Uuid,
    by: Option<Uuid>,
) -> Result<Bookmark, CatalogError> {
    let sql = match by {
        Some(_) => format!(
            "UPDATE bookmarks SET locked_at = coalesce(locked_at, now()), locked_by = coalesce(locked_by, $3), \
             updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING {COLUMNS}"
        ),
        None => format!(
            "UPDATE bookmarks SET locked_at = NULL, locked_by = NULL, updated_at = now() \
             WHERE tenant_id = $1 AND id = $2 AND $3::uuid IS NULL RETURNING {COLUMNS}"
        ),
    };
    sqlx::query_as(&sql)
        .bind(tenant)
        .bind(id)
        .bind(by)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("bookmark", id))
}

/// `tenant`'s bookmarks that pass `filter` and touch only `cameras` (all
/// of a bookmark's cameras must be among them; `None`: any camera), newest
/// first (by start), after the `(start_time, id)` cursor `before`.
pub async fn search(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    filter: &BookmarkFilter,
    cameras: Option<&[Uuid]>,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Bookmark>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM bookmarks WHERE tenant_id = $1 \
         AND ($2::text IS NULL OR name ILIKE $2 OR description ILIKE $2) \
         AND (cardinality($3::text[]) = 0 OR tags && $3) \
         AND (cardinality($4::uuid[]) = 0 OR cameras && $4) \
         AND ($5::timestamptz IS NULL OR end_time > $5) AND ($6::timestamptz IS NULL OR start_time < $6) \
         AND ($7::boolean IS NULL OR (locked_at IS NOT NULL) = $7) \
         AND ($8::uuid[] IS NULL OR cameras <@ $8) \
         AND ($9::timestamptz IS NULL OR (start_time, id) < ($9, $10)) \
         ORDER BY start_time DESC, id DESC LIMIT $11"
    ))
    .bind(tenant)
    .bind(filter.text.as_deref().map(like_pattern))
    .bind(&filter.tags)
    .bind(&filter.cameras)
    .bind(filter.start)
    .bind(filter.end)
    .bind(filter.locked)
    .bind(cameras)
    .bind(before.map(|(t, _)| t))
    .bind(before.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The SQL condition, on a `recording_segments s`, that its footage is
/// under a bookmark's evidence lock.
/// (`@>` lets the partial GIN index on the locked bookmarks' cameras answer.)
pub(crate) const SEGMENT_LOCKED: &str = "EXISTS (SELECT 1 FROM bookmarks b WHERE b.locked_at IS NOT NULL \
    AND b.tenant_id = s.tenant_id AND b.cameras @> ARRAY[s.camera_id] \
    AND b.start_time < coalesce(s.end_time, 'infinity') AND b.end_time > s.start_time)";
