//! Camera handlers. Permissions are declared in `routes.rs`; here they are
//! checked against the camera and its site.

use std::collections::HashMap;

use axum::{Json, extract::State, http::StatusCode};
use uuid::Uuid;
use vms_bus::hot::StreamState;
use vms_catalog::version::Versioned;
use vms_catalog::{
    audit::Outcome,
    camera::{self, Camera},
    scope,
};

use super::{
    model::{CameraList, CameraView, CreateCamera, UpdateCamera},
    quota::check_room_for_camera,
};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    list_query,
    state::{Catalog, Planes},
};
use vms_catalog::access::Permission;

const VIEW: Permission = Permission::CameraViewLive;
const MANAGE: Permission = Permission::CameraManage;

/// Reads live stream state; an unreachable Redis makes every state `unknown`
/// rather than failing the request.
async fn states_of(planes: &Planes, cameras: &[Camera]) -> HashMap<Uuid, StreamState> {
    let ids: Vec<Uuid> = cameras.iter().flat_map(|c| c.streams.iter().map(|s| s.id)).collect();
    match planes.hot.stream_states(&ids).await {
        Ok(states) => states,
        Err(e) => {
            tracing::debug!(error = %format!("{e:#}"), "stream state unavailable");
            HashMap::new()
        }
    }
}

/// A camera with its streams' live state (`unknown` while Redis is away).
pub(crate) async fn view(planes: &Planes, camera: Camera) -> CameraView {
    let states = states_of(planes, std::slice::from_ref(&camera)).await;
    CameraView::new(camera, &states)
}

/// Lists the cameras the caller may watch, with their streams and live
/// state; `site_id` (repeated or comma-separated) keeps those of any of the
/// sites named.
#[utoipa::path(get, operation_id = "listCameras", path = "/api/cameras", tag = "cameras",
    params(("site_id" = Option<Vec<uuid::Uuid>>, Query, description = "Only cameras of these sites")),
    responses((status = 200, body = CameraList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_cameras(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<CameraList>, ApiError> {
    let mut sites = Vec::new();
    for (key, value) in list_query::pairs(uri.query()) {
        match key.as_str() {
            "site_id" => list_query::push_ids(&mut sites, &key, &value)?,
            other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
        }
    }
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let one_site = if let [site] = sites[..] { Some(site) } else { None };
    let cameras: Vec<Camera> = camera::list(&mut tx, user.tenant_id, one_site)
        .await?
        .into_iter()
        .filter(|c| sites.is_empty() || sites.contains(&c.site_id))
        .filter(|c| user.access.on_camera(VIEW, c.site_id, c.id))
        .collect();
    drop(tx);
    let states = states_of(&planes, &cameras).await;
    Ok(Json(CameraList { items: cameras.into_iter().map(|c| CameraView::new(c, &states)).collect() }))
}

/// Refuses stream URLs on addresses the installation does not connect to
/// (loopback unless allowed, link-local, its own services: see
/// [`vms_config::devices`]). Host names are checked again by the media plane
/// on what they resolve to.
pub(crate) fn check_addresses(catalog: &Catalog, streams: &[vms_catalog::camera::StreamSpec]) -> Result<(), ApiError> {
    for (i, stream) in streams.iter().enumerate() {
        let Ok(url) = url::Url::parse(&stream.url) else { continue };
        let port = url.port().unwrap_or(if url.scheme() == "rtsps" { 322 } else { 554 });
        if let Some(host) = url.host_str()
            && let Err(refusal) = catalog.device_policy.check_host(host, port)
        {
            return Err(ApiError::invalid(&format!("streams[{i}].url"), refusal));
        }
    }
    Ok(())
}

/// Adds a camera with its streams (needs `camera.manage` on its site).
#[utoipa::path(post, operation_id = "createCamera", path = "/api/cameras", tag = "cameras", request_body = CreateCamera,
    responses((status = 201, body = CameraView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_camera(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateCamera>,
) -> Result<(StatusCode, Json<CameraView>), ApiError> {
    let new = body.validate()?;
    check_addresses(&catalog, &new.streams)?;
    user.require_on_site(MANAGE, new.site_id)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    check_room_for_camera(&catalog, &user, &mut tx).await?;
    let created = camera::create(&mut tx, &catalog.credential_key, user.tenant_id, &new).await?;
    crate::commit(tx).await?;
    catalog
        .audit
        .record(
            audit::by(&user, &ip, "camera.create", Outcome::Success)
                .target("camera", created.id)
                .detail("name", &created.name),
        )
        .await;
    tracing::info!(camera_id = %created.id, user_id = %user.user_id, "camera created");
    Ok((StatusCode::CREATED, Json(view(&planes, created).await)))
}

/// Returns one camera.
#[utoipa::path(get, operation_id = "getCamera", path = "/api/cameras/{id}", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = CameraView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_camera(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<CameraView>>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Camera(id)).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    drop(tx);
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    Ok(etag::tagged(version, Json(view(&planes, found).await)))
}

/// Changes a camera (needs `camera.manage` on it, and on the new site when it moves).
#[utoipa::path(patch, operation_id = "updateCamera", path = "/api/cameras/{id}", tag = "cameras",
    request_body = UpdateCamera, params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = CameraView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_camera(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateCamera>,
) -> Result<Tagged<Json<CameraView>>, ApiError> {
    let change = body.validate()?;
    check_addresses(&catalog, change.streams.as_deref().unwrap_or_default())?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let current = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(MANAGE, current.site_id, id)?;
    if let Some(site) = change.site_id {
        user.require_on_site(MANAGE, site)?;
    }
    if_match.check(&mut tx, user.tenant_id, Versioned::Camera(id)).await?;
    let updated = camera::update(&mut tx, &catalog.credential_key, user.tenant_id, id, &change).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Camera(id)).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "camera.update", Outcome::Success).target("camera", id)).await;
    tracing::info!(camera_id = %id, user_id = %user.user_id, "camera updated");
    Ok(etag::tagged(version, Json(view(&planes, updated).await)))
}

/// Deletes a camera and its streams.
#[utoipa::path(delete, operation_id = "deleteCamera", path = "/api/cameras/{id}", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody)))]
pub async fn delete_camera(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let current = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(MANAGE, current.site_id, id)?;
    camera::delete(&mut *tx, user.tenant_id, id).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "camera.delete", Outcome::Success).target("camera", id)).await;
    tracing::info!(camera_id = %id, user_id = %user.user_id, "camera deleted");
    Ok(StatusCode::NO_CONTENT)
}
