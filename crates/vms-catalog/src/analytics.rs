//! Each camera's analytics settings ([`CameraAnalytics`]), stored as JSON.
//! Callers check them ([`CameraAnalytics::validate`]) before storing; a
//! stored setting this version cannot read is reported, never guessed at.

use sqlx::PgExecutor;
use uuid::Uuid;
use vms_base::analytics::CameraAnalytics;

use crate::CatalogError;

/// Reads a stored setting. One this version cannot read is the server's
/// problem, not the caller's: an internal error, with serde's detail as
/// its source for whoever logs it.
pub(crate) fn parse(json: serde_json::Value) -> Result<CameraAnalytics, CatalogError> {
    serde_json::from_value(json).map_err(|e| CatalogError::Database(sqlx::Error::Decode(Box::new(e))))
}

/// Returns a camera's analytics settings: the defaults if none were set.
pub async fn settings(db: impl PgExecutor<'_>, camera: Uuid) -> Result<CameraAnalytics, CatalogError> {
    let found: Option<(serde_json::Value,)> =
        sqlx::query_as("SELECT settings FROM camera_analytics WHERE camera_id = $1")
            .bind(camera)
            .fetch_optional(db)
            .await?;
    found.map_or_else(|| Ok(CameraAnalytics::default()), |(json,)| parse(json))
}

/// Stores a camera's analytics settings (checked by the caller).
pub async fn set_settings(
    db: impl PgExecutor<'_>,
    tenant: Uuid,
    camera: Uuid,
    settings: &CameraAnalytics,
) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO camera_analytics (camera_id, tenant_id, settings) VALUES ($1, $2, $3) \
         ON CONFLICT (camera_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()",
    )
    .bind(camera)
    .bind(tenant)
    .bind(sqlx::types::Json(settings))
    .execute(db)
    .await?;
    Ok(())
}
