//! The snapshot handler: finds the media plane pulling the stream (from the
//! stream's live state and the planes' status reports) and asks it over gRPC.
//! A picture handed out is audited (`camera.snapshot`), like opening video.

use std::time::Duration;

use axum::{
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{TimeZone, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{access::Permission, audit::Outcome, camera, scope};
use vms_proto::v1::{SnapshotRequest, media_client::MediaClient};

use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::ClientIp,
    locator::{self, Unlocated},
    state::{Catalog, Planes},
};

const VIEW: Permission = Permission::CameraViewLive;
/// How long the media plane gets to decode and encode the picture.
const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which stream to take the picture from.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SnapshotQuery {
    /// `main` (the default, full resolution) or `sub`.
    pub stream: Option<String>,
}

fn no_picture(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Unavailable, message)
}

/// Returns the latest keyframe of a camera stream as a JPEG at the stream's
/// resolution (needs `camera.view_live` on the camera). 503 says why there is
/// no picture (the stream is offline or has no keyframe yet); there is never
/// a blank image.
#[utoipa::path(get, path = "/api/cameras/{id}/snapshot", tag = "cameras", security(("bearer" = [])),
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

    let offline = || no_picture(format!("the `{role}` stream is not online: no picture to show"));
    let plane = match locator::media_plane_of(&planes, stream.id).await? {
        Ok(found) if found.stream.status == vms_bus::hot::StreamStatus::Online => found.plane,
        Ok(_) | Err(Unlocated::NotPulled) => return Err(offline()),
        Err(Unlocated::Silent { node }) => {
            return Err(no_picture(format!("the media plane of node `{node}` is not reporting")));
        }
    };
    let channel = planes.channels.to(&plane.report.grpc_addr)?;

    let ask = async {
        let mut client = MediaClient::with_interceptor(channel, planes.internal_secret.client());
        let request = SnapshotRequest { camera_id: id.to_string(), stream: role.clone() };
        anyhow::Ok(client.capture_snapshot(request).await)
    };
    let picture = match tokio::time::timeout(SNAPSHOT_TIMEOUT, ask).await {
        Err(_) => return Err(ApiError::new(ErrorCode::Timeout, "the media plane did not answer in time")),
        Ok(Err(e)) => return Err(ApiError::unavailable("media plane", format!("{e:#}"))),
        Ok(Ok(Err(status))) => match vms_proto::status::error_code(&status) {
            ErrorCode::Unavailable => return Err(no_picture(status.message().to_owned())),
            ErrorCode::NotFound => {
                return Err(no_picture(format!("the `{role}` stream is not being pulled: no picture to show")));
            }
            _ => return Err(ApiError::internal(format!("snapshot: {status}"))),
        },
        Ok(Ok(Ok(answer))) => answer.into_inner(),
    };
    let captured_at = Utc.timestamp_millis_opt(picture.captured_at_unix_ms).single().unwrap_or_else(Utc::now);
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
