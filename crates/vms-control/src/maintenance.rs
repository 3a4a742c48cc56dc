//! Control's maintenance loops (plane status, catalog changes, the audit
//! journal and trail, expired tokens), run under the state's
//! supervisor. Unlike the HTTP and gRPC servers, whose failure stops control,
//! a loop that panics or fails is restarted with backoff and reported by
//! `/health/ready` until it is healthy again.

use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use vms_bus::Subjects;

use crate::{AppState, assignments, audit, auth, planes};

/// Starts control's maintenance loops under the state's supervisor: unlike
/// the servers, one that panics or fails is restarted with backoff (and
/// reported by `/health/ready`) rather than stopping control. Returns their
/// handles, which resolve once shutdown has stopped them.
pub(crate) fn spawn(
    state: &AppState,
    changes: watch::Sender<u64>,
    shutdown: &CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    let supervisor = &state.planes.supervisor;
    let (nats, subjects, planes, cancel) = (
        state.planes.nats.clone(),
        Subjects::clone(&state.planes.subjects),
        state.planes.registry.clone(),
        shutdown.clone(),
    );
    let plane_status = supervisor.spawn("plane_status", shutdown.clone(), move || {
        planes::follow(nats.clone(), subjects.clone(), planes.clone(), cancel.clone())
            .instrument(tracing::info_span!("plane_status"))
    });
    let (db, cancel) = (state.catalog.db.clone(), shutdown.clone());
    let catalog_changes = supervisor.spawn("catalog_changes", shutdown.clone(), move || {
        assignments::follow_catalog(db.clone(), changes.clone(), Duration::from_secs(30), cancel.clone())
            .instrument(tracing::info_span!("catalog_changes"))
    });
    let (audit, cancel) = (state.catalog.audit.clone(), shutdown.clone());
    let audit_replay = supervisor.spawn("audit_replay", shutdown.clone(), move || {
        let (audit, cancel) = (audit.clone(), cancel.clone());
        async move { audit.replay_until(Duration::from_secs(2), cancel).await }
            .instrument(tracing::info_span!("audit_replay"))
    });
    let (db, days, cancel) = (state.catalog.db.clone(), state.config.control.audit_retention_days, shutdown.clone());
    let audit_maintenance = supervisor.spawn("audit_maintenance", shutdown.clone(), move || {
        audit::maintain_daily(db.clone(), days, cancel.clone()).instrument(tracing::info_span!("audit_maintenance"))
    });
    let (db, cancel) = (state.catalog.db.clone(), shutdown.clone());
    let token_sweep = supervisor.spawn("token_sweep", shutdown.clone(), move || {
        auth::sweep::run(db.clone(), cancel.clone()).instrument(tracing::info_span!("token_sweep"))
    });
    vec![plane_status, catalog_changes, audit_replay, audit_maintenance, token_sweep]
}
