//! Site handlers. Permissions are declared in `routes.rs`; here they are
//! checked against the site: a grant on a site, or on a camera in it, shows
//! that site.

use axum::{Json, extract::State, http::StatusCode};
use uuid::Uuid;
use vms_catalog::version::Versioned;
use vms_catalog::{audit::Outcome, camera, scope, site};

use super::model::{CreateSite, SiteList, SiteView, UpdateSite};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
};
use vms_catalog::access::Permission;

const VIEW: Permission = Permission::CameraViewLive;
const MANAGE: Permission = Permission::SiteManage;

fn may_view(user: &AuthUser, site: Uuid, cameras: &[(Uuid, Uuid)]) -> bool {
    let of_site: Vec<Uuid> = cameras.iter().filter(|(_, s)| *s == site).map(|(c, _)| *c).collect();
    user.access.within_site(VIEW, site, &of_site)
}

/// Lists the sites the caller may see.
#[utoipa::path(get, operation_id = "listSites", path = "/api/sites", tag = "sites",
    responses((status = 200, body = SiteList), (status = 401, body = ErrorBody)))]
pub async fn list_sites(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<SiteList>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let sites = site::list(&mut *tx, user.tenant_id).await?;
    let cameras = camera::sites_of_cameras(&mut *tx, user.tenant_id).await?;
    let items = sites.into_iter().filter(|s| may_view(&user, s.id, &cameras)).map(SiteView::from).collect();
    Ok(Json(SiteList { items }))
}

/// Creates a site (needs `site.manage` tenant-wide).
#[utoipa::path(post, operation_id = "createSite", path = "/api/sites", tag = "sites", request_body = CreateSite,
    responses((status = 201, body = SiteView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_site(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateSite>,
) -> Result<(StatusCode, Json<SiteView>), ApiError> {
    user.require(MANAGE)?;
    let new = body.validate()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let created = site::create(&mut *tx, user.tenant_id, &new).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "site.create", Outcome::Success).target("site", created.id)).await;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Returns one site.
#[utoipa::path(get, operation_id = "getSite", path = "/api/sites/{id}", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = SiteView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_site(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<SiteView>>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Site(id)).await?;
    let found = site::get(&mut *tx, user.tenant_id, id).await?;
    let cameras = camera::sites_of_cameras(&mut *tx, user.tenant_id).await?;
    if !may_view(&user, id, &cameras) {
        return Err(ApiError::forbidden(VIEW));
    }
    Ok(etag::tagged(version, Json(found.into())))
}

/// Changes a site.
#[utoipa::path(patch, operation_id = "updateSite", path = "/api/sites/{id}", tag = "sites", request_body = UpdateSite,
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 200, body = SiteView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_site(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateSite>,
) -> Result<Tagged<Json<SiteView>>, ApiError> {
    let change = body.validate()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    site::get(&mut *tx, user.tenant_id, id).await?;
    user.require_on_site(MANAGE, id)?;
    if_match.check(&mut tx, user.tenant_id, Versioned::Site(id)).await?;
    let updated = site::update(&mut *tx, user.tenant_id, id, &change).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Site(id)).await?;
    let answer = etag::tagged(version, Json(updated.into()));
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "site.update", Outcome::Success).target("site", id)).await;
    Ok(answer)
}

/// Deletes a site that has no cameras.
#[utoipa::path(delete, operation_id = "deleteSite", path = "/api/sites/{id}", tag = "sites",
    params(("id" = uuid::Uuid, Path, description = "Site id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "the site still has cameras")))]
pub async fn delete_site(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    site::get(&mut *tx, user.tenant_id, id).await?;
    user.require_on_site(MANAGE, id)?;
    site::delete(&mut *tx, user.tenant_id, id).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "site.delete", Outcome::Success).target("site", id)).await;
    Ok(StatusCode::NO_CONTENT)
}
