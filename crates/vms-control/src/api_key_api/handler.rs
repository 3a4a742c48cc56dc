//! API key handlers (`apikey.manage`, declared in `routes.rs`). Everyone sees
//! and revokes their own keys; holders of `user.manage` see and revoke all of
//! the tenant's. An API key cannot create keys.

use axum::{Json, extract::State, http::StatusCode};
use vms_base::ErrorCode;
use vms_catalog::{
    access::is_permission,
    api_key::{self, NewApiKey},
    audit::Outcome,
    scope,
};

use super::model::{ApiKeyList, ApiKeyView, CreateApiKey, CreatedApiKey};
use crate::{
    audit,
    auth::{
        AuthUser,
        tokens::{new_api_key, refresh_token_hash},
    },
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
    validate,
};
use vms_catalog::access::Permission;

/// Lists the caller's keys (all of the tenant's for user managers).
#[utoipa::path(get, operation_id = "listApiKeys", path = "/api/api-keys", tag = "api-keys",
    responses((status = 200, body = ApiKeyList)))]
pub async fn list_api_keys(State(catalog): State<Catalog>, caller: AuthUser) -> Result<Json<ApiKeyList>, ApiError> {
    let only = (!caller.access.tenant_wide(Permission::UserManage)).then_some(caller.user_id);
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let keys = api_key::list(&mut *tx, caller.tenant_id, only).await?;
    Ok(Json(ApiKeyList { items: keys.into_iter().map(ApiKeyView::from).collect() }))
}

/// Creates a key carrying some of the caller's permissions; the key is shown once.
#[utoipa::path(post, operation_id = "createApiKey", path = "/api/api-keys", tag = "api-keys", request_body = CreateApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_api_key(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateApiKey>,
) -> Result<(StatusCode, Json<CreatedApiKey>), ApiError> {
    if caller.api_key.is_some() {
        return Err(ApiError::new(ErrorCode::PermissionDenied, "an API key cannot create API keys"));
    }
    // A key belongs to its owner, and so to the owner's tenant: a super-admin
    // acting in another tenant has no account there to own it.
    if caller.tenant_id != caller.home_tenant_id {
        return Err(ApiError::new(
            ErrorCode::FailedPrecondition,
            "an API key belongs to its owner's tenant: create it without acting in another tenant",
        ));
    }
    let name = validate::name("name", &body.name, 200)?;
    let permissions = validate::permissions(&body.permissions)?;
    if permissions.is_empty() {
        return Err(ApiError::invalid("permissions", "name at least one permission"));
    }
    for (i, p) in permissions.iter().enumerate() {
        if !is_permission(p) {
            return Err(ApiError::invalid(&format!("permissions[{i}]"), format!("unknown permission `{p}`")));
        }
        if !p.parse::<Permission>().is_ok_and(|p| caller.access.anywhere(p)) {
            return Err(ApiError::new(ErrorCode::PermissionDenied, format!("permissions[{i}]: you do not hold {p}")));
        }
    }
    if body.expires_at.is_some_and(|t| t <= catalog.clock.now()) {
        return Err(ApiError::invalid("expires_at", "must be in the future"));
    }
    let (key, prefix) = new_api_key();
    let hash = refresh_token_hash(&key);
    let new = NewApiKey {
        name: &name,
        prefix: &prefix,
        key_hash: &hash,
        permissions: &permissions,
        expires_at: body.expires_at,
    };
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let created = api_key::create(&mut *tx, caller.tenant_id, caller.user_id, &new).await?;
    crate::commit(tx).await?;
    let entry = audit::by(&caller, &ip, "apikey.create", Outcome::Success)
        .target("api_key", created.id)
        .detail("permissions", &created.permissions);
    catalog.audit.record(entry).await;
    Ok((StatusCode::CREATED, Json(CreatedApiKey { key, info: created.into() })))
}

/// Revokes a key at once.
#[utoipa::path(delete, operation_id = "revokeApiKey", path = "/api/api-keys/{id}", tag = "api-keys",
    params(("id" = uuid::Uuid, Path, description = "API key id")),
    responses((status = 204, description = "revoked"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_api_key(
    State(catalog): State<Catalog>,
    caller: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, caller.scope()).await?;
    let key = api_key::get(&mut *tx, caller.tenant_id, id).await?;
    if key.user_id != caller.user_id && !caller.access.tenant_wide(Permission::UserManage) {
        return Err(ApiError::forbidden(Permission::UserManage));
    }
    api_key::revoke(&mut *tx, caller.tenant_id, id).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&caller, &ip, "apikey.revoke", Outcome::Success).target("api_key", id)).await;
    Ok(StatusCode::NO_CONTENT)
}
