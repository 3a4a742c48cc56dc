//! Recording settings handlers. Permissions are declared in `routes.rs`;
//! here they are checked against the camera.

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use vms_catalog::version::Versioned;
use vms_catalog::{audit::Outcome, camera, recording, scope};

use super::model::{
    DeletedCamera, MultiRanges, RangesQuery, RecordedRanges, RecordingSettings, RecordingsQuery, by_camera,
};
use crate::extract::StreamPath;
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    list_query,
    state::{Archive, Catalog},
};
use vms_catalog::access::Permission;

const VIEW: Permission = Permission::CameraViewArchive;
const MANAGE: Permission = Permission::CameraManage;

/// Returns a camera's recording settings (needs `camera.view_archive` on it).
#[utoipa::path(get, operation_id = "getRecordingSettings", path = "/api/cameras/{id}/recording", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = RecordingSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_recording(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<RecordingSettings>>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::RecordingSettings(id)).await?;
    let settings = recording::settings(&mut *tx, id).await?;
    Ok(etag::tagged(version, Json(settings.into())))
}

/// Sets a camera's recording settings (needs `camera.manage` on it).
#[utoipa::path(put, operation_id = "setRecordingSettings", path = "/api/cameras/{id}/recording", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id")), request_body = RecordingSettings,
    responses((status = 200, body = RecordingSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn set_recording(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<RecordingSettings>,
) -> Result<Tagged<Json<RecordingSettings>>, ApiError> {
    let settings = body.validate()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(MANAGE, found.site_id, found.id)?;
    if_match.check(&mut tx, user.tenant_id, Versioned::RecordingSettings(id)).await?;
    recording::set_settings(&mut *tx, user.tenant_id, id, &settings).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::RecordingSettings(id)).await?;
    crate::commit(tx).await?;
    let retention = settings.retention_days.map_or("none".to_owned(), |d| d.to_string());
    let entry = audit::by(&user, &ip, "camera.recording_settings", Outcome::Success)
        .target("camera", id)
        .detail("mode", settings.mode.as_str())
        .detail("retention_days", retention);
    catalog.audit.record(entry).await;
    Ok(etag::tagged(version, Json(settings.into())))
}

/// Lists what a camera stream has recorded between `start` and `end`: the
/// stretches with video, oldest first, so the gaps show (needs
/// `camera.view_archive` on the camera). Pages hold `limit` stretches (1 to
/// 500, 100 by default); `next_cursor` passed as `cursor` gives the next.
#[utoipa::path(get, operation_id = "listRecordings", path = "/api/cameras/{id}/streams/{role}/recordings", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        RecordingsQuery),
    responses((status = 200, body = RecordedRanges), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_recordings(
    State(catalog): State<Catalog>,
    user: AuthUser,
    StreamPath { camera: id, role }: StreamPath,
    query: Result<Query<RecordingsQuery>, QueryRejection>,
) -> Result<Json<RecordedRanges>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // Who may look comes before what they asked: another tenant learns nothing.
    // A deleted camera's footage is listed until retention removes it.
    let found = camera::for_archive(&mut *tx, user.tenant_id, id).await?;
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let (start, end) = query.window()?;
    let limit = list_query::page_size("limit", query.limit)?;
    let after = match &query.cursor {
        Some(text) => match list_query::time_cursor("cursor", text)? {
            (at, camera) if camera == id => Some(at),
            _ => return Err(ApiError::invalid("cursor", "is another camera's")),
        },
        None => None,
    };
    let stretches =
        recording::stretches_after(&mut *tx, &[id], role.as_str(), start, end, after, Some(limit + 1)).await?;
    let (stretches, next_cursor) = list_query::page(stretches, limit, |s| list_query::encode_token(s.start_time, id));
    let ranges = by_camera(&[id], stretches).pop().map(|c| c.ranges).unwrap_or_default();
    Ok(Json(RecordedRanges { ranges, next_cursor }))
}

/// Lists what several cameras recorded between `start` and `end` (at most
/// 31 days), for a multi-camera timeline: per camera, the stretches with
/// video, oldest first, in one request (`camera_id` repeats, 1 to 64
/// cameras; `stream` is `main` or `sub`, `main` by default). Needs
/// `camera.view_archive` on every camera named (403 naming none of them
/// otherwise); an unknown camera is 404.
#[utoipa::path(get, operation_id = "listRecordedRanges", path = "/api/recordings/ranges", tag = "playback",
    params(("camera_id" = Vec<uuid::Uuid>, Query, description = "A camera; repeat for each (1 to 64)"),
        ("stream" = Option<String>, Query, description = "`main` (default) or `sub`"),
        ("start" = String, Query, description = "Start, RFC 3339"),
        ("end" = String, Query, description = "End, RFC 3339; after `start`, at most 31 days later")),
    responses((status = 200, body = MultiRanges), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_ranges(
    State(catalog): State<Catalog>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<MultiRanges>, ApiError> {
    let query = RangesQuery::parse(uri.query())?;
    let (start, end) = query.window.window()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    for &id in &query.cameras {
        let found = camera::for_archive(&mut *tx, user.tenant_id, id).await?;
        user.require_on_camera(VIEW, found.site_id, found.id)?;
    }
    let stretches = recording::stretches(&mut *tx, &query.cameras, query.stream.as_str(), start, end).await?;
    Ok(Json(MultiRanges { cameras: by_camera(&query.cameras, stretches) }))
}

/// The moment of a thumbnail, and its size.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ThumbnailQuery {
    /// The moment, RFC 3339: the picture is the keyframe at or before it.
    pub at: String,
    /// Most pixels wide (32 to 1280, default 320); the aspect is kept.
    pub width: Option<u32>,
}

/// A small JPEG of a camera stream's recorded picture at `at` (the keyframe
/// at or before it), for a timeline's hover (needs `camera.view_archive` on
/// the camera); 404 where nothing is recorded at `at`. The
/// `x-picture-time` header says when the picture was taken.
#[utoipa::path(get, operation_id = "getThumbnail", path = "/api/cameras/{id}/streams/{role}/thumbnail.jpg", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        ThumbnailQuery),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn thumbnail(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    StreamPath { camera: id, role }: StreamPath,
    query: Result<Query<ThumbnailQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::for_archive(&mut *tx, user.tenant_id, id).await?;
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let at = chrono::DateTime::parse_from_rfc3339(&query.at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| ApiError::invalid("at", "must be an RFC 3339 time, such as 2026-11-21T18:45:00Z"))?;
    let width = query.width.unwrap_or(320);
    if !(32..=1280).contains(&width) {
        return Err(ApiError::invalid("width", "must be between 32 and 1280"));
    }
    let just_after = at + chrono::TimeDelta::milliseconds(1);
    let nodes = recording::nodes_in_window(&mut *tx, id, role.as_str(), at, just_after).await?;
    drop(tx);
    let Some(node) = nodes.first() else {
        return Err(ApiError::new(
            vms_base::ErrorCode::NotFound,
            format!("nothing is recorded at {}", at.to_rfc3339()),
        ));
    };
    let path = format!(
        "/archive/{id}/{role}/thumbnail.jpg?tenant={}&at={}&width={width}",
        user.tenant_id,
        crate::archive::query_time(at)
    );
    crate::archive::Call::get(node.as_deref(), path).send(&archive).await
}

/// Lists the deleted cameras whose footage is kept (until retention
/// removes it), for the ones the caller may view the archive of (needs
/// `camera.view_archive` on each; others are left out). Their footage is
/// played, listed and exported by their id as before.
#[utoipa::path(get, operation_id = "listDeletedCameras", path = "/api/cameras/deleted", tag = "cameras",
    responses((status = 200, body = Vec<DeletedCamera>), (status = 403, body = ErrorBody)))]
pub async fn list_deleted(
    State(catalog): State<Catalog>,
    user: AuthUser,
) -> Result<Json<Vec<DeletedCamera>>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let deleted = camera::deleted_with_footage(&mut *tx, user.tenant_id).await?;
    Ok(Json(
        deleted
            .into_iter()
            .filter(|c| user.require_on_camera(VIEW, c.site_id, c.id).is_ok())
            .map(|c| DeletedCamera { id: c.id, site_id: c.site_id, name: c.name, deleted_at: c.deleted_at })
            .collect(),
    ))
}
