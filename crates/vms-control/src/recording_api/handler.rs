//! Recording settings handlers. Permissions are declared in `routes.rs`;
//! here they are checked against the camera.

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use vms_catalog::{audit::Outcome, camera, recording, scope};

use super::model::{MultiRanges, RangeQuery, RangesQuery, RecordedRanges, RecordingSettings, by_camera};
use crate::extract::StreamPath;
use crate::{
    AppState, audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
};
use vms_catalog::access::Permission;

const VIEW: Permission = Permission::CameraViewArchive;
const MANAGE: Permission = Permission::CameraManage;

/// Returns a camera's recording settings (needs `camera.view_archive` on it).
#[utoipa::path(get, path = "/api/cameras/{id}/recording", tag = "cameras", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = RecordingSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_recording(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<RecordingSettings>, ApiError> {
    let mut tx = scope::begin(&state.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    Ok(Json(recording::settings(&mut *tx, id).await?.into()))
}

/// Sets a camera's recording settings (needs `camera.manage` on it).
#[utoipa::path(put, path = "/api/cameras/{id}/recording", tag = "cameras", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Camera id")), request_body = RecordingSettings,
    responses((status = 200, body = RecordingSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn set_recording(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<RecordingSettings>,
) -> Result<Json<RecordingSettings>, ApiError> {
    let settings = body.validate()?;
    let mut tx = scope::begin(&state.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(MANAGE, found.site_id, found.id)?;
    recording::set_settings(&mut *tx, user.tenant_id, id, &settings).await?;
    crate::commit(tx).await?;
    let retention = settings.retention_days.map_or("none".to_owned(), |d| d.to_string());
    let entry = audit::by(&user, &ip, "camera.recording_settings", Outcome::Success)
        .target("camera", id)
        .detail("mode", settings.mode.as_str())
        .detail("retention_days", retention);
    state.audit.record(entry).await;
    Ok(Json(settings.into()))
}

/// Lists what a camera stream has recorded between `start` and `end`: the
/// stretches with video, oldest first, so the gaps show (needs
/// `camera.view_archive` on the camera).
#[utoipa::path(get, path = "/api/cameras/{id}/streams/{role}/recordings", tag = "cameras", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        RangeQuery),
    responses((status = 200, body = RecordedRanges), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_recordings(
    State(state): State<AppState>,
    user: AuthUser,
    StreamPath { camera: id, role }: StreamPath,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<RecordedRanges>, ApiError> {
    let mut tx = scope::begin(&state.db, user.scope()).await?;
    // Who may look comes before what they asked: another tenant learns nothing.
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let (start, end) = query.window()?;
    let stretches = recording::stretches(&mut *tx, &[id], role.as_str(), start, end).await?;
    let ranges = by_camera(&[id], stretches).pop().map(|c| c.ranges).unwrap_or_default();
    Ok(Json(RecordedRanges { ranges }))
}

/// Lists what several cameras recorded between `start` and `end` (at most
/// 31 days), for a multi-camera timeline: per camera, the stretches with
/// video, oldest first, in one request (`camera_id` repeats, 1 to 64
/// cameras; `stream` is `main` or `sub`, `main` by default). Needs
/// `camera.view_archive` on every camera named (403 naming none of them
/// otherwise); an unknown camera is 404.
#[utoipa::path(get, path = "/api/recordings/ranges", tag = "cameras", security(("bearer" = [])),
    params(("camera_id" = Vec<uuid::Uuid>, Query, description = "A camera; repeat for each (1 to 64)"),
        ("stream" = Option<String>, Query, description = "`main` (default) or `sub`"),
        ("start" = String, Query, description = "Start, RFC 3339"),
        ("end" = String, Query, description = "End, RFC 3339; after `start`, at most 31 days later")),
    responses((status = 200, body = MultiRanges), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_ranges(
    State(state): State<AppState>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<MultiRanges>, ApiError> {
    let query = RangesQuery::parse(uri.query())?;
    let (start, end) = query.window.window()?;
    let mut tx = scope::begin(&state.db, user.scope()).await?;
    for &id in &query.cameras {
        let found = camera::get(&mut tx, user.tenant_id, id).await?;
        user.require_on_camera(VIEW, found.site_id, found.id)?;
    }
    let stretches = recording::stretches(&mut *tx, &query.cameras, query.stream.as_str(), start, end).await?;
    Ok(Json(MultiRanges { cameras: by_camera(&query.cameras, stretches) }))
}
