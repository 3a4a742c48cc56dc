//! The media plane's own gRPC service: snapshots.

use tonic::{Request, Response, Status};
use uuid::Uuid;
use vms_proto::v1::{self, Snapshot, SnapshotRequest};

use crate::{
    snapshot::{self, SnapshotError},
    streams::Streams,
};

/// Serves `Media` over the plane's streams.
pub(crate) struct MediaService {
    pub(crate) streams: Streams,
}

#[tonic::async_trait]
impl v1::media_server::Media for MediaService {
    async fn capture_snapshot(&self, request: Request<SnapshotRequest>) -> Result<Response<Snapshot>, Status> {
        let req = request.into_inner();
        let camera: Uuid = req
            .camera_id
            .parse()
            .map_err(|_| vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, "camera_id must be a UUID"))?;
        let role: vms_base::StreamRole = req.stream.parse().map_err(|e: vms_base::stream::UnknownWord| {
            vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, e.to_string())
        })?;
        let stream = self.streams.get(camera, role).ok_or_else(|| {
            vms_proto::status::status(vms_base::ErrorCode::NotFound, "this media plane does not pull that stream")
        })?;
        let no_keyframe =
            || vms_proto::status::status(vms_base::ErrorCode::Unavailable, SnapshotError::NoKeyframe.to_string());
        let keyframe = stream.hub.latest_keyframe().ok_or_else(no_keyframe)?;
        let jpeg = tokio::task::spawn_blocking(move || snapshot::to_jpeg(&keyframe))
            .await
            .map_err(|e| {
                vms_proto::status::status(vms_base::ErrorCode::Internal, format!("snapshot task failed: {e}"))
            })?
            .map_err(|e| {
                tracing::warn!(%camera, stream = %req.stream, error = %e, "snapshot failed");
                vms_proto::status::status(vms_base::ErrorCode::Internal, e.to_string())
            })?;
        Ok(Response::new(Snapshot {
            jpeg: jpeg.data,
            width: jpeg.width,
            height: jpeg.height,
            captured_at_unix_ms: jpeg.captured_at.timestamp_millis(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use v1::media_server::Media;

    use super::*;
    use crate::{fanout::Hub, streams::Published};

    #[tokio::test]
    async fn a_stream_without_a_keyframe_says_so_instead_of_a_blank_picture() {
        let streams = Streams::default();
        let camera = Uuid::new_v4();
        let published = Published {
            camera_id: camera,
            tenant_id: Uuid::new_v4(),
            role: vms_base::StreamRole::Main,
            hub: Arc::new(Hub::default()),
        };
        streams.insert(published);
        let service = MediaService { streams };
        let ask = |stream: &str| SnapshotRequest { camera_id: camera.to_string(), stream: stream.into() };

        let refused = service.capture_snapshot(Request::new(ask("main"))).await.unwrap_err();
        assert_eq!(refused.code(), tonic::Code::Unavailable);
        assert!(refused.message().contains("no keyframe yet"), "{}", refused.message());
        let elsewhere = service.capture_snapshot(Request::new(ask("sub"))).await.unwrap_err();
        assert_eq!(elsewhere.code(), tonic::Code::NotFound);
    }
}
