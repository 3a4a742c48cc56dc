//! Users and the roles that grant them permissions.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// What authentication needs to know about a user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserAuth {
    /// Id.
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Login name.
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Disabled users cannot log in or refresh.
    pub disabled: bool,
    /// Names of granted roles.
    pub roles: Vec<String>,
    /// Union of the roles' permissions.
    pub permissions: Vec<String>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

const AUTH_SELECT: &str = "SELECT u.id, u.tenant_id, u.username, u.password_hash, u.disabled, u.last_login_at, \
     COALESCE(ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
                    WHERE ur.user_id = u.id ORDER BY r.name), '{}') AS roles, \
     COALESCE(ARRAY(SELECT DISTINCT p FROM user_roles ur JOIN roles r ON r.id = ur.role_id, \
                    unnest(r.permissions) AS p WHERE ur.user_id = u.id ORDER BY p), '{}') AS permissions \
     FROM users u";

/// Finds a user by login name, case-insensitively.
pub async fn find_for_login(db: impl PgExecutor<'_>, username: &str) -> Result<Option<UserAuth>, CatalogError> {
    Ok(sqlx::query_as(&format!("{AUTH_SELECT} WHERE lower(u.username) = lower($1)"))
        .bind(username)
        .fetch_optional(db)
        .await?)
}

/// Returns a user by id.
pub async fn get_auth(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<UserAuth>, CatalogError> {
    Ok(sqlx::query_as(&format!("{AUTH_SELECT} WHERE u.id = $1")).bind(id).fetch_optional(db).await?)
}

/// Records a successful login.
pub async fn record_login(db: impl PgExecutor<'_>, id: Uuid) -> Result<(), CatalogError> {
    sqlx::query("UPDATE users SET last_login_at = now() WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

/// Counts all users of all tenants.
pub async fn count_all(db: impl PgExecutor<'_>) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(db).await?)
}

/// Creates a user with the named roles (built-in or of the tenant), given an Argon2id hash.
pub async fn create(
    db: &mut sqlx::PgConnection,
    tenant: TenantId,
    username: &str,
    password_hash: &str,
    roles: &[&str],
) -> Result<Uuid, CatalogError> {
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, tenant_id, username, password_hash) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(tenant)
        .bind(username)
        .bind(password_hash)
        .execute(&mut *db)
        .await
        .map_err(|e| match CatalogError::from(e) {
            e if e.is_unique_violation() => CatalogError::AlreadyExists(format!("user `{username}` already exists")),
            e => e,
        })?;
    for role in roles {
        let granted = sqlx::query(
            "INSERT INTO user_roles (tenant_id, user_id, role_id) \
             SELECT $1, $2, id FROM roles WHERE name = $3 AND (tenant_id IS NULL OR tenant_id = $1)",
        )
        .bind(tenant)
        .bind(id)
        .bind(role)
        .execute(&mut *db)
        .await?;
        if granted.rows_affected() == 0 {
            return Err(CatalogError::invalid("roles", format!("no role named `{role}`")));
        }
    }
    Ok(id)
}

/// Replaces a user's password hash; returns false if no such user exists.
pub async fn set_password_hash(
    db: impl PgExecutor<'_>,
    username: &str,
    password_hash: &str,
) -> Result<bool, CatalogError> {
    let result =
        sqlx::query("UPDATE users SET password_hash = $2, updated_at = now() WHERE lower(username) = lower($1)")
            .bind(username)
            .bind(password_hash)
            .execute(db)
            .await?;
    Ok(result.rows_affected() > 0)
}
