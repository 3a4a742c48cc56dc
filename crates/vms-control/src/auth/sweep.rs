//! Deletes credentials that can never be used again: expired or revoked
//! refresh tokens and spent or expired password reset tokens, so the tables
//! hold live logins only and a stolen backup holds no history of them.

use std::time::Duration;

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use vms_catalog::{CatalogError, Scope, password_reset, refresh_token, scope};

/// How often the sweep runs.
pub const INTERVAL: Duration = Duration::from_secs(3600);

/// Runs one sweep; returns the refresh tokens and reset tokens deleted.
pub async fn sweep_once(db: &PgPool) -> Result<(u64, u64), CatalogError> {
    // Tokens belong to every tenant; the sweep is system work.
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let refresh = refresh_token::sweep(&mut *tx).await?;
    let resets = password_reset::sweep(&mut *tx).await?;
    tx.commit().await?;
    Ok((refresh, resets))
}

/// Sweeps at start and then every [`INTERVAL`] until `shutdown`.
pub async fn run(db: PgPool, shutdown: CancellationToken) -> anyhow::Result<()> {
    loop {
        match sweep_once(&db).await {
            Ok((0, 0)) => {}
            Ok((refresh, resets)) => tracing::info!(refresh, resets, "deleted spent tokens"),
            Err(e) => tracing::warn!(error = %e, "token sweep failed; retrying later"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
