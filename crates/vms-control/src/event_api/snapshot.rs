//! `GET /api/events/{id}/snapshot`: the picture a rule took when the event
//! fired it (the rules' `snapshot` action), for anyone who may read the
//! event and watch the camera's recordings: it is a picture of the past,
//! like a timeline thumbnail, and like one it is not audited.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use vms_base::ErrorCode;
use vms_catalog::{access::Permission, camera, event, scope};

use super::handler::require_visible;
use crate::{
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    events::Events,
    extract::IdPath,
    state::Catalog,
};

/// The event's snapshot as JPEG (needs `event.read` and
/// `camera.view_archive` on its camera).
/// `X-Captured-At` says when its keyframe arrived from the camera. 404 when
/// it has none, with the reason when one could not be taken
/// (`no snapshot: camera offline: …`).
#[utoipa::path(get, operation_id = "getEventSnapshot", path = "/api/events/{id}/snapshot", tag = "events",
    params(("id" = uuid::Uuid, Path, description = "Event id")),
    responses(
        (status = 200, content_type = "image/jpeg", body = Vec<u8>, description = "The picture"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn event_snapshot(
    State(catalog): State<Catalog>,
    State(events): State<Events>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = event::get(&mut *tx, user.tenant_id, id).await?;
    require_visible(&mut tx, &user, &found).await?;
    if let Some(camera_id) = found.camera_id {
        let cam = camera::for_archive(&mut *tx, user.tenant_id, camera_id).await?;
        user.require_on_camera(Permission::CameraViewArchive, cam.site_id, cam.id)?;
    }
    drop(tx);
    let Some(path) = &found.snapshot else {
        let why = found.snapshot_error.unwrap_or_else(|| format!("event {id} has no snapshot"));
        return Err(ApiError::new(ErrorCode::NotFound, why));
    };
    let jpeg = match events.snapshots.read(path).await {
        Ok(jpeg) => jpeg,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ApiError::new(ErrorCode::NotFound, format!("the snapshot of event {id} is gone from disk")));
        }
        Err(e) => return Err(ApiError::internal(format!("cannot read the snapshot of event {id}: {e}"))),
    };
    let captured_at = found.snapshot_at.map(|at| at.to_rfc3339()).unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            (header::HeaderName::from_static("x-captured-at"), captured_at),
        ],
        jpeg,
    )
        .into_response())
}
