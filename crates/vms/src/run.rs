//! `vms run <plane>`: one plane in the foreground, until SIGINT or SIGTERM.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use vms_base::Plane;
use vms_config::Config;
use vms_plane::PlaneDeps;

use crate::connections;

pub async fn run(plane: Plane, config: Config) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    vms_base::shutdown::cancel_on_signal(shutdown.clone());
    let urls = connections::resolve(&config)?;
    let config = Arc::new(config);
    let span = tracing::info_span!("plane", %plane, node_id = %config.node_id);
    async move {
        match plane {
            Plane::Control => {
                let db = connections::database(&config, &urls.database).await?;
                let audit_db = connections::database(&config, &connections::audit_database(&config)?).await?;
                let deps = vms_control::ControlDeps {
                    db,
                    audit_db,
                    nats_url: urls.nats,
                    redis_url: urls.redis,
                    bus_prefix: config.bus_prefix.clone(),
                    metrics: vms_metrics::Metrics::new(),
                };
                vms_control::serve(config, deps, shutdown).await
            }
            other => {
                let deps = PlaneDeps {
                    nats_url: urls.nats,
                    redis_url: urls.redis,
                    bus_prefix: config.bus_prefix.clone(),
                    metrics: vms_metrics::Metrics::new(),
                };
                match other {
                    Plane::Media => vms_media::serve(config, deps, shutdown).await,
                    Plane::Recorder => {
                        let db = connections::database(&config, &urls.database).await?;
                        vms_recorder::serve(config, deps, db, shutdown).await
                    }
                    Plane::Ai => vms_ai::serve(config, deps, shutdown).await,
                    Plane::Control => unreachable!("handled above"),
                }
            }
        }
    }
    .instrument(span)
    .await
}
