//! The installation's alert rules as a super-admin set them: a row per
//! rule whose settings were changed. Which rules exist, their defaults and
//! their bounds are control's (`vms_control::alerts::rule`); this is storage.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::CatalogError;

/// A rule's stored settings.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredAlertRule {
    /// Which built-in rule, e.g. `camera_offline`.
    pub kind: String,
    /// Whether it is evaluated.
    pub enabled: bool,
    /// Its threshold, in the rule's unit; `None` for rules without one.
    pub threshold: Option<f64>,
    /// Seconds the condition must hold before the alert is raised.
    pub for_secs: i32,
    /// Seconds the condition must be gone before the alert is cleared.
    pub clear_after_secs: i32,
    /// The rule's window (restarts counted over it, or how often it checks).
    pub window_secs: Option<i32>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// Every stored rule.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<StoredAlertRule>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT kind, enabled, threshold, for_secs, clear_after_secs, window_secs, updated_at \
         FROM alert_rules ORDER BY kind",
    )
    .fetch_all(db)
    .await?)
}

/// Stores `rule` (its `updated_at` is set to now) and returns it as stored.
pub async fn save(db: impl PgExecutor<'_>, rule: &StoredAlertRule) -> Result<StoredAlertRule, CatalogError> {
    Ok(sqlx::query_as(
        "INSERT INTO alert_rules (kind, enabled, threshold, for_secs, clear_after_secs, window_secs) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (kind) DO UPDATE SET enabled = $2, threshold = $3, for_secs = $4, clear_after_secs = $5, \
         window_secs = $6, updated_at = now() \
         RETURNING kind, enabled, threshold, for_secs, clear_after_secs, window_secs, updated_at",
    )
    .bind(&rule.kind)
    .bind(rule.enabled)
    .bind(rule.threshold)
    .bind(rule.for_secs)
    .bind(rule.clear_after_secs)
    .bind(rule.window_secs)
    .fetch_one(db)
    .await?)
}

/// What the `no_footage` rule looks at: each camera that records
/// continuously, with when its main stream's footage last ends (across
/// tenants: control's own view).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContinuousCamera {
    /// The camera.
    pub camera_id: uuid::Uuid,
    /// Its tenant.
    pub tenant_id: uuid::Uuid,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When its footage last ends; `None` before its first recording.
    pub last_footage: Option<DateTime<Utc>>,
}

/// Every enabled camera recording continuously (the default when its
/// settings were never set), with where its main stream's footage ends.
pub async fn continuous_cameras(db: impl PgExecutor<'_>) -> Result<Vec<ContinuousCamera>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT c.id AS camera_id, c.tenant_id, c.created_at, \
         (SELECT max(s.end_time) FROM recording_stretches s WHERE s.camera_id = c.id AND s.stream_role = 'main') \
           AS last_footage \
         FROM cameras c LEFT JOIN recording_settings r ON r.camera_id = c.id \
         WHERE c.enabled AND coalesce(r.mode, 'continuous') = 'continuous'",
    )
    .fetch_all(db)
    .await?)
}

/// The longest retention, in days, any camera asks for (`None` when every
/// camera keeps its footage until space runs short).
pub async fn longest_retention_days(db: impl PgExecutor<'_>) -> Result<Option<i32>, CatalogError> {
    Ok(sqlx::query_scalar("SELECT max(retention_days) FROM recording_settings").fetch_one(db).await?)
}
