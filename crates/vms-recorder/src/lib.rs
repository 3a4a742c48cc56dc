//! The recorder plane: writes assigned streams to disk as fragmented MP4,
//! indexes them, enforces retention and serves playback and exports.
//!
//! Today it follows the streams assigned to it (each camera's main stream);
//! segment writing builds on this.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use vms_base::Plane;
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps};

/// Runs the recorder plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: PlaneDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    vms_plane::serve(Plane::Recorder, config, deps, shutdown, Default::default(), run).await
}

async fn run(mut ctx: PlaneContext) -> anyhow::Result<()> {
    ctx.for_each_set(|set| tracing::info!(revision = set.revision, streams = set.streams.len(), "recording set")).await;
    Ok(())
}
