//! The media plane: one RTSP session per assigned camera stream, pulled
//! without transcoding.
//!
//! This crate owns ingest ([`ingest`]: retina sessions over TCP or UDP,
//! reconnect with capped backoff, per-stream state in Redis: connecting,
//! online with fps, bit rate, resolution, codec and last keyframe, or offline
//! with a reason). Fan-out to viewers, the restream server and snapshots build
//! on it.

mod ingest;
mod stats;

use std::{collections::HashMap, sync::Arc};

use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use vms_base::Plane;
use vms_catalog::credentials::CredentialKey;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps, StreamAssignment};

/// Runs the media plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    vms_plane::serve(Plane::Media, config, deps, shutdown, run).await
}

struct Running {
    assignment: StreamAssignment,
    cancel: CancellationToken,
}

async fn run(mut ctx: PlaneContext) -> anyhow::Result<()> {
    let key = Arc::new(CredentialKey::load_or_create(&ctx.config.secrets_dir())?);
    let mut running: HashMap<uuid::Uuid, Running> = HashMap::new();
    loop {
        let set = ctx.assignments.borrow_and_update().clone();
        // Stop what is no longer assigned or changed; start what is new.
        running.retain(|id, r| {
            let keep = set.streams.iter().any(|s| s.stream_id == *id && *s == r.assignment);
            if !keep {
                r.cancel.cancel();
            }
            keep
        });
        for stream in &set.streams {
            if running.contains_key(&stream.stream_id) {
                continue;
            }
            let cancel = ctx.shutdown.child_token();
            let reporter = ingest::Reporter::new(ctx.hot.clone(), stream.stream_id, ctx.config.node_id.clone());
            let span = tracing::info_span!("ingest", camera_id = %stream.camera_id, stream = %stream.role, camera = %stream.camera_name);
            tokio::spawn(ingest::run(stream.clone(), key.clone(), reporter, cancel.clone()).instrument(span));
            running.insert(stream.stream_id, Running { assignment: stream.clone(), cancel });
        }
        tokio::select! {
            _ = ctx.shutdown.cancelled() => break,
            changed = ctx.assignments.changed() => if changed.is_err() { break },
        }
    }
    for r in running.values() {
        r.cancel.cancel();
    }
    Ok(())
}
