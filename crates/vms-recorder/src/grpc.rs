//! The recorder's own gRPC service: events.

use std::{
    collections::HashSet,
    sync::{Arc, RwLock},
};

use chrono::Utc;
use tonic::{Request, Response, Status};
use uuid::Uuid;
use vms_proto::v1::{self, EventReply, EventRequest};

use crate::events::{Buffers, Events};

/// The streams this recorder records now, by camera and role.
pub(crate) type Recorded = Arc<RwLock<HashSet<(Uuid, String)>>>;

/// Serves `Recorder`.
pub(crate) struct RecorderService {
    pub(crate) events: Arc<Events>,
    pub(crate) recorded: Recorded,
}

impl RecorderService {
    fn target(&self, req: &EventRequest) -> Result<(Uuid, String), Status> {
        let camera: Uuid = req
            .camera_id
            .parse()
            .map_err(|_| vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, "camera_id must be a UUID"))?;
        let role = if req.stream.is_empty() { "main".to_owned() } else { req.stream.clone() };
        if req.event_id.is_empty() {
            return Err(vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, "event_id must not be empty"));
        }
        let recorded = self.recorded.read().expect("recorded lock should not be poisoned");
        if !recorded.contains(&(camera, role.clone())) {
            return Err(vms_proto::status::status(
                vms_base::ErrorCode::NotFound,
                "this recorder does not record that stream",
            ));
        }
        Ok((camera, role))
    }
}

#[tonic::async_trait]
impl v1::recorder_server::Recorder for RecorderService {
    async fn start_event(&self, request: Request<EventRequest>) -> Result<Response<EventReply>, Status> {
        let req = request.into_inner();
        let (camera, role) = self.target(&req)?;
        let seconds = |secs: u32| (secs > 0).then(|| chrono::TimeDelta::seconds(secs.into()));
        let buffers = Buffers { pre: seconds(req.pre_secs), post: seconds(req.post_secs) };
        let open = self.events.start(camera, &role, &req.event_id, Utc::now(), buffers);
        tracing::info!(%camera, stream = %role, event = %req.event_id, open, "event started");
        Ok(Response::new(EventReply { open_events: open as u32 }))
    }

    async fn stop_event(&self, request: Request<EventRequest>) -> Result<Response<EventReply>, Status> {
        let req = request.into_inner();
        let (camera, role) = self.target(&req)?;
        let open = self.events.stop(camera, &role, &req.event_id, Utc::now());
        tracing::info!(%camera, stream = %role, event = %req.event_id, open, "event stopped");
        Ok(Response::new(EventReply { open_events: open as u32 }))
    }
}
