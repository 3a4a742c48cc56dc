//! Role handlers (`user.manage`, declared in `routes.rs`). A custom role may
//! carry only permissions its creator holds tenant-wide; only someone holding
//! all of a role's permissions tenant-wide may edit or delete it; and changing
//! a role's permissions or deleting it ends the sessions of everyone holding
//! it, since access tokens carry the permissions they were issued with.

use axum::{Json, extract::State, http::StatusCode};
use sqlx::PgConnection;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{
    audit::Outcome,
    refresh_token,
    role::{self, Role},
    scope,
};

use super::model::{CreateRole, PermissionView, RoleList, RoleView, UpdateRole};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    state::{AuthState, Catalog},
    validate,
};
use vms_catalog::access::Permission;

const MANAGE: Permission = Permission::UserManage;

/// Returns the first of `permissions` the caller lacks tenant-wide, with its index.
fn first_lacking<'a>(caller: &AuthUser, permissions: &'a [String]) -> Option<(usize, &'a String)> {
    if caller.super_admin {
        return None;
    }
    permissions.iter().enumerate().find(|(_, p)| !p.parse::<Permission>().is_ok_and(|p| caller.access.tenant_wide(p)))
}

/// Refuses a role to be given permissions the caller lacks.
fn check_held(caller: &AuthUser, permissions: &[String]) -> Result<(), ApiError> {
    match first_lacking(caller, permissions) {
        Some((i, p)) => Err(ApiError::new(
            ErrorCode::PermissionDenied,
            format!("permissions[{i}]: you do not hold {p} tenant-wide"),
        )),
        None => Ok(()),
    }
}

/// Refuses changes to a role granting what the caller lacks: narrowing or
/// deleting it would take from its holders what the caller may not manage.
fn check_within_reach(caller: &AuthUser, role: &Role) -> Result<(), ApiError> {
    match first_lacking(caller, &role.permissions) {
        Some((_, p)) => Err(ApiError::new(
            ErrorCode::PermissionDenied,
            format!("this role grants {p}, which you do not hold tenant-wide"),
        )),
        None => Ok(()),
    }
}

/// Who loses access when role `id` changes: its holders and their logins.
#[derive(Default)]
struct Revoked {
    holders: Vec<Uuid>,
    sessions: Vec<Uuid>,
}

impl Revoked {
    /// Makes the holders' tokens and stream tickets stop working; call once committed.
    async fn publish(&self, auth: &AuthState) {
        crate::auth::revoke_sessions(auth, &self.sessions).await;
        crate::auth::revoke_user_tickets(auth, &self.holders).await;
    }
}

/// Revokes the logins of everyone holding role `id`; returns what to publish once committed.
async fn revoke_holders(tx: &mut PgConnection, tenant: Uuid, id: Uuid) -> Result<Revoked, ApiError> {
    let holders = role::holders(&mut *tx, tenant, id).await?;
    let sessions = refresh_token::revoke_users(&mut *tx, &holders).await?;
    Ok(Revoked { holders, sessions })
}

/// Lists built-in and custom roles, and every permission.
#[utoipa::path(get, operation_id = "listRoles", path = "/api/roles", tag = "users",
    responses((status = 200, body = RoleList)))]
pub async fn list_roles(State(catalog): State<Catalog>, caller: AuthUser) -> Result<Json<RoleList>, ApiError> {
    caller.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let roles = role::list(&mut *tx, caller.tenant_id).await?;
    Ok(Json(RoleList {
        items: roles.into_iter().map(RoleView::from).collect(),
        permissions: Permission::all()
            .map(|p| PermissionView { name: p.as_str(), description: p.description() })
            .collect(),
    }))
}

/// Creates a custom role.
#[utoipa::path(post, operation_id = "createRole", path = "/api/roles", tag = "users", request_body = CreateRole,
    responses((status = 201, body = RoleView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_role(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateRole>,
) -> Result<(StatusCode, Json<RoleView>), ApiError> {
    caller.require(MANAGE)?;
    let name = validate::name("name", &body.name, 100)?;
    let description = validate::text("description", &body.description, 2000)?;
    let permissions = validate::permissions(&body.permissions)?;
    check_held(&caller, &permissions)?;
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let created = role::create(&mut *tx, caller.tenant_id, &name, &description, &permissions).await?;
    crate::commit(tx).await?;
    catalog
        .audit
        .record(
            audit::by(&caller, &ip, "role.create", Outcome::Success)
                .target("role", created.id)
                .detail("permissions", &created.permissions),
        )
        .await;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Changes a custom role; new permissions end its holders' sessions.
#[utoipa::path(patch, operation_id = "updateRole", path = "/api/roles/{id}", tag = "users", request_body = UpdateRole,
    params(("id" = uuid::Uuid, Path, description = "Role id")),
    responses((status = 200, body = RoleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn update_role(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<UpdateRole>,
) -> Result<Json<RoleView>, ApiError> {
    caller.require(MANAGE)?;
    let description = body.description.map(|d| validate::text("description", &d, 2000)).transpose()?;
    let permissions = body.permissions.as_deref().map(validate::permissions).transpose()?;
    if let Some(p) = &permissions {
        check_held(&caller, p)?;
    }
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    check_within_reach(&caller, &role::get(&mut *tx, caller.tenant_id, id).await?)?;
    let updated = role::update(&mut *tx, caller.tenant_id, id, description.as_deref(), permissions.as_deref()).await?;
    let revoked = match permissions {
        Some(_) => revoke_holders(&mut tx, caller.tenant_id, id).await?,
        None => Revoked::default(),
    };
    // Narrowing the role the last administrators hold would leave nobody to manage the tenant.
    if permissions.is_some() && vms_catalog::user::count_admins(&mut *tx, caller.tenant_id).await? == 0 {
        return Err(ApiError::new(ErrorCode::FailedPrecondition, "this change would leave no administrator"));
    }
    crate::commit(tx).await?;
    revoked.publish(&auth).await;
    catalog.audit.record(audit::by(&caller, &ip, "role.update", Outcome::Success).target("role", id)).await;
    Ok(Json(updated.into()))
}

/// Deletes a custom role and every grant of it, ending its holders' sessions.
#[utoipa::path(delete, operation_id = "deleteRole", path = "/api/roles/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "Role id")),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_role(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    caller.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    check_within_reach(&caller, &role::get(&mut *tx, caller.tenant_id, id).await?)?;
    let revoked = revoke_holders(&mut tx, caller.tenant_id, id).await?;
    role::delete(&mut *tx, caller.tenant_id, id).await?;
    if vms_catalog::user::count_admins(&mut *tx, caller.tenant_id).await? == 0 {
        return Err(ApiError::new(ErrorCode::FailedPrecondition, "deleting this role would leave no administrator"));
    }
    crate::commit(tx).await?;
    revoked.publish(&auth).await;
    catalog.audit.record(audit::by(&caller, &ip, "role.delete", Outcome::Success).target("role", id)).await;
    Ok(StatusCode::NO_CONTENT)
}
