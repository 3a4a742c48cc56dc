//! The snapshot handler: checks the caller may watch the camera, takes the
//! picture ([`capture`]) and audits it (`camera.snapshot`), like opening
//! video.

use axum::{
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{access::Permission, audit::Outcome, camera, scope};

use super::capture::capture;
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::ClientIp,
    state::{Catalog, Planes},
};

const VIEW: Permission = Permission::CameraViewLive;

/// Which stream to take the picture from.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SnapshotQuery {
    /// `main` (the default, full resolution) or `sub`.
    pub stream: Option<String>,
}

/// Returns the latest keyframe of a camera stream as a JPEG at the stream's
/// resolution (needs `camera.view_live` on the camera). 503 says why there is
/// no picture (the stream is offline or has no keyframe yet); there is never
/// a blank image.
#[utoipa::path(get, operation_id = "getCameraSnapshot", path = "/api/cameras/{id}/snapshot", tag = "cameras",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), SnapshotQuery),
    responses(
        (status = 200, content_type = "image/jpeg", body = Vec<u8>,
            description = "The picture; `X-Captured-At` says when its keyframe arrived"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn snapshot(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    user: AuthUser,
    ip: ClientIp,
    Path(id): Path<String>,
    query: Result<Query<SnapshotQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let id: Uuid = id.parse().map_err(|_| ApiError::invalid("id", "must be a UUID"))?;
    let role = query.stream.unwrap_or_else(|| "main".to_owned());
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    drop(tx);
    user.require_on_camera(VIEW, found.site_id, found.id)?;
    let stream = found
        .streams
        .iter()
        .find(|s| s.role.as_str() == role)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("camera {id} has no `{role}` stream")))?;

    let picture = capture(&planes, id, stream.id, &role).await?;
    let captured_at = picture.captured_at;
    let entry = audit::by(&user, &ip, "camera.snapshot", Outcome::Success)
        .target("camera", id)
        .detail("stream", &role)
        .detail("captured_at", captured_at.to_rfc3339());
    catalog.audit.record(entry).await;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::HeaderName::from_static("x-captured-at"), captured_at.to_rfc3339()),
        ],
        picture.jpeg,
    )
        .into_response())
}
