//! The media plane: one RTSP session per assigned camera stream, pulled
//! without transcoding.
//!
//! This crate owns ingest (retina sessions over TCP or UDP, reconnect with
//! capped backoff, per-stream state in Redis: connecting, online with fps,
//! bit rate, resolution, codec and last keyframe, or offline with a reason;
//! presentation times kept monotonic) and fan-out ([`fanout`]: one hub per
//! stream handing reference-counted frames to any number of consumers, with a
//! GOP cache and skip-to-keyframe for slow consumers). The [`restream`]
//! server serves every hub over RTSP to tickets or VMS credentials;
//! [`snapshot`]s decode a hub's latest keyframe into a JPEG (gRPC
//! `Media.CaptureSnapshot`); [`live`] egress serves them to browsers over
//! WebRTC, fMP4 over WebSocket (MSE) and LL-HLS.

mod access;
pub mod fanout;
mod grpc;
mod ingest;
mod live;
mod restream;
pub mod snapshot;
mod stats;
pub mod streams;
pub mod video;

/// The WHEP offer path without sockets ([`live`]'s WebRTC egress), public
/// only for the `whep_offer` fuzz target.
#[doc(hidden)]
pub use live::webrtc::offer as whep_offer;

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tracing::Instrument;
use vms_base::Plane;
use vms_catalog::credentials::CredentialKey;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps, StreamAssignment};

/// Runs the media plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    let streams = streams::Streams::default();
    let routes = tonic::service::Routes::new(vms_proto::v1::media_server::MediaServer::new(grpc::MediaService {
        streams: streams.clone(),
    }));
    vms_plane::serve(Plane::Media, config, deps, shutdown, routes, |ctx| run(ctx, streams)).await
}

struct Running {
    cancel: CancellationToken,
    hub: Arc<fanout::Hub>,
}

/// The realm RTSP clients are challenged with.
const REALM: &str = "Techno Support VMS";
/// How long stopping waits for the servers to let go of their ports.
const RELEASE_WITHIN: Duration = Duration::from_secs(10);

async fn run(mut ctx: PlaneContext, streams: streams::Streams) -> anyhow::Result<()> {
    let key = Arc::new(CredentialKey::load_or_create(&ctx.config.secrets_dir())?);
    let listen = ctx.config.restream.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to bind the restream on {listen} (restream.listen)"))?;
    let access = Arc::new(access::Access::new(ctx.config.secrets_dir(), &ctx.config.control.grpc_url())?);
    let restream = Arc::new(restream::Restream { streams: streams.clone(), access: access.clone() });
    tracing::info!(addr = %listener.local_addr()?, "restream listening");
    // The servers holding the plane's ports: stopping waits for them, so a
    // plane started again at once can bind the same ports.
    let servers = TaskTracker::new();
    servers.spawn(vms_rtsp::server::serve(listener, restream, REALM, ctx.shutdown.clone()));
    let live = &ctx.config.live;
    let live_addr = live::start(
        live.listen,
        &live.webrtc_addresses,
        live.webrtc_port,
        streams.clone(),
        access,
        ctx.shutdown.clone(),
        &servers,
    )
    .await?;
    ctx.endpoints.advertise("live", &live_addr.to_string());

    let (hot, nats, subjects, node_id) =
        (ctx.hot.clone(), ctx.nats.clone(), ctx.subjects.clone(), ctx.config.node_id.clone());
    let rules = Arc::new(ingest::CameraRules {
        deadline: ctx.config.ingest.request_timeout(),
        policy: Arc::new(vms_config::DevicePolicy::new(&ctx.config, live::webrtc::net::local_addresses())),
    });
    let start = |stream: &StreamAssignment, cancel: CancellationToken| {
        let reporter = ingest::Reporter::new(hot.clone(), nats.clone(), &subjects, stream.stream_id, node_id.clone());
        let span = tracing::info_span!("ingest", camera_id = %stream.camera_id, stream = %stream.role, camera = %stream.camera_name);
        let hub = Arc::new(fanout::Hub::default());
        let pull = ingest::run(stream.clone(), key.clone(), reporter, hub.clone(), rules.clone(), cancel.clone());
        tokio::spawn(pull.instrument(span));
        streams.insert(streams::Published {
            camera_id: stream.camera_id,
            tenant_id: stream.tenant_id,
            role: stream.role.clone(),
            hub: hub.clone(),
        });
        Running { cancel, hub }
    };
    let stop = |stream: StreamAssignment, r: Running| {
        streams.remove(stream.camera_id, &stream.role);
        r.cancel.cancel();
        r.hub.close();
    };
    for (_, r) in ctx.per_stream(start, stop).await {
        r.cancel.cancel();
        r.hub.close();
    }
    servers.close();
    if tokio::time::timeout(RELEASE_WITHIN, servers.wait()).await.is_err() {
        tracing::warn!("live or restream connections still open after {RELEASE_WITHIN:?}; stopping anyway");
    }
    Ok(())
}
