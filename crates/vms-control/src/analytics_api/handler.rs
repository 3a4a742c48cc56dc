//! Analytics settings handlers. Permissions are declared in `routes.rs`;
//! here they are checked against the camera.

use axum::{Json, extract::State};
use vms_base::analytics::CameraAnalytics;
use vms_catalog::version::Versioned;
use vms_catalog::{access::Permission, analytics, audit::Outcome, camera, scope};

use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
};

/// Returns a camera's analytics settings, the defaults if none were set
/// (needs `camera.view_live` on it: whoever watches it may see its zones).
#[utoipa::path(get, operation_id = "getAnalyticsSettings", path = "/api/cameras/{id}/analytics", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = CameraAnalytics), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_analytics(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<CameraAnalytics>>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(Permission::CameraViewLive, found.site_id, found.id)?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::AnalyticsSettings(id)).await?;
    let settings = analytics::settings(&mut *tx, id).await?;
    Ok(etag::tagged(version, Json(settings)))
}

/// Sets a camera's analytics settings: whether and how fast it is
/// analysed, which objects count, its masks, zones and lines (needs
/// `camera.manage` on it). The whole setting is replaced; 400 names the
/// first field at fault (a polygon that crosses itself, a point off the
/// picture, two shapes of one name, a setting over 96 KiB as JSON). Names
/// and labels are stored trimmed, each label once.
#[utoipa::path(put, operation_id = "setAnalyticsSettings", path = "/api/cameras/{id}/analytics", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id")), request_body = CameraAnalytics,
    responses((status = 200, body = CameraAnalytics), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn set_analytics(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(settings): ApiJson<CameraAnalytics>,
) -> Result<Tagged<Json<CameraAnalytics>>, ApiError> {
    let settings = settings.normalised();
    settings.validate().map_err(|(field, problem)| ApiError::invalid(&field, problem))?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(Permission::CameraManage, found.site_id, found.id)?;
    if_match.check(&mut tx, user.tenant_id, Versioned::AnalyticsSettings(id)).await?;
    analytics::set_settings(&mut *tx, user.tenant_id, id, &settings).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::AnalyticsSettings(id)).await?;
    crate::commit(tx).await?;
    let entry = audit::by(&user, &ip, "camera.analytics_settings", Outcome::Success)
        .target("camera", id)
        .detail("enabled", settings.enabled.to_string())
        .detail("zones", settings.zones.len().to_string())
        .detail("lines", settings.lines.len().to_string())
        .detail("masks", settings.masks.len().to_string());
    catalog.audit.record(entry).await;
    Ok(etag::tagged(version, Json(settings)))
}
