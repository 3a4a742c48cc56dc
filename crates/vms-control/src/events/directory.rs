//! The tenants and cameras events may concern, held in memory so the
//! consumer checks and enriches each message without a query. Reloaded when
//! the catalog changes (the catalog-change loop's revision), and when a
//! message names a tenant or camera it does not know, unless what it holds
//! was read after the message arrived (at most one such reload a second), so
//! an event of a camera created a moment ago is never refused.

use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};

use sqlx::PgPool;
use uuid::Uuid;
use vms_catalog::{Scope, event::EventSource, scope};

/// How often a miss may reload.
const MISS_RELOAD: Duration = Duration::from_secs(1);

/// Tenants and cameras, by id.
#[derive(Debug, Default)]
pub struct Directory {
    tenants: HashSet<Uuid>,
    cameras: HashMap<Uuid, EventSource>,
    loaded_at: Option<Instant>,
}

impl Directory {
    /// Replaces what is held.
    pub fn load(&mut self, tenants: Vec<Uuid>, cameras: Vec<EventSource>) {
        self.tenants = tenants.into_iter().collect();
        self.cameras = cameras.into_iter().map(|c| (c.camera_id, c)).collect();
        self.loaded_at = Some(Instant::now());
    }

    /// Reads every tenant and camera from the catalog.
    pub async fn reload(&mut self, db: &PgPool) -> Result<(), vms_catalog::CatalogError> {
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        let tenants = vms_catalog::tenant::list(&mut *tx).await?.into_iter().map(|t| t.id).collect();
        let cameras = vms_catalog::event::sources(&mut *tx).await?;
        drop(tx);
        self.load(tenants, cameras);
        Ok(())
    }

    /// Whether what is held was read at or after `moment`.
    pub fn loaded_since(&self, moment: Instant) -> bool {
        self.loaded_at.is_some_and(|at| at >= moment)
    }

    /// How long a miss must wait before it may reload (at most one reload a second).
    pub fn reload_wait(&self) -> Duration {
        self.loaded_at.map_or(Duration::ZERO, |at| MISS_RELOAD.saturating_sub(at.elapsed()))
    }

    /// Whether `tenant` exists.
    pub fn has_tenant(&self, tenant: Uuid) -> bool {
        self.tenants.contains(&tenant)
    }

    /// The camera `id`, if it exists (or was deleted and is remembered).
    pub fn camera(&self, id: Uuid) -> Option<&EventSource> {
        self.cameras.get(&id)
    }
}
