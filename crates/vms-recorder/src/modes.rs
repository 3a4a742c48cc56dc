//! When each camera records: continuously, during its weekly schedule in its
//! site's local time, or around its events. Read from the database every
//! few seconds; a camera
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
    recording::{self, FootageKind, Mode, Settings},
    schedule, scope,
};

use crate::events::Events;

/// How often the settings are read again.
const REFRESH: Duration = Duration::from_secs(5);

/// What to do with a camera stream's pictures at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decision {
    /// Record them.
    pub(crate) record: bool,
    /// Why the footage is recorded.
    pub(crate) kind: FootageKind,
    /// Earlier pictures worth keeping when recording starts (the event's
    /// pre-buffer), and how far back they go.
    pub(crate) pre_buffer: chrono::TimeDelta,
    /// When the current run of events began.
    pub(crate) since: Option<DateTime<Utc>>,
}

/// The recording mode of every configured camera.
pub(crate) struct Modes {
    table: RwLock<HashMap<Uuid, (Settings, TimeZone)>>,
    events: Arc<Events>,
}

impl Modes {
    /// Starts with no camera configured (all continuous), following `events`.
    pub(crate) fn new(events: Arc<Events>) -> Self {
        Self { table: RwLock::new(HashMap::new()), events }
    }

    /// Decides for `camera`'s `role` stream at `at`.
    pub(crate) fn decide(&self, camera: Uuid, role: vms_base::StreamRole, at: DateTime<Utc>) -> Decision {
        let continuous = Decision {
            record: true,
            kind: FootageKind::Continuous,
            pre_buffer: chrono::TimeDelta::zero(),
            since: None,
        };
        let table = self.table.read().expect("modes lock should not be poisoned");
        let Some((settings, tz)) = table.get(&camera) else { return continuous };
        let camera_pre = chrono::TimeDelta::seconds(settings.pre_buffer_secs.into());
        let camera_post = chrono::TimeDelta::seconds(settings.post_buffer_secs.into());
        let events = |pre| self.events.active(camera, role.as_str(), at, pre, camera_post);
        match settings.mode {
            Mode::Continuous => continuous,
            Mode::Scheduled => {
                let now = Timestamp::from_microsecond(at.timestamp_micros()).unwrap_or_else(|_| Timestamp::now());
                if schedule::is_active(&settings.schedule, tz, now) {
                    return continuous;
                }
                // Outside its schedule an event still records it, with no
                // pre-buffer: nothing is held while a schedule is off.
                match events(chrono::TimeDelta::zero()) {
                    Some((since, _)) => Decision { kind: FootageKind::Event, since: Some(since), ..continuous },
                    None => Decision { record: false, ..continuous },
                }
            }
            Mode::Event => {
                let active = events(camera_pre);
                Decision {
                    record: active.is_some(),
                    kind: FootageKind::Event,
                    // Held for the camera's pre-buffer; kept as far back as the run asked.
                    pre_buffer: active.map_or(camera_pre, |(_, pre)| pre),
                    since: active.map(|(since, _)| since),
                }
            }
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
