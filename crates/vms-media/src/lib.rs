//! The media plane: one RTSP session per assigned camera stream, fanned out to
//! viewers, the recorder and analytics without transcoding.
//!
//! This crate owns ingest and egress. Today it follows its assignments and
//! publishes each assigned stream's state to Redis hot state; RTSP ingest,
//! fan-out and the restream server build on this.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use vms_base::Plane;
use vms_bus::hot::StreamState;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps};

/// Runs the media plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    vms_plane::serve(Plane::Media, config, deps, shutdown, run).await
}

async fn run(mut ctx: PlaneContext) -> anyhow::Result<()> {
    let interval = Duration::from_secs(ctx.config.media.status_interval_secs.into());
    let mut ticker = tokio::time::interval(interval);
    loop {
        let set = ctx.assignments.borrow_and_update().clone();
        for stream in &set.streams {
            let state = StreamState {
                status: "assigned".to_owned(),
                reason: None,
                node_id: ctx.config.node_id.clone(),
                updated_at: Utc::now(),
            };
            // Expires unless refreshed, so a dead plane's streams do not look healthy.
            if let Err(e) = ctx.hot.set_stream_state(stream.stream_id, &state, interval * 3).await {
                tracing::debug!(error = %e, "failed to publish stream state");
                break;
            }
        }
        tokio::select! {
            _ = ctx.shutdown.cancelled() => return Ok(()),
            _ = ticker.tick() => {}
            changed = ctx.assignments.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
            }
        }
    }
}
