//! Site handlers. Reading needs `camera.view_live`; changing needs `site.manage`.

use axum::{Json, extract::State, http::StatusCode};
use vms_catalog::site;

use super::model::{CreateSite, SiteList, SiteView, UpdateSite};
use crate::{
    AppState,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, IdPath},
};

/// Lists the caller's sites.
#[utoipa::path(get, path = "/api/sites", tag = "sites", security(("bearer" = [])),
    responses((status = 200, body = SiteList), (status = 401, body = ErrorBody)))]
pub async fn list_sites(State(state): State<AppState>, user: AuthUser) -> Result<Json<SiteList>, ApiError> {
    user.require("camera.view_live")?;
    let sites = site::list(&state.db, user.tenant_id).await?;
    Ok(Json(SiteList { items: sites.into_iter().map(SiteView::from).collect() }))
}

/// Creates a site.
#[utoipa::path(post, path = "/api/sites", tag = "sites", security(("bearer" = [])), request_body = CreateSite,
    responses((status = 201, body = SiteView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_site(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<CreateSite>,
) -> Result<(StatusCode, Json<SiteView>), ApiError> {
    user.require("site.manage")?;
    let created = site::create(&state.db, user.tenant_id, &body.validate()?).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Returns one site.
#[utoipa::path(get, path = "/api/sites/{id}", tag = "sites", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = SiteView), (status = 404, body = ErrorBody)))]
pub async fn get_site(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<SiteView>, ApiError> {
    user.require("camera.view_live")?;
    Ok(Json(site::get(&state.db, user.tenant_id, id).await?.into()))
}

/// Changes a site.
#[utoipa::path(patch, path = "/api/sites/{id}", tag = "sites", security(("bearer" = [])), request_body = UpdateSite,
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = SiteView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_site(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<UpdateSite>,
) -> Result<Json<SiteView>, ApiError> {
    user.require("site.manage")?;
    Ok(Json(site::update(&state.db, user.tenant_id, id, &body.validate()?).await?.into()))
}

/// Deletes a site that has no cameras.
#[utoipa::path(delete, path = "/api/sites/{id}", tag = "sites", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "the site still has cameras")))]
pub async fn delete_site(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    user.require("site.manage")?;
    site::delete(&state.db, user.tenant_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
