//! Following user revocations (a user disabled, deleted, their grants,
//! roles or password changed), so what they watch ends within seconds.
//!
//! Control publishes each revocation on NATS and records it in Redis. The
//! NATS message ends viewings at once; but a message sent while this plane
//! was disconnected from NATS is gone, so [`recheck`] also compares, every few
//! seconds, the Redis record of every user admitted here against the
//! revocations already applied. Both tasks run under the plane's supervisor:
//! a subscription that ends, or a Redis outage, is reported and retried.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::Supervisor;
use vms_bus::{hot::HotState, revocation::UserRevoked};

use crate::{access::Access, viewers::Cutoff};

/// How often the Redis record is compared: the longest a revocation whose
/// NATS message was lost goes unnoticed.
pub(crate) const RECHECK_EVERY: Duration = Duration::from_secs(5);

/// Starts following revocations on `subject` and in `hot` for `access`.
pub(crate) fn follow(
    supervisor: &Supervisor,
    nats: async_nats::Client,
    subject: String,
    hot: HotState,
    access: Arc<Access>,
    shutdown: CancellationToken,
) {
    let (gate, stop) = (access.clone(), shutdown.clone());
    supervisor.spawn("revocations", shutdown.clone(), move || {
        listen(nats.clone(), subject.clone(), gate.clone(), stop.clone())
    });
    let stop = shutdown.clone();
    supervisor.spawn("revocation recheck", shutdown, move || recheck(hot.clone(), access.clone(), stop.clone()));
}

/// Applies the revocations arriving on `subject` until `shutdown`; an
/// ended subscription is an error, so the supervisor subscribes again.
async fn listen(
    nats: async_nats::Client,
    subject: String,
    access: Arc<Access>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut revocations = nats.subscribe(subject).await.context("failed to follow revocations")?;
    loop {
        let message = tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            message = revocations.next() => message.context("the revocations subscription ended")?,
        };
        match serde_json::from_slice::<UserRevoked>(&message.payload) {
            Ok(revoked) => apply(&access, &revoked, Cutoff::All),
            Err(e) => tracing::warn!(error = %e, "ignoring a malformed user revocation"),
        }
    }
}

/// Every [`RECHECK_EVERY`], applies the revocations Redis records for the
/// users admitted here that this plane has not applied yet.
async fn recheck(hot: HotState, access: Arc<Access>, shutdown: CancellationToken) -> anyhow::Result<()> {
    let mut tick = tokio::time::interval(RECHECK_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = tick.tick() => {}
        }
        let users: Vec<Uuid> = access.admitted_users().into_iter().collect();
        let recorded = hot.user_ticket_revocations(&users).await.context("cannot read revocations from Redis")?;
        for (user, at) in users.into_iter().zip(recorded) {
            let Some(at) = at else { continue };
            if access.revoked_at(user).is_some_and(|applied| applied >= at) {
                continue;
            }
            let Some(at) = DateTime::<Utc>::from_timestamp(at, 0) else { continue };
            apply(&access, &UserRevoked { user_id: user, at }, Cutoff::AdmittedBy(at.timestamp()));
        }
    }
}

fn apply(access: &Access, revoked: &UserRevoked, cutoff: Cutoff) {
    let ended = access.revoke(revoked, cutoff);
    let from = if cutoff == Cutoff::All { "message" } else { "Redis record" };
    tracing::info!(user_id = %revoked.user_id, ended, from, "user revoked; ended their viewings");
}
