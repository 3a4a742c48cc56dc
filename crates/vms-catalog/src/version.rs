//! The version of a resource two operators could both edit: its row's
//! `updated_at`, which every update sets. The API turns it into an `ETag`
//! and checks `If-Match` against it, locking the row so that nobody changes
//! it between the check and the update.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::CatalogError;

/// A resource with a version, and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioned {
    /// A camera (its own fields and its streams).
    Camera(Uuid),
    /// A site.
    Site(Uuid),
    /// A rule.
    Rule(Uuid),
    /// A bookmark.
    Bookmark(Uuid),
    /// A camera's recording settings.
    RecordingSettings(Uuid),
    /// A camera's analytics settings.
    AnalyticsSettings(Uuid),
}

impl Versioned {
    /// The row's table and key column: fixed names, never from input.
    fn row(self) -> (&'static str, &'static str, Uuid) {
        match self {
            Versioned::Camera(id) => ("cameras", "id", id),
            Versioned::Site(id) => ("sites", "id", id),
            Versioned::Rule(id) => ("rules", "id", id),
            Versioned::Bookmark(id) => ("bookmarks", "id", id),
            Versioned::RecordingSettings(camera) => ("recording_settings", "camera_id", camera),
            Versioned::AnalyticsSettings(camera) => ("camera_analytics", "camera_id", camera),
        }
    }
}

/// The resource's version; `None` where it has no row (settings never set,
/// which read as the defaults). With `lock`, the row stays locked until the
/// transaction ends.
pub async fn of(
    db: impl PgExecutor<'_>,
    resource: Versioned,
    lock: bool,
) -> Result<Option<DateTime<Utc>>, CatalogError> {
    let (table, key, id) = resource.row();
    let lock = if lock { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT updated_at FROM {table} WHERE {key} = $1{lock}");
    Ok(sqlx::query_scalar(&sql).bind(id).fetch_optional(db).await?)
}
