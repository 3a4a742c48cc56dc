//! Building audit entries for what callers do, and keeping the trail's
//! partitions in shape.

use std::time::Duration;

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use vms_catalog::audit::{ActorKind, AuditEntry, Outcome};

use crate::{auth::AuthUser, extract::ClientIp};

/// Starts an entry for `action` by `user` from `ip`, in the tenant the request acts in.
pub fn by(user: &AuthUser, ip: &ClientIp, action: &str, outcome: Outcome) -> AuditEntry {
    let entry = AuditEntry::new(action, outcome).tenant(Some(user.tenant_id)).ip(&ip.label());
    let entry = match &user.api_key {
        Some((key, name)) => entry.actor(ActorKind::ApiKey, Some(*key), name).detail("key_owner", user.user_id),
        None => entry.actor(ActorKind::User, Some(user.user_id), &user.username),
    };
    if user.tenant_id != user.home_tenant_id {
        // A super-admin acting in another tenant: say so in the entry.
        entry.detail("acting_from_tenant", user.home_tenant_id)
    } else {
        entry
    }
}

/// Creates upcoming monthly partitions and drops expired ones now and then once a day.
pub async fn maintain_daily(db: PgPool, retention_days: u32, shutdown: CancellationToken) -> anyhow::Result<()> {
    loop {
        match vms_catalog::audit::maintain(&db, retention_days).await {
            Ok(dropped) if dropped > 0 => tracing::info!(dropped, "dropped expired audit partitions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "audit partition maintenance failed; retrying later"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = tokio::time::sleep(Duration::from_secs(24 * 3600)) => {}
        }
    }
}
