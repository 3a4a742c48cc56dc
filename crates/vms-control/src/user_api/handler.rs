//! User handlers (`user.manage`, declared in `routes.rs`).
//!
//! Rules: nobody disables, demotes or deletes themselves; the tenant's last
//! administrator (an enabled user holding `user.manage` tenant-wide) cannot be
//! disabled, demoted or deleted; nobody grants a role carrying a permission
//! they do not hold tenant-wide themselves; and nobody resets, changes or
//! deletes an account holding more than they do (see [`super::reach`]).

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{
    Scope, access::GrantScope, audit::Outcome, password_reset, refresh_token, role, scope, user, version::Versioned,
};

use super::{
    model::{CreateUser, PasswordResetView, UpdateUser, UserList, UserView, grants, username},
    reach::check_within_reach,
};
use crate::{
    audit,
    auth::{
        AuthUser,
        handler::{check_policy, hash_password},
        tokens::{new_refresh_token, refresh_token_hash},
    },
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    list_query,
    state::{AuthState, Catalog},
};
use vms_catalog::access::Permission;

const MANAGE: Permission = Permission::UserManage;

fn conflict(message: &str) -> ApiError {
    ApiError::new(ErrorCode::FailedPrecondition, message)
}

/// Refuses grants of roles carrying permissions the caller lacks tenant-wide.
async fn check_grantable(
    db: &mut PgConnection,
    caller: &AuthUser,
    tenant: Uuid,
    grants: &[(String, GrantScope)],
) -> Result<(), ApiError> {
    if caller.super_admin {
        return Ok(());
    }
    let roles = role::list(&mut *db, tenant).await?;
    for (i, (name, _)) in grants.iter().enumerate() {
        if let Some(r) = roles.iter().find(|r| &r.name == name)
            && let Some(p) =
                r.permissions.iter().find(|p| !p.parse::<Permission>().is_ok_and(|p| caller.access.tenant_wide(p)))
        {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                format!("roles[{i}]: granting `{name}` needs {p}, which you do not hold tenant-wide"),
            ));
        }
    }
    Ok(())
}

async fn ensure_an_admin_remains(db: &mut PgConnection, tenant: Uuid) -> Result<(), ApiError> {
    if user::count_admins(&mut *db, tenant).await? == 0 {
        return Err(conflict("the tenant's last administrator cannot be disabled, demoted or deleted"));
    }
    Ok(())
}

/// Lists the tenant's users by name, `limit` at a time (1 to 500, 100 by
/// default); `next_cursor` passed as `cursor` gives the next page.
#[utoipa::path(get, operation_id = "listUsers", path = "/api/users", tag = "users",
    params(("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (100)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, body = UserList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<UserList>, ApiError> {
    caller.require(MANAGE)?;
    let (mut limit, mut after) = (list_query::DEFAULT_LIMIT, None);
    for (key, value) in list_query::pairs(uri.query()) {
        match key.as_str() {
            "limit" => limit = list_query::limit(&key, &value)?,
            "cursor" => after = Some(list_query::name_cursor(&key, &value)?),
            other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
        }
    }
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let after = after.as_ref().map(|(name, id)| (name.as_str(), *id));
    let users = user::list(&mut tx, caller.tenant_id, after, limit + 1).await?;
    let (users, next_cursor) = list_query::page(users, limit, |(u, key)| list_query::encode_name(key, u.id));
    Ok(Json(UserList { items: users.into_iter().map(|(u, _)| UserView::from(u)).collect(), next_cursor }))
}

/// Creates a user.
#[utoipa::path(post, operation_id = "createUser", path = "/api/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = UserView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    caller: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    caller.require(MANAGE)?;
    let name = username(&body.username)?;
    check_policy("password", &body.password)?;
    let display_name = crate::validate::text("display_name", &body.display_name, 200)?;
    let tenant = body.tenant_id.unwrap_or(caller.tenant_id);
    if tenant != caller.tenant_id && !caller.super_admin {
        return Err(ApiError::forbidden("super-admin"));
    }
    let grants = grants(&body.roles)?;
    let hash = hash_password(&auth, body.password).await?;
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(tenant)).await?;
    if tenant != caller.tenant_id {
        vms_catalog::tenant::get(&mut *tx, tenant)
            .await
            .map_err(|_| ApiError::invalid("tenant_id", "no such tenant"))?;
    }
    check_grantable(&mut tx, &caller, tenant, &grants).await?;
    let id = user::create_user(&mut tx, tenant, &name, &display_name, &hash, &grants).await?;
    let created = user::get(&mut tx, tenant, id).await?;
    crate::commit(tx).await?;
    catalog
        .audit
        .record(
            audit::by(&caller, &ip, "user.create", Outcome::Success)
                .target("user", id)
                .detail("roles", grants.iter().map(|(r, s)| format!("{r}@{}", s.kind())).collect::<Vec<_>>()),
        )
        .await;
    tracing::info!(user_id = %id, by = %caller.user_id, "user created");
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Returns one user.
#[utoipa::path(get, operation_id = "getUser", path = "/api/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<UserView>>, ApiError> {
    caller.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    // The version first: a change landing between the reads then shows as
    // newer content under an older tag (refused on save), never the reverse.
    let version = etag::version(&mut tx, caller.tenant_id, Versioned::User(id)).await?;
    let found = user::get(&mut tx, caller.tenant_id, id).await?;
    Ok(etag::tagged(version, Json(found.into())))
}

/// Changes a user's name, status or grants.
#[utoipa::path(patch, operation_id = "updateUser", path = "/api/users/{id}", tag = "users", request_body = UpdateUser,
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "the user holds more than the caller"),
              (status = 409, body = ErrorBody, description = "self-demotion or last administrator")))]
pub async fn update_user(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateUser>,
) -> Result<Tagged<Json<UserView>>, ApiError> {
    caller.require(MANAGE)?;
    let display_name = body.display_name.map(|d| crate::validate::text("display_name", &d, 200)).transpose()?;
    let new_grants = body.roles.as_deref().map(grants).transpose()?;
    let yourself = id == caller.user_id;
    if yourself && body.disabled == Some(true) {
        return Err(conflict("you cannot disable yourself"));
    }
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    user::lock_tenant_users(&mut *tx, caller.tenant_id).await?;
    let target = user::get(&mut tx, caller.tenant_id, id).await?;
    check_within_reach(&mut tx, &caller, &target).await?;
    if_match.check(&mut tx, caller.tenant_id, Versioned::User(id)).await?;
    user::update(&mut tx, caller.tenant_id, id, display_name.as_deref(), body.disabled).await?;
    if let Some(g) = &new_grants {
        check_grantable(&mut tx, &caller, caller.tenant_id, g).await?;
        user::set_grants(&mut tx, caller.tenant_id, id, g).await?;
        if yourself && !user::access(&mut *tx, id).await?.tenant_wide(MANAGE) {
            return Err(conflict("you cannot demote yourself"));
        }
    }
    ensure_an_admin_remains(&mut tx, caller.tenant_id).await?;
    // Disabling ends the user's sessions; so does changing their grants, since
    // access tokens carry the grants they were issued with.
    let revoke = body.disabled == Some(true) || new_grants.is_some();
    let sessions = if revoke { refresh_token::revoke_user(&mut *tx, id).await? } else { Vec::new() };
    let updated = user::get(&mut tx, caller.tenant_id, id).await?;
    let version = etag::version(&mut tx, caller.tenant_id, Versioned::User(id)).await?;
    crate::commit(tx).await?;
    crate::auth::revoke_sessions(&auth, &sessions).await;
    if revoke {
        crate::auth::revoke_user_tickets(&auth, &[id]).await;
    }
    catalog
        .audit
        .record(
            audit::by(&caller, &ip, "user.update", Outcome::Success)
                .target("user", id)
                .detail("disabled", body.disabled)
                .detail("roles_changed", new_grants.is_some()),
        )
        .await;
    tracing::info!(user_id = %id, by = %caller.user_id, "user updated");
    Ok(etag::tagged(version, Json(updated.into())))
}

/// Deletes a user.
#[utoipa::path(delete, operation_id = "deleteUser", path = "/api/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "the user holds more than the caller"),
              (status = 409, body = ErrorBody, description = "yourself or the last administrator")))]
pub async fn delete_user(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    caller.require(MANAGE)?;
    if id == caller.user_id {
        return Err(conflict("you cannot delete yourself"));
    }
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    user::lock_tenant_users(&mut *tx, caller.tenant_id).await?;
    let target = user::get(&mut tx, caller.tenant_id, id).await?;
    check_within_reach(&mut tx, &caller, &target).await?;
    let sessions = refresh_token::revoke_user(&mut *tx, id).await?;
    user::delete(&mut *tx, caller.tenant_id, id).await?;
    ensure_an_admin_remains(&mut tx, caller.tenant_id).await?;
    crate::commit(tx).await?;
    crate::auth::revoke_sessions(&auth, &sessions).await;
    crate::auth::revoke_user_tickets(&auth, &[id]).await;
    catalog.audit.record(audit::by(&caller, &ip, "user.delete", Outcome::Success).target("user", id)).await;
    tracing::info!(user_id = %id, by = %caller.user_id, "user deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// Issues a one-time password reset token for a user, valid 24 hours.
#[utoipa::path(post, operation_id = "issuePasswordReset", path = "/api/users/{id}/password-reset", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 201, body = PasswordResetView), (status = 404, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "the user holds more than the caller")))]
pub async fn issue_password_reset(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<(StatusCode, Json<PasswordResetView>), ApiError> {
    caller.require(MANAGE)?;
    let token = new_refresh_token();
    let expires_at = Utc::now() + chrono::Duration::hours(24);
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let target = user::get(&mut tx, caller.tenant_id, id).await?;
    check_within_reach(&mut tx, &caller, &target).await?;
    password_reset::create(&mut tx, caller.tenant_id, id, &refresh_token_hash(&token), caller.user_id, expires_at)
        .await?;
    crate::commit(tx).await?;
    catalog
        .audit
        .record(audit::by(&caller, &ip, "user.password_reset_issued", Outcome::Success).target("user", id))
        .await;
    tracing::info!(user_id = %id, by = %caller.user_id, "password reset token issued");
    Ok((StatusCode::CREATED, Json(PasswordResetView { token, expires_at })))
}
