//! Which plane serves a stream, and one pooled gRPC channel per plane.
//!
//! A stream's live state in Redis names the node whose media plane pulls it;
//! the planes' status reports give that plane's addresses. Live egress and
//! snapshots both find their plane through [`media_plane_of`] (the archive
//! proxy will find recorders the same way), and every gRPC call to a plane
//! goes through [`Channels`], which keeps one lazily connected channel per
//! address instead of opening a connection per request.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use tonic::transport::{Channel, Endpoint};
use uuid::Uuid;
use vms_base::Plane;
use vms_bus::hot::StreamState;

use crate::{error::ApiError, planes::SeenPlane, state::Planes};

/// How long connecting to a plane may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The media plane pulling a stream, and the stream's state there.
pub struct Located {
    /// The stream's live state.
    pub stream: StreamState,
    /// The plane pulling it, as it last reported.
    pub plane: SeenPlane,
}

/// Why no plane was found.
pub enum Unlocated {
    /// No media plane pulls the stream now.
    NotPulled,
    /// The node that pulls it has no media plane reporting.
    Silent {
        /// That node.
        node: String,
    },
}

/// Finds the media plane pulling `stream_id` now.
pub async fn media_plane_of(planes: &Planes, stream_id: Uuid) -> Result<Result<Located, Unlocated>, ApiError> {
    let states = planes.hot.stream_states(&[stream_id]).await.map_err(|e| ApiError::unavailable("stream state", e))?;
    let Some(stream) = states.get(&stream_id).cloned() else { return Ok(Err(Unlocated::NotPulled)) };
    let plane = planes
        .registry
        .snapshot()
        .into_iter()
        .find(|p| p.report.plane == Plane::Media && p.report.node_id == stream.node_id);
    Ok(match plane {
        Some(plane) => Ok(Located { stream, plane }),
        None => Err(Unlocated::Silent { node: stream.node_id }),
    })
}

/// One gRPC channel per plane address, shared by every caller. A tonic
/// channel multiplexes calls and reconnects by itself.
#[derive(Default)]
pub struct Channels(Mutex<HashMap<String, Channel>>);

impl Channels {
    /// The channel to the plane at `addr` (`host:port`), made on first use.
    pub fn to(&self, addr: &str) -> Result<Channel, ApiError> {
        let mut channels = self.0.lock().expect("channel pool lock should not be poisoned");
        if let Some(channel) = channels.get(addr) {
            return Ok(channel.clone());
        }
        let endpoint = Endpoint::from_shared(format!("http://{addr}"))
            .map_err(|e| ApiError::internal(format!("a plane reported a bad address `{addr}`: {e}")))?
            .connect_timeout(CONNECT_TIMEOUT);
        let channel = endpoint.connect_lazy();
        // Planes come and go; keep the pool to the addresses seen lately.
        if channels.len() >= 256 {
            channels.clear();
        }
        channels.insert(addr.to_owned(), channel.clone());
        Ok(channel)
    }
}
