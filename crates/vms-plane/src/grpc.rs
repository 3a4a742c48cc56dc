//! The `Plane` gRPC service every non-control plane serves, beside the
//! plane's own services.

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};
use vms_proto::{
    auth::InternalSecret,
    v1::{self, plane_server::PlaneServer},
};

use crate::status::StatusBoard;

struct PlaneService {
    board: Arc<StatusBoard>,
}

#[tonic::async_trait]
impl v1::plane_server::Plane for PlaneService {
    async fn get_status(&self, _: Request<v1::StatusRequest>) -> Result<Response<v1::PlaneStatus>, Status> {
        let r = self.board.report();
        Ok(Response::new(v1::PlaneStatus {
            plane: r.plane.to_string(),
            node_id: r.node_id,
            version: r.version,
            state: r.state.as_str().to_owned(),
            assignments_revision: r.assignments_revision,
            assigned_streams: r.assigned_streams,
            control_connected: r.control_connected,
            started_at_unix_ms: r.started_at.timestamp_millis(),
            pid: r.pid,
        }))
    }
}

/// Serves `Plane` and the plane's own services in `routes`, to callers
/// presenting the internal `secret` only.
pub(crate) async fn serve(
    listener: TcpListener,
    board: Arc<StatusBoard>,
    routes: tonic::service::Routes,
    secret: InternalSecret,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    tonic::transport::Server::builder()
        .layer(tonic::service::InterceptorLayer::new(secret.server()))
        .add_routes(routes)
        .add_service(PlaneServer::new(PlaneService { board }))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown.cancelled_owned())
        .await?;
    Ok(())
}
