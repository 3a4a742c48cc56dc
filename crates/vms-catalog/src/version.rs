//! The version of a resource two operators could both edit: its row's
//! `updated_at`, which every update sets. The API turns it into an `ETag`
//! and checks `If-Match` against it, locking the row so that nobody changes
//! it between the check and the update.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

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
    /// A user (name, status and grants).
    User(Uuid),
    /// A webhook.
    Webhook(Uuid),
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
            Versioned::User(id) => ("users", "id", id),
            Versioned::Webhook(id) => ("webhooks", "id", id),
        }
    }
}

/// The resource's version in `tenant`; `None` where it has no row
/// (settings never set, which read as the defaults). With `lock`, the row
/// stays locked until the transaction ends; for settings the camera's row is
/// locked first, so two first saves of a camera's settings (no row to lock
/// yet) wait for each other too.
pub async fn of(
    db: &mut PgConnection,
    tenant: TenantId,
    resource: Versioned,
    lock: bool,
) -> Result<Option<DateTime<Utc>>, CatalogError> {
    let (table, key, id) = resource.row();
    if lock && key == "camera_id" {
        sqlx::query("SELECT 1 FROM cameras WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE")
            .bind(tenant)
            .bind(id)
            .fetch_optional(&mut *db)
            .await?;
    }
    let lock = if lock { " FOR NO KEY UPDATE" } else { "" };
    let sql = format!("SELECT updated_at FROM {table} WHERE tenant_id = $1 AND {key} = $2{lock}");
    Ok(sqlx::query_scalar(&sql).bind(tenant).bind(id).fetch_optional(&mut *db).await?)
}
