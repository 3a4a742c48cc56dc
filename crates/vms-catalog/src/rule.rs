//! Event rules (migration 0020): a tenant's conditions and actions, as the
//! API takes them. Deciding whether one fires is `vms-rules`' job; here
//! they are only kept.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// A rule as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredRule {
    /// Its id.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// Its name, unique in the tenant.
    pub name: String,
    /// Whether it is evaluated.
    pub enabled: bool,
    /// `vms_rules::Conditions` as JSON.
    pub conditions: serde_json::Value,
    /// A list of `vms_rules::Action` as JSON.
    pub actions: serde_json::Value,
    /// Seconds it stays quiet per camera after firing.
    pub cooldown_secs: i32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, tenant_id, name, enabled, conditions, actions, cooldown_secs, created_at, updated_at";

fn named(e: sqlx::Error, name: &str) -> CatalogError {
    match CatalogError::from(e) {
        e if e.is_unique_violation() => CatalogError::AlreadyExists(format!("a rule named `{name}` exists")),
        e => e,
    }
}

/// Stores a new rule or replaces one of `tenant`'s (same id).
pub async fn put(db: impl PgExecutor<'_>, rule: &StoredRule) -> Result<StoredRule, CatalogError> {
    sqlx::query_as(&format!(
        "INSERT INTO rules (id, tenant_id, name, enabled, conditions, actions, cooldown_secs) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, enabled = EXCLUDED.enabled, \
             conditions = EXCLUDED.conditions, actions = EXCLUDED.actions, cooldown_secs = EXCLUDED.cooldown_secs, \
             updated_at = now() \
         WHERE rules.tenant_id = EXCLUDED.tenant_id \
         RETURNING {COLUMNS}"
    ))
    .bind(rule.id)
    .bind(rule.tenant_id)
    .bind(&rule.name)
    .bind(rule.enabled)
    .bind(&rule.conditions)
    .bind(&rule.actions)
    .bind(rule.cooldown_secs)
    .fetch_optional(db)
    .await
    .map_err(|e| named(e, &rule.name))?
    .ok_or_else(|| CatalogError::not_found("rule", rule.id))
}

/// `tenant`'s rules, by name.
pub async fn list(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<Vec<StoredRule>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM rules WHERE tenant_id = $1 ORDER BY name"))
        .bind(tenant)
        .fetch_all(db)
        .await?)
}

/// One of `tenant`'s rules.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<StoredRule, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM rules WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("rule", id))
}

/// Deletes one of `tenant`'s rules.
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let done =
        sqlx::query("DELETE FROM rules WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(id).execute(db).await?;
    if done.rows_affected() == 0 {
        return Err(CatalogError::not_found("rule", id));
    }
    Ok(())
}

/// Every enabled rule of every tenant (run across tenants), for the evaluator.
pub async fn all_enabled(db: impl PgExecutor<'_>) -> Result<Vec<StoredRule>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM rules WHERE enabled ORDER BY tenant_id, name"))
        .fetch_all(db)
        .await?)
}

/// The newest change to any rule (run across tenants), to notice changes cheaply.
pub async fn last_change(db: impl PgExecutor<'_>) -> Result<Option<(DateTime<Utc>, i64)>, CatalogError> {
    Ok(sqlx::query_as("SELECT max(updated_at), count(*) FROM rules HAVING count(*) > 0").fetch_optional(db).await?)
}
