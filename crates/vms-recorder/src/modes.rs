//! When each camera records: continuously, or during its weekly schedule in
//! its site's local time. Read from the database every few seconds; a camera
//! never configured (or any camera while the database is unreachable and
//! nothing is known yet) records continuously: missing video cannot be
//! recorded later.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::Duration,
};

use chrono::{DateTime, Utc};
use jiff::{Timestamp, tz::TimeZone};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_catalog::{
    Scope,
    recording::{self, Mode, Settings},
    schedule, scope,
};

/// How often the settings are read again.
const REFRESH: Duration = Duration::from_secs(5);

/// The recording mode of every configured camera.
#[derive(Default)]
pub(crate) struct Modes {
    table: RwLock<HashMap<Uuid, (Settings, TimeZone)>>,
}

impl Modes {
    /// Answers whether `camera` should be recording at `at`.
    pub(crate) fn should_record(&self, camera: Uuid, at: DateTime<Utc>) -> bool {
        let table = self.table.read().expect("modes lock should not be poisoned");
        match table.get(&camera) {
            None => true,
            Some((settings, tz)) => match settings.mode {
                Mode::Continuous => true,
                Mode::Scheduled => {
                    let now = Timestamp::from_microsecond(at.timestamp_micros()).unwrap_or_else(|_| Timestamp::now());
                    schedule::is_active(&settings.schedule, tz, now)
                }
            },
        }
    }

    async fn refresh(&self, db: &PgPool) -> Result<(), vms_catalog::CatalogError> {
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        let modes = recording::modes(&mut *tx).await?;
        drop(tx);
        let table = modes
            .into_iter()
            .map(|m| {
                let tz = TimeZone::get(&m.timezone).unwrap_or_else(|_| {
                    tracing::warn!(camera = %m.camera_id, timezone = %m.timezone, "unknown time zone; scheduling in UTC");
                    TimeZone::UTC
                });
                (m.camera_id, (m.settings, tz))
            })
            .collect();
        *self.table.write().expect("modes lock should not be poisoned") = table;
        Ok(())
    }
}

/// Keeps `modes` up to date until `cancel`.
pub(crate) async fn follow(modes: Arc<Modes>, db: PgPool, cancel: CancellationToken) {
    loop {
        if let Err(e) = modes.refresh(&db).await {
            tracing::debug!(error = %e, "cannot read recording modes; keeping the last known");
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(REFRESH) => {}
        }
    }
}
