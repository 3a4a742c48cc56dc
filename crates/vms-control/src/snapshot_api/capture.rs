//! Taking a picture of a camera stream: find the media plane pulling it
//! (from the stream's live state and the planes' status reports) and ask it
//! over gRPC for its latest keyframe as JPEG. Shared by the snapshot route
//! and the rules' snapshot action.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_proto::v1::{SnapshotRequest, media_client::MediaClient};

use crate::{
    error::ApiError,
    locator::{self, Unlocated},
    state::Planes,
};

/// How long the media plane gets to decode and encode the picture.
const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(10);

/// A picture of a stream.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The JPEG.
    pub jpeg: Vec<u8>,
    /// When its keyframe arrived from the camera.
    pub captured_at: DateTime<Utc>,
}

fn no_picture(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Unavailable, message)
}

/// The latest keyframe of stream `stream_id` (role `role`: `main` or `sub`)
/// of camera `camera_id`, as JPEG at the stream's resolution. An
/// `Unavailable` error says why there is none (the stream is offline, not
/// pulled, has no keyframe yet, or its media plane is silent).
pub async fn capture(planes: &Planes, camera_id: Uuid, stream_id: Uuid, role: &str) -> Result<Picture, ApiError> {
    let offline = || no_picture(format!("camera offline: the `{role}` stream is not online"));
    let plane = match locator::media_plane_of(planes, stream_id).await? {
        Ok(found) if found.stream.status == vms_bus::hot::StreamStatus::Online => found.plane,
        Ok(_) | Err(Unlocated::NotPulled) => return Err(offline()),
        Err(Unlocated::Silent { node }) => {
            return Err(no_picture(format!("the media plane of node `{node}` is not reporting")));
        }
    };
    let channel = planes.channels.to(&plane.report.grpc_addr)?;
    let ask = async {
        let mut client = MediaClient::with_interceptor(channel, planes.internal_secret.client());
        let request = SnapshotRequest { camera_id: camera_id.to_string(), stream: role.to_owned() };
        anyhow::Ok(client.capture_snapshot(request).await)
    };
    let picture = match tokio::time::timeout(SNAPSHOT_TIMEOUT, ask).await {
        Err(_) => return Err(ApiError::new(ErrorCode::Timeout, "the media plane did not answer in time")),
        Ok(Err(e)) => return Err(ApiError::unavailable("media plane", format!("{e:#}"))),
        Ok(Ok(Err(status))) => match vms_proto::status::error_code(&status) {
            ErrorCode::Unavailable => return Err(no_picture(status.message().to_owned())),
            ErrorCode::NotFound => {
                return Err(no_picture(format!("camera offline: the `{role}` stream is not being pulled")));
            }
            _ => return Err(ApiError::internal(format!("snapshot: {status}"))),
        },
        Ok(Ok(Ok(answer))) => answer.into_inner(),
    };
    let captured_at = Utc.timestamp_millis_opt(picture.captured_at_unix_ms).single().unwrap_or_else(Utc::now);
    Ok(Picture { jpeg: picture.jpeg, captured_at })
}
