//! Layout handlers: every authenticated user keeps their own layouts; no
//! one sees another's. A layout names cameras but grants nothing: each tile
//! still needs a live ticket for its camera.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use vms_catalog::{Scope, layout, scope};

use super::model::{LayoutList, LayoutView, SaveLayout, check_name};
use crate::{
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::ApiJson,
    state::Catalog,
};

/// Lists the caller's saved layouts.
#[utoipa::path(get, operation_id = "listLayouts", path = "/api/layouts", tag = "layouts",
    responses((status = 200, body = LayoutList), (status = 401, body = ErrorBody)))]
pub async fn list_layouts(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<LayoutList>, ApiError> {
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.home_tenant_id)).await?;
    let items = layout::list(&mut *tx, user.user_id).await?;
    Ok(Json(LayoutList { items: items.into_iter().map(Into::into).collect() }))
}

/// Saves (creates or replaces) one of the caller's layouts.
#[utoipa::path(put, operation_id = "saveLayout", path = "/api/layouts/{name}", tag = "layouts",
    params(("name" = String, Path, description = "Layout name (1–64 characters)")), request_body = SaveLayout,
    responses((status = 200, body = LayoutView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn save_layout(
    State(catalog): State<Catalog>,
    user: AuthUser,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<SaveLayout>,
) -> Result<Json<LayoutView>, ApiError> {
    let name = check_name(&name)?;
    body.validate()?;
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.home_tenant_id)).await?;
    let saved = layout::save(&mut *tx, user.home_tenant_id, user.user_id, &name, &body.cells).await?;
    crate::commit(tx).await?;
    Ok(Json(saved.into()))
}

/// Deletes one of the caller's layouts.
#[utoipa::path(delete, operation_id = "deleteLayout", path = "/api/layouts/{name}", tag = "layouts",
    params(("name" = String, Path, description = "Layout name")),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_layout(
    State(catalog): State<Catalog>,
    user: AuthUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.home_tenant_id)).await?;
    let deleted = layout::delete(&mut *tx, user.user_id, name.trim()).await?;
    crate::commit(tx).await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(vms_base::ErrorCode::NotFound, format!("no layout named `{}`", name.trim())))
    }
}
