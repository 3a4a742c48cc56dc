//! Webhooks and their delivery outbox (migration 0020). A webhook's signing
//! secret is sealed with the node's credential key; the outbox holds one
//! row per call a rule asked for, claimed by the sender with `SKIP LOCKED`
//! so several controls never send one call twice at once.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// A webhook as stored (the secret still sealed).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Webhook {
    /// Its id.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// Its name, unique in the tenant.
    pub name: String,
    /// Where calls go (`http` or `https`).
    pub url: String,
    /// The signing secret, sealed for this id.
    pub secret: Vec<u8>,
    /// Whether calls are made (a disabled webhook's deliveries wait).
    pub enabled: bool,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, tenant_id, name, url, secret, enabled, created_at, updated_at";

fn named(e: sqlx::Error, name: &str) -> CatalogError {
    match CatalogError::from(e) {
        e if e.is_unique_violation() => CatalogError::AlreadyExists(format!("a webhook named `{name}` exists")),
        e => e,
    }
}

/// Stores a new webhook.
pub async fn create(db: impl PgExecutor<'_>, w: &Webhook) -> Result<Webhook, CatalogError> {
    sqlx::query_as(&format!(
        "INSERT INTO webhooks (id, tenant_id, name, url, secret, enabled) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING {COLUMNS}"
    ))
    .bind(w.id)
    .bind(w.tenant_id)
    .bind(&w.name)
    .bind(&w.url)
    .bind(&w.secret)
    .bind(w.enabled)
    .fetch_one(db)
    .await
    .map_err(|e| named(e, &w.name))
}

/// Changes a webhook's name, URL or whether it is enabled.
pub async fn update(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    id: Uuid,
    name: Option<&str>,
    url: Option<&str>,
    enabled: Option<bool>,
) -> Result<Webhook, CatalogError> {
    sqlx::query_as(&format!(
        "UPDATE webhooks SET name = coalesce($3, name), url = coalesce($4, url), enabled = coalesce($5, enabled), \
         updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING {COLUMNS}"
    ))
    .bind(tenant)
    .bind(id)
    .bind(name)
    .bind(url)
    .bind(enabled)
    .fetch_optional(db)
    .await
    .map_err(|e| named(e, name.unwrap_or_default()))?
    .ok_or_else(|| CatalogError::not_found("webhook", id))
}

/// `tenant`'s webhooks, by name.
pub async fn list(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<Vec<Webhook>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks WHERE tenant_id = $1 ORDER BY name"))
        .bind(tenant)
        .fetch_all(db)
        .await?)
}

/// One of `tenant`'s webhooks.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Webhook, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("webhook", id))
}

/// Deletes one of `tenant`'s webhooks and its deliveries.
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let done =
        sqlx::query("DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(id).execute(db).await?;
    if done.rows_affected() == 0 {
        return Err(CatalogError::not_found("webhook", id));
    }
    Ok(())
}

/// One call in the outbox.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Delivery {
    /// Its id (sent as `X-VMS-Delivery`).
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// The webhook called.
    pub webhook_id: Uuid,
    /// The rule that asked.
    pub rule_id: Uuid,
    /// The event it is about.
    pub event_id: Uuid,
    /// What is sent.
    pub body: serde_json::Value,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    /// Tries so far.
    pub attempts: i32,
    /// When the next try is due (while pending).
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's last HTTP status.
    pub last_status: Option<i32>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it was delivered or dead-lettered.
    pub finished_at: Option<DateTime<Utc>>,
}

const DELIVERY_COLUMNS: &str = "id, tenant_id, webhook_id, rule_id, event_id, body, status, attempts, \
    next_attempt_at, last_status, last_error, created_at, finished_at";

/// Queues a call unless this rule already queued one for this event and
/// webhook; returns whether it queued one.
pub async fn enqueue(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    webhook: Uuid,
    rule: Uuid,
    event: Uuid,
    body: &serde_json::Value,
) -> Result<bool, CatalogError> {
    let done = sqlx::query(
        "INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, rule_id, event_id, body) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $3 AND tenant_id = $2) \
         ON CONFLICT (webhook_id, rule_id, event_id) DO NOTHING",
    )
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(webhook)
    .bind(rule)
    .bind(event)
    .bind(body)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Claims at most `limit` due deliveries of enabled webhooks (run across
/// tenants), leasing them for `lease` so no other sender takes them meanwhile.
pub async fn claim_due(
    db: impl PgExecutor<'_>,
    limit: i64,
    lease: std::time::Duration,
) -> Result<Vec<Delivery>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2) \
         WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
                      WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.enabled \
                      ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED) \
         RETURNING {DELIVERY_COLUMNS}"
    ))
    .bind(limit)
    .bind(lease.as_secs_f64())
    .fetch_all(db)
    .await?)
}

/// Records a try: delivered, or failed with the receiver's status and why,
/// to be tried again at `retry_at` or dead-lettered when `retry_at` is `None`.
pub async fn record_attempt(
    db: impl PgExecutor<'_>,
    id: Uuid,
    delivered: bool,
    status: Option<u16>,
    error: Option<&str>,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), CatalogError> {
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $3, last_error = $4, \
         status = CASE WHEN $2 THEN 'delivered' WHEN $5::timestamptz IS NULL THEN 'dead' ELSE 'pending' END, \
         next_attempt_at = coalesce($5, next_attempt_at), \
         finished_at = CASE WHEN $2 OR $5::timestamptz IS NULL THEN now() END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(delivered)
    .bind(status.map(i32::from))
    .bind(error)
    .bind(retry_at)
    .execute(db)
    .await?;
    Ok(())
}

/// One of `tenant`'s webhook's deliveries, newest first (at most `limit`), optionally only of `status`.
pub async fn deliveries(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    webhook: Uuid,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<Delivery>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2 \
         AND ($3::text IS NULL OR status = $3) ORDER BY created_at DESC LIMIT $4"
    ))
    .bind(tenant)
    .bind(webhook)
    .bind(status)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Sends a delivery again from the start (attempts reset), whatever its state.
pub async fn redeliver(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    webhook: Uuid,
    id: Uuid,
) -> Result<Delivery, CatalogError> {
    sqlx::query_as(&format!(
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), finished_at = NULL \
         WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 RETURNING {DELIVERY_COLUMNS}"
    ))
    .bind(tenant)
    .bind(webhook)
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| CatalogError::not_found("delivery", id))
}
