//! The analytics plane: decodes streams at a detection rate, runs motion and
//! object detection, tracking, zones and line crossing, and publishes
//! detections on NATS.
//!
//! Today it follows the streams assigned to it (each camera's sub stream, or
//! its main stream when it has none); analytics build on this.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use vms_base::Plane;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps};

/// Runs the analytics plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    vms_plane::serve(Plane::Ai, config, deps, shutdown, Default::default(), run).await
}

async fn run(mut ctx: PlaneContext) -> anyhow::Result<()> {
    ctx.for_each_set(|set| tracing::info!(revision = set.revision, streams = set.streams.len(), "analysis set")).await;
    Ok(())
}
