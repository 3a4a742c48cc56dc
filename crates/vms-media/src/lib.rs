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
//! WebRTC, fMP4 over WebSocket (MSE) and LL-HLS. Each stream's ingest runs
//! under the plane's supervisor, which restarts one that panics and reports
//! it in the plane's status.

mod access;
pub mod fanout;
mod grpc;
mod ingest;
mod link;
mod live;
mod metrics;
mod restream;
mod revocations;
pub mod snapshot;
mod stats;
pub mod streams;
mod ticked;
pub mod video;
mod viewers;

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
    let access = Arc::new(access::Access::new(
        ctx.config.secrets_dir(),
        &ctx.config.control.grpc_url(),
        &ctx.internal_secret,
        ctx.hot.clone(),
    )?);
    revocations::follow(
        &ctx.supervisor,
        ctx.nats.clone(),
        ctx.subjects.revocations(),
        ctx.hot.clone(),
        access.clone(),
        ctx.shutdown.clone(),
    );
    ctx.metrics.register_collector(Box::new(metrics::ViewersCollector {
        viewers: access.viewers().clone(),
        streams: streams.clone(),
    }));
    let restream = Arc::new(restream::Restream { streams: streams.clone(), access: access.clone() });
    tracing::info!(addr = %listener.local_addr()?, "restream listening");
    // The servers holding the plane's ports: stopping waits for them, so a
    // plane started again at once can bind the same ports.
    let servers = TaskTracker::new();
    let gate = vms_base::conn_limit::ConnGate::new(ctx.config.limits.conn_limits());
    servers.spawn(vms_rtsp::server::serve(listener, restream, REALM, gate, ctx.shutdown.clone()));
    let link_listen = ctx.config.link.listen;
    let link = tokio::net::TcpListener::bind(link_listen)
        .await
        .with_context(|| format!("failed to bind the frame link on {link_listen} (link.listen)"))?;
    tracing::info!(addr = %link.local_addr()?, "frame link listening");
    ctx.endpoints.advertise("link", &link.local_addr()?.to_string());
    let link_gate = vms_base::conn_limit::ConnGate::new(ctx.config.limits.conn_limits());
    servers.spawn(link::serve(link, streams.clone(), ctx.internal_secret.key(), link_gate, ctx.shutdown.clone()));
    let live_addr =
        live::start(&ctx.config, streams.clone(), access, ctx.shutdown.clone(), &servers, &ctx.supervisor).await?;
    ctx.endpoints.advertise("live", &live_addr.to_string());

    let (hot, nats, subjects, node_id) =
        (ctx.hot.clone(), ctx.nats.clone(), ctx.subjects.clone(), ctx.config.node_id.clone());
    let rules = Arc::new(ingest::CameraRules {
        deadline: ctx.config.ingest.request_timeout(),
        policy: Arc::new(vms_config::DevicePolicy::new(&ctx.config, live::webrtc::net::local_addresses())),
    });
    let supervisor = ctx.supervisor.clone();
    // Cameras are read on a tick when configured (the default), on their own thread.
    let ticked = match ctx.config.ingest.tick() {
        Some(tick) => Some(ticked::TickedRuntime::start("vms-ingest", tick)?),
        None => None,
    };
    let home = tokio::runtime::Handle::current();
    let media_metrics = metrics::MediaMetrics::new(&ctx.metrics);
    let start = |stream: &StreamAssignment, cancel: CancellationToken| {
        let span = tracing::info_span!("ingest", camera_id = %stream.camera_id, stream = %stream.role, camera = %stream.camera_name);
        let hub = Arc::new(fanout::Hub::default());
        // A panicking ingest is restarted by the supervisor, feeding the same
        // hub, so viewers and recorders stay attached across the restart.
        let (hot, nats, subjects, node_id, home) =
            (hot.clone(), nats.clone(), subjects.clone(), node_id.clone(), home.clone());
        let series = media_metrics.stream(stream.camera_id, stream.role);
        let (assignment, key, fed, rules, until) =
            (stream.clone(), key.clone(), hub.clone(), rules.clone(), cancel.clone());
        // UDP cameras stay on readiness: a datagram the socket buffer cannot
        // hold until the next tick is lost, where TCP would just wait.
        let tcp = stream.transport != vms_base::Transport::Udp;
        let _on_tick = ticked.as_ref().filter(|_| tcp).map(|t| t.handle().enter());
        supervisor.spawn(format!("ingest {}/{}", stream.camera_id, stream.role), cancel.clone(), move || {
            let reporter = ingest::Reporter::new(
                hot.clone(),
                nats.clone(),
                &subjects,
                assignment.stream_id,
                node_id.clone(),
                home.clone(),
                series.clone(),
            );
            ingest::run(assignment.clone(), key.clone(), reporter, fed.clone(), rules.clone(), until.clone())
                .instrument(span.clone())
        });
        streams.insert(streams::Published {
            camera_id: stream.camera_id,
            tenant_id: stream.tenant_id,
            role: stream.role,
            hub: hub.clone(),
        });
        Running { cancel, hub }
    };
    let stop = |stream: StreamAssignment, r: Running| {
        streams.remove(stream.camera_id, stream.role);
        media_metrics.forget(stream.camera_id, stream.role);
        r.cancel.cancel();
        r.hub.close();
    };
    for (_, r) in ctx.per_stream(start, stop).await {
        r.cancel.cancel();
        r.hub.close();
    }
    if let Some(ticked) = ticked {
        ticked.stop().await;
    }
    servers.close();
    if tokio::time::timeout(RELEASE_WITHIN, servers.wait()).await.is_err() {
        tracing::warn!("live or restream connections still open after {RELEASE_WITHIN:?}; stopping anyway");
    }
    Ok(())
}
