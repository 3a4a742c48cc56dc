//! Tenant handlers: super-admins only (declared in `routes.rs`), working
//! across tenants explicitly.

use axum::{Json, extract::State, http::StatusCode};
use vms_catalog::{Scope, audit::Outcome, scope, tenant, user};

use super::model::{CreateTenant, TenantList, TenantView, UpdateTenant};
use crate::{
    AppState, audit,
    auth::{
        AuthUser,
        handler::{check_policy, hash_password},
    },
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    user_api::model::username,
    validate,
};

/// Lists every tenant.
#[utoipa::path(get, path = "/api/tenants", tag = "tenants", security(("bearer" = [])),
    responses((status = 200, body = TenantList), (status = 403, body = ErrorBody)))]
pub async fn list_tenants(State(state): State<AppState>, caller: AuthUser) -> Result<Json<TenantList>, ApiError> {
    caller.require_super_admin()?;
    let mut tx = scope::begin(&state.db, Scope::AllTenants).await?;
    let items = tenant::list(&mut *tx)
        .await?
        .into_iter()
        .map(|t| TenantView { id: t.id, name: t.name, created_at: t.created_at, admin_id: None })
        .collect();
    Ok(Json(TenantList { items }))
}

/// Creates a tenant, optionally with its first administrator.
#[utoipa::path(post, path = "/api/tenants", tag = "tenants", security(("bearer" = [])), request_body = CreateTenant,
    responses((status = 201, body = TenantView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn create_tenant(
    State(state): State<AppState>,
    caller: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateTenant>,
) -> Result<(StatusCode, Json<TenantView>), ApiError> {
    caller.require_super_admin()?;
    let name = validate::name("name", &body.name, 200)?;
    let admin = match body.admin {
        Some(a) => {
            let login =
                username(&a.username).map_err(|_| ApiError::invalid("admin.username", "is not a valid user name"))?;
            check_policy("admin.password", &a.password)?;
            Some((login, hash_password(&state, a.password).await?))
        }
        None => None,
    };
    let mut tx = scope::begin(&state.db, Scope::AllTenants).await?;
    let created = tenant::create(&mut *tx, &name).await?;
    let admin_id = match admin {
        Some((login, hash)) => Some(user::create(&mut tx, created.id, &login, &hash, &["admin"]).await?),
        None => None,
    };
    crate::commit(tx).await?;
    state
        .audit
        .record(
            audit::by(&caller, &ip, "tenant.create", Outcome::Success)
                .target("tenant", created.id)
                .detail("with_admin", admin_id.is_some()),
        )
        .await;
    tracing::info!(tenant_id = %created.id, by = %caller.user_id, "tenant created");
    Ok((
        StatusCode::CREATED,
        Json(TenantView { id: created.id, name: created.name, created_at: created.created_at, admin_id }),
    ))
}

/// Renames a tenant.
#[utoipa::path(patch, path = "/api/tenants/{id}", tag = "tenants", security(("bearer" = [])), request_body = UpdateTenant,
    params(("id" = uuid::Uuid, Path, description = "Tenant id")),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_tenant(
    State(state): State<AppState>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<UpdateTenant>,
) -> Result<Json<TenantView>, ApiError> {
    caller.require_super_admin()?;
    let name = validate::name("name", &body.name, 200)?;
    let mut tx = scope::begin(&state.db, Scope::AllTenants).await?;
    let renamed = tenant::rename(&mut *tx, id, &name).await?;
    crate::commit(tx).await?;
    state.audit.record(audit::by(&caller, &ip, "tenant.update", Outcome::Success).target("tenant", id)).await;
    Ok(Json(TenantView { id: renamed.id, name: renamed.name, created_at: renamed.created_at, admin_id: None }))
}

/// Deletes a tenant that no longer has users, sites or cameras.
#[utoipa::path(delete, path = "/api/tenants/{id}", tag = "tenants", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Tenant id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "not empty, or the caller's own tenant")))]
pub async fn delete_tenant(
    State(state): State<AppState>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<axum::http::StatusCode, ApiError> {
    caller.require_super_admin()?;
    if id == caller.home_tenant_id {
        return Err(ApiError::new(vms_base::ErrorCode::FailedPrecondition, "you cannot delete your own tenant"));
    }
    let mut tx = scope::begin(&state.db, Scope::AllTenants).await?;
    tenant::delete_empty(&mut tx, id).await?;
    crate::commit(tx).await?;
    state.audit.record(audit::by(&caller, &ip, "tenant.delete", Outcome::Success).target("tenant", id)).await;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
