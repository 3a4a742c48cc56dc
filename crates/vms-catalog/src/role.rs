//! Roles: named sets of permissions. Built-in roles are shared and fixed;
//! tenants add their own.

use serde::Serialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId, access::is_permission};

/// A role.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Role {
    /// Id.
    pub id: Uuid,
    /// Owning tenant; `None` for built-in roles.
    pub tenant_id: Option<TenantId>,
    /// Name, unique among the roles a tenant sees.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Granted permissions.
    pub permissions: Vec<String>,
    /// Built-in roles cannot be changed or deleted.
    pub built_in: bool,
}

const COLUMNS: &str = "id, tenant_id, name, description, permissions, built_in";

fn check_permissions(permissions: &[String]) -> Result<(), CatalogError> {
    match permissions.iter().position(|p| !is_permission(p)) {
        Some(i) => {
            Err(CatalogError::invalid(format!("permissions[{i}]"), format!("unknown permission `{}`", permissions[i])))
        }
        None => Ok(()),
    }
}

/// Lists built-in roles and the tenant's own, by name.
pub async fn list(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<Vec<Role>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM roles WHERE tenant_id IS NULL OR tenant_id = $1 ORDER BY built_in DESC, name"
    ))
    .bind(tenant)
    .fetch_all(db)
    .await?)
}

/// Returns one of the tenant's custom roles.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Role, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM roles WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("custom role", id))
}

/// Returns the users holding a role at any scope (whose sessions a change to it must end).
pub async fn holders(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Vec<Uuid>, CatalogError> {
    Ok(sqlx::query_scalar("SELECT DISTINCT user_id FROM user_roles WHERE tenant_id = $1 AND role_id = $2")
        .bind(tenant)
        .bind(id)
        .fetch_all(db)
        .await?)
}

/// Creates a custom role.
pub async fn create(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    name: &str,
    description: &str,
    permissions: &[String],
) -> Result<Role, CatalogError> {
    check_permissions(permissions)?;
    sqlx::query_as(&format!(
        "INSERT INTO roles (id, tenant_id, name, description, permissions) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM roles WHERE tenant_id IS NULL AND name = $3) \
         RETURNING {COLUMNS}"
    ))
    .bind(Uuid::new_v4())
    .bind(tenant)
    .bind(name)
    .bind(description)
    .bind(permissions)
    .fetch_optional(db)
    .await
    .map_err(|e| match CatalogError::from(e) {
        e if e.is_unique_violation() => CatalogError::AlreadyExists(format!("role `{name}` already exists")),
        e => e,
    })?
    .ok_or_else(|| CatalogError::AlreadyExists(format!("`{name}` is a built-in role")))
}

/// Changes a custom role.
pub async fn update(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    id: Uuid,
    description: Option<&str>,
    permissions: Option<&[String]>,
) -> Result<Role, CatalogError> {
    if let Some(p) = permissions {
        check_permissions(p)?;
    }
    sqlx::query_as(&format!(
        "UPDATE roles SET description = COALESCE($3, description), permissions = COALESCE($4, permissions) \
         WHERE tenant_id = $1 AND id = $2 RETURNING {COLUMNS}"
    ))
    .bind(tenant)
    .bind(id)
    .bind(description)
    .bind(permissions)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| CatalogError::not_found("custom role", id))
}

/// Deletes a custom role (and every grant of it).
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let result =
        sqlx::query("DELETE FROM roles WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(id).execute(db).await?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("custom role", id));
    }
    Ok(())
}
