//! Tenant handlers: super-admins only (declared in `routes.rs`), working
//! across tenants explicitly.

use axum::{Json, extract::State, http::StatusCode};
use vms_catalog::{Scope, audit::Outcome, scope, tenant, user};

use super::model::{CreateTenant, TenantList, TenantView, UpdateTenant};
use crate::{
    audit,
    auth::{
        AuthUser,
        handler::{check_policy, hash_password},
    },
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    state::{AuthState, Catalog},
    user_api::model::username,
    validate,
};

/// Lists every tenant.
#[utoipa::path(get, operation_id = "listTenants", path = "/api/tenants", tag = "tenants",
    responses((status = 200, body = TenantList), (status = 403, body = ErrorBody)))]
pub async fn list_tenants(State(catalog): State<Catalog>, caller: AuthUser) -> Result<Json<TenantList>, ApiError> {
    caller.require_super_admin()?;
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let items = tenant::list(&mut *tx).await?.into_iter().map(|t| TenantView::new(t, None)).collect();
    Ok(Json(TenantList { items }))
}

/// Checks a camera quota against the licence in force (the free tier's
/// limit when none is) and converts it for storage.
async fn checked_quota(catalog: &Catalog, quota: u32) -> Result<i32, ApiError> {
    let max = catalog.licensing.entitlement().await.max_cameras;
    if quota > max {
        return Err(ApiError::invalid("camera_quota", format!("must be at most the licence's {max} cameras")));
    }
    i32::try_from(quota).map_err(|_| ApiError::invalid("camera_quota", "is too large"))
}

/// Creates a tenant, optionally with its first administrator and a camera quota.
#[utoipa::path(post, operation_id = "createTenant", path = "/api/tenants", tag = "tenants", request_body = CreateTenant,
    responses((status = 201, body = TenantView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn create_tenant(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
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
            Some((login, hash_password(&auth, a.password).await?))
        }
        None => None,
    };
    let quota = match body.camera_quota {
        Some(q) => Some(checked_quota(&catalog, q).await?),
        None => None,
    };
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let mut created = tenant::create(&mut *tx, &name).await?;
    if quota.is_some() {
        created = tenant::set_camera_quota(&mut *tx, created.id, quota).await?;
    }
    let admin_id = match admin {
        Some((login, hash)) => Some(user::create(&mut tx, created.id, &login, &hash, &["admin"]).await?),
        None => None,
    };
    crate::commit(tx).await?;
    catalog
        .audit
        .record(
            audit::by(&caller, &ip, "tenant.create", Outcome::Success)
                .target("tenant", created.id)
                .detail("with_admin", admin_id.is_some())
                .detail("camera_quota", created.camera_quota),
        )
        .await;
    tracing::info!(tenant_id = %created.id, by = %caller.user_id, "tenant created");
    Ok((StatusCode::CREATED, Json(TenantView::new(created, admin_id))))
}

/// Renames a tenant and sets or removes its camera quota.
#[utoipa::path(patch, operation_id = "updateTenant", path = "/api/tenants/{id}", tag = "tenants", request_body = UpdateTenant,
    params(("id" = uuid::Uuid, Path, description = "Tenant id")),
    responses((status = 200, body = TenantView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_tenant(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<UpdateTenant>,
) -> Result<Json<TenantView>, ApiError> {
    caller.require_super_admin()?;
    let name = body.name.as_deref().map(|n| validate::name("name", n, 200)).transpose()?;
    let quota = match body.camera_quota {
        Some(Some(q)) => Some(Some(checked_quota(&catalog, q).await?)),
        Some(None) => Some(None),
        None => None,
    };
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let mut updated = match &name {
        Some(name) => tenant::rename(&mut *tx, id, name).await?,
        None => tenant::get(&mut *tx, id).await?,
    };
    if let Some(quota) = quota {
        updated = tenant::set_camera_quota(&mut *tx, id, quota).await?;
    }
    if let Some(days) = body.event_retention_days {
        updated = tenant::set_event_retention(&mut *tx, id, days).await?;
    }
    crate::commit(tx).await?;
    let mut event = audit::by(&caller, &ip, "tenant.update", Outcome::Success).target("tenant", id);
    if quota.is_some() {
        event = event.detail("camera_quota", updated.camera_quota);
    }
    if body.event_retention_days.is_some() {
        event = event.detail("event_retention_days", updated.event_retention_days);
    }
    catalog.audit.record(event).await;
    Ok(Json(TenantView::new(updated, None)))
}

/// Deletes a tenant that no longer has users, sites or cameras.
#[utoipa::path(delete, operation_id = "deleteTenant", path = "/api/tenants/{id}", tag = "tenants",
    params(("id" = uuid::Uuid, Path, description = "Tenant id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "not empty, or the caller's own tenant")))]
pub async fn delete_tenant(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<axum::http::StatusCode, ApiError> {
    caller.require_super_admin()?;
    if id == caller.home_tenant_id {
        return Err(ApiError::new(vms_base::ErrorCode::FailedPrecondition, "you cannot delete your own tenant"));
    }
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    tenant::delete_empty(&mut tx, id).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&caller, &ip, "tenant.delete", Outcome::Success).target("tenant", id)).await;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
