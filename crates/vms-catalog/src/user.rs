//! Users and the roles granted to them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{
    CatalogError, TenantId,
    access::{Access, GrantScope},
};

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
    /// May act in every tenant, explicitly.
    pub super_admin: bool,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

const AUTH_COLUMNS: &str = "id, tenant_id, username, password_hash, disabled, super_admin, last_login_at";

/// Finds a user by login name, case-insensitively (needs a transaction scoped to all tenants).
pub async fn find_for_login(db: impl PgExecutor<'_>, username: &str) -> Result<Option<UserAuth>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {AUTH_COLUMNS} FROM users WHERE lower(username) = lower($1)"))
        .bind(username)
        .fetch_optional(db)
        .await?)
}

/// Returns a user by id.
pub async fn get_auth(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<UserAuth>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {AUTH_COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(db).await?)
}

/// A role granted at a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    /// Role name.
    pub role: String,
    /// Where it applies.
    pub scope: GrantScope,
    /// The role's permissions.
    pub permissions: Vec<String>,
}

#[derive(Clone, sqlx::FromRow)]
struct GrantRow {
    user_id: Uuid,
    role: String,
    scope_kind: String,
    scope_id: Option<Uuid>,
    permissions: Vec<String>,
}

async fn grant_rows(db: impl PgExecutor<'_>, users: &[Uuid]) -> Result<Vec<GrantRow>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT ur.user_id, r.name AS role, ur.scope_kind, ur.scope_id, r.permissions \
         FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
         WHERE ur.user_id = ANY($1) ORDER BY r.name, ur.scope_kind, ur.scope_id",
    )
    .bind(users)
    .fetch_all(db)
    .await?)
}

fn to_grant(row: GrantRow) -> Option<RoleGrant> {
    Some(RoleGrant {
        scope: GrantScope::from_parts(&row.scope_kind, row.scope_id)?,
        role: row.role,
        permissions: row.permissions,
    })
}

/// Returns the roles granted to a user.
pub async fn grants(db: impl PgExecutor<'_>, user: Uuid) -> Result<Vec<RoleGrant>, CatalogError> {
    Ok(grant_rows(db, &[user]).await?.into_iter().filter_map(to_grant).collect())
}

/// Returns what a user may do where.
pub async fn access(db: impl PgExecutor<'_>, user: Uuid) -> Result<Access, CatalogError> {
    let grants = grants(db, user).await?;
    Ok(Access::from_grants(grants.iter().map(|g| (g.scope, g.permissions.as_slice()))))
}

/// Records a successful login.
pub async fn record_login(db: impl PgExecutor<'_>, id: Uuid) -> Result<(), CatalogError> {
    sqlx::query("UPDATE users SET last_login_at = now() WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

/// Counts all users visible to the transaction.
pub async fn count_all(db: impl PgExecutor<'_>) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(db).await?)
}

/// A user as administrators see it.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Login name.
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Whether login is refused.
    pub disabled: bool,
    /// May act in every tenant.
    pub super_admin: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
    /// Granted roles.
    pub grants: Vec<RoleGrant>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    tenant_id: Uuid,
    username: String,
    display_name: String,
    disabled: bool,
    super_admin: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

const USER_COLUMNS: &str =
    "id, tenant_id, username, display_name, disabled, super_admin, created_at, updated_at, last_login_at";

async fn with_grants(db: &mut PgConnection, rows: Vec<UserRow>) -> Result<Vec<User>, CatalogError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let grants = grant_rows(&mut *db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| User {
            grants: grants.iter().filter(|g| g.user_id == r.id).filter_map(|g| to_grant(g.clone())).collect(),
            id: r.id,
            tenant_id: r.tenant_id,
            username: r.username,
            display_name: r.display_name,
            disabled: r.disabled,
            super_admin: r.super_admin,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_login_at: r.last_login_at,
        })
        .collect())
}

/// A user row with the key users are listed by.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: UserRow,
    sort_name: String,
}

/// Lists at most `limit` of the tenant's users by name (case-insensitive),
/// those after `after` (a sort key and id from the previous page). Each user
/// comes with its sort key, the database's lower case of its name, for the
/// next page's `after`.
pub async fn list(
    db: &mut PgConnection,
    tenant: TenantId,
    after: Option<(&str, Uuid)>,
    limit: i64,
) -> Result<Vec<(User, String)>, CatalogError> {
    let rows: Vec<ListedRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, lower(username) AS sort_name FROM users WHERE tenant_id = $1 \
         AND ($2::text IS NULL OR (lower(username), id) > ($2, $3)) ORDER BY lower(username), id LIMIT $4"
    ))
    .bind(tenant)
    .bind(after.map(|(name, _)| name))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    let (rows, keys): (Vec<UserRow>, Vec<String>) = rows.into_iter().map(|r| (r.row, r.sort_name)).unzip();
    Ok(with_grants(db, rows).await?.into_iter().zip(keys).collect())
}

/// Returns one user of the tenant.
pub async fn get(db: &mut PgConnection, tenant: TenantId, id: Uuid) -> Result<User, CatalogError> {
    let row: UserRow = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| CatalogError::not_found("user", id))?;
    Ok(with_grants(db, vec![row]).await?.pop().expect("one row in, one user out"))
}

/// Creates a user with tenant-wide grants of the named roles, given an Argon2id hash.
pub async fn create(
    db: &mut PgConnection,
    tenant: TenantId,
    username: &str,
    password_hash: &str,
    roles: &[&str],
) -> Result<Uuid, CatalogError> {
    let grants: Vec<(String, GrantScope)> = roles.iter().map(|r| (r.to_string(), GrantScope::Tenant)).collect();
    create_user(db, tenant, username, "", password_hash, &grants).await
}

/// Creates a user with the given grants.
pub async fn create_user(
    db: &mut PgConnection,
    tenant: TenantId,
    username: &str,
    display_name: &str,
    password_hash: &str,
    grants: &[(String, GrantScope)],
) -> Result<Uuid, CatalogError> {
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, tenant_id, username, display_name, password_hash) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(tenant)
        .bind(username)
        .bind(display_name)
        .bind(password_hash)
        .execute(&mut *db)
        .await
        .map_err(|e| match CatalogError::from(e) {
            // Names are unique across tenants: say nothing of where, or whose, the name is.
            e if e.is_unique_violation() => CatalogError::AlreadyExists("user name not available".to_owned()),
            e => e,
        })?;
    set_grants(db, tenant, id, grants).await?;
    Ok(id)
}

/// Replaces a user's grants. Roles are looked up among built-in and the tenant's
/// roles; site and camera scopes must name the tenant's own.
pub async fn set_grants(
    db: &mut PgConnection,
    tenant: TenantId,
    user: Uuid,
    grants: &[(String, GrantScope)],
) -> Result<(), CatalogError> {
    sqlx::query("DELETE FROM user_roles WHERE tenant_id = $1 AND user_id = $2")
        .bind(tenant)
        .bind(user)
        .execute(&mut *db)
        .await?;
    for (i, (role, scope)) in grants.iter().enumerate() {
        let role_id: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM roles WHERE name = $1 AND (tenant_id IS NULL OR tenant_id = $2) \
             ORDER BY tenant_id NULLS LAST LIMIT 1",
        )
        .bind(role)
        .bind(tenant)
        .fetch_optional(&mut *db)
        .await?;
        let role_id =
            role_id.ok_or_else(|| CatalogError::invalid(format!("roles[{i}]"), format!("no role named `{role}`")))?;
        let exists = match scope {
            GrantScope::Tenant => true,
            GrantScope::Site(id) => {
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sites WHERE tenant_id = $1 AND id = $2)")
                    .bind(tenant)
                    .bind(id)
                    .fetch_one(&mut *db)
                    .await?
            }
            GrantScope::Camera(id) => {
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cameras WHERE tenant_id = $1 AND id = $2)")
                    .bind(tenant)
                    .bind(id)
                    .fetch_one(&mut *db)
                    .await?
            }
        };
        if !exists {
            return Err(CatalogError::invalid(format!("roles[{i}].scope"), format!("no such {}", scope.kind())));
        }
        sqlx::query(
            "INSERT INTO user_roles (tenant_id, user_id, role_id, scope_kind, scope_id) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(tenant)
        .bind(user)
        .bind(role_id)
        .bind(scope.kind())
        .bind(scope.id())
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// Applies changes to a user.
pub async fn update(
    db: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
    display_name: Option<&str>,
    disabled: Option<bool>,
) -> Result<(), CatalogError> {
    let result = sqlx::query(
        "UPDATE users SET display_name = COALESCE($3, display_name), disabled = COALESCE($4, disabled), \
         updated_at = now() WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant)
    .bind(id)
    .bind(display_name)
    .bind(disabled)
    .execute(&mut *db)
    .await?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("user", id));
    }
    Ok(())
}

/// Deletes a user.
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let result =
        sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(id).execute(db).await?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("user", id));
    }
    Ok(())
}

/// Serialises user management within a tenant for the rest of the transaction,
/// so "never remove the last admin" cannot race.
pub async fn lock_tenant_users(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<(), CatalogError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('vms_users:' || $1::text))").bind(tenant).execute(db).await?;
    Ok(())
}

/// Counts the tenant's enabled users holding `user.manage` tenant-wide.
pub async fn count_admins(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar(
        "SELECT count(DISTINCT u.id) FROM users u JOIN user_roles ur ON ur.user_id = u.id \
         JOIN roles r ON r.id = ur.role_id \
         WHERE u.tenant_id = $1 AND NOT u.disabled AND ur.scope_kind = 'tenant' \
         AND 'user.manage' = ANY(r.permissions)",
    )
    .bind(tenant)
    .fetch_one(db)
    .await?)
}

/// Replaces a user's password hash by id.
pub async fn set_password(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid, hash: &str) -> Result<(), CatalogError> {
    let result =
        sqlx::query("UPDATE users SET password_hash = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(hash)
            .execute(db)
            .await?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("user", id));
    }
    Ok(())
}

/// Replaces a user's password hash by login name; returns false if no such user exists.
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
