//! What control's integration tests (`tests/`) reach inside the crate for:
//! the route table they walk, the state they read or replace, and the parts
//! they call directly. Not part of the API, and hidden from the docs.

use vms_base::{Supervisor, clock::SharedClock};
use vms_config::Config;
use vms_license::LicenseVerifier;
use vms_proto::auth::InternalSecret;

use crate::{AppState, auth::hashing::PasswordWork, license::Licensing, planes::PlaneRegistry};
pub use crate::{
    assignments::build_set as assignment_set,
    auth::{sweep::sweep_once, tokens::TokenKeys},
    idempotency::{caller_digest as idempotency_caller, digests as idempotency_digests},
    routes::{ROUTES, Requirement, documented, requirement},
    stream_access::StreamAccessService,
};

#[doc(hidden)]
impl AppState {
    /// Returns the node's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Returns the clock control tells the time by.
    pub fn clock(&self) -> &SharedClock {
        &self.catalog.clock
    }

    /// Makes control tell the time by `clock` (rebuild the router after).
    pub fn set_clock(&mut self, clock: SharedClock) {
        self.catalog.clock = clock;
    }

    /// Reloads the licence to trust what `verifier` accepts instead of the
    /// vendor's key (rebuild the router after).
    pub fn set_license_verifier(&mut self, verifier: LicenseVerifier) -> anyhow::Result<()> {
        self.catalog.licensing = Licensing::load(&self.config.data_dir, verifier)?.into();
        Ok(())
    }

    /// Returns the secret the planes require of control's calls.
    pub fn internal_secret(&self) -> &InternalSecret {
        &self.planes.internal_secret
    }

    /// Returns the process's metrics registry, with the API's figures in it.
    pub fn metrics(&self) -> &vms_metrics::Metrics {
        self.api_metrics.registry()
    }

    /// Returns the Redis hot state (rate limits, revocations, idempotency records).
    pub fn hot_state(&self) -> &vms_bus::hot::HotState {
        &self.auth.hot
    }

    /// Returns the planes' status reports, where tests record their own.
    pub fn plane_registry(&self) -> &PlaneRegistry {
        &self.planes.registry
    }

    /// Returns the supervisor of control's maintenance loops.
    pub fn supervisor(&self) -> &Supervisor {
        &self.planes.supervisor
    }

    /// Starts the events consumer and retention loop, as `serve` does;
    /// returns the sender of catalog revisions (bump it after catalog
    /// changes) and the loops' handles, which end with `shutdown`.
    pub fn start_events(
        &self,
        shutdown: &tokio_util::sync::CancellationToken,
    ) -> (tokio::sync::watch::Sender<u64>, Vec<tokio::task::JoinHandle<()>>) {
        let (changes, revisions) = tokio::sync::watch::channel(0u64);
        (changes, crate::events::spawn(self, revisions, shutdown))
    }

    /// Returns the NATS subjects control uses (its test-unique prefix).
    pub fn subjects(&self) -> &vms_bus::Subjects {
        &self.planes.subjects
    }

    /// Returns what the events consumer has stored and rejected so far:
    /// `(stored, updated, unchanged, rejected)`.
    pub fn event_counts(&self) -> (u64, u64, u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let s = &self.events.stats;
        (s.stored.load(Relaxed), s.updated.load(Relaxed), s.unchanged.load(Relaxed), s.rejected.load(Relaxed))
    }

    /// Returns the bound on Argon2id work, which counts it.
    pub fn password_work(&self) -> &PasswordWork {
        &self.auth.password_work
    }
}

/// How often control checks its alert rules.
pub const ALERT_EVERY: std::time::Duration = crate::alerts::runner::EVERY;
