//! Keeps the plane's assignments in step with control.

use std::{sync::Arc, time::Duration};

use futures::StreamExt;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use vms_base::{Plane, backoff::Backoff};
use vms_proto::{
    auth::InternalSecret,
    v1::{WatchRequest, assignments_client::AssignmentsClient},
};

use crate::{AssignmentSet, cache::AssignmentCache, status::StatusBoard};

/// Where control's gRPC is, and the secret it requires.
pub(crate) struct ControlLink {
    pub(crate) url: String,
    pub(crate) secret: InternalSecret,
}

/// Connects to control's `Assignments.Watch` and applies every set it sends,
/// caching it first; reconnects with backoff whenever the stream breaks.
pub(crate) async fn watch_assignments(
    control: ControlLink,
    plane: Plane,
    node_id: String,
    cache: AssignmentCache,
    sets: watch::Sender<Arc<AssignmentSet>>,
    board: Arc<StatusBoard>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut backoff = Backoff::new(Duration::from_millis(250), Duration::from_secs(5));
    loop {
        let attempt = follow(&control, plane, &node_id, &cache, &sets, &board, &mut backoff);
        let outcome = tokio::select! {
            _ = shutdown.cancelled() => break,
            outcome = attempt => outcome,
        };
        board.set_control_connected(false);
        match outcome {
            Ok(()) => tracing::info!("control closed the assignment stream; reconnecting"),
            // Logged at debug after the first few attempts: control may be down for long.
            Err(e) if backoff.attempts() < 3 => {
                tracing::warn!(error = %e, "assignment stream unavailable; working from the last set")
            }
            Err(e) => tracing::debug!(error = %e, "assignment stream still unavailable"),
        }
        let delay = backoff.next_delay();
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(delay) => {}
        }
    }
    Ok(())
}

async fn follow(
    control: &ControlLink,
    plane: Plane,
    node_id: &str,
    cache: &AssignmentCache,
    sets: &watch::Sender<Arc<AssignmentSet>>,
    board: &StatusBoard,
    backoff: &mut Backoff,
) -> anyhow::Result<()> {
    let endpoint = tonic::transport::Endpoint::from_shared(control.url.clone())?
        .connect_timeout(Duration::from_secs(3))
        .http2_keep_alive_interval(Duration::from_secs(10))
        .keep_alive_timeout(Duration::from_secs(5));
    let mut client = AssignmentsClient::with_interceptor(endpoint.connect().await?, control.secret.client())
        .max_decoding_message_size(vms_proto::MAX_ASSIGNMENT_MESSAGE);
    let mut stream =
        client.watch(WatchRequest { plane: plane.to_string(), node_id: node_id.to_owned() }).await?.into_inner();
    board.set_control_connected(true);
    backoff.reset();
    tracing::info!("following assignments from control");
    while let Some(message) = stream.next().await {
        let set = AssignmentSet::try_from(message?)?;
        if **sets.borrow() == set {
            continue;
        }
        if let Err(e) = cache.store(&set) {
            tracing::warn!(error = %format!("{e:#}"), "failed to cache assignments");
        }
        tracing::info!(revision = set.revision, streams = set.streams.len(), "assignments updated");
        sets.send_replace(Arc::new(set));
    }
    Ok(())
}
