//! The state the handlers share, split by what uses it. A handler extracts
//! only the sub-states it touches (`State(catalog): State<Catalog>`, through
//! [`FromRef`]); middlewares, the background loops and the gRPC services
//! start from the whole [`AppState`].
//!
//! Every sub-state is cheap to clone (pools, channels and `Arc`s), since
//! extracting one clones it on every request. Handles several sub-states
//! need (Redis, NATS, the plane registry, the configuration) are shared, not
//! copied; what tests replace (the clock, the licence) lives in one place.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use vms_base::{Supervisor, clock::SharedClock};
use vms_bus::{Subjects, hot::HotState};
use vms_catalog::{audit::writer::AuditWriter, credentials::CredentialKey};
use vms_config::{Config, DevicePolicy};
use vms_proto::auth::InternalSecret;
use vms_ticket::{TicketSigner, TrustedKeys};

use crate::{
    ControlDeps,
    auth::{hashing::PasswordWork, pseudonym::Pseudonyms, tokens::TokenKeys},
    events::Events,
    license::Licensing,
    live_api::proxy::LiveRoutes,
    locator::Channels,
    planes::PlaneRegistry,
    web::WebApp,
};

/// The whole state of the control plane's HTTP application.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// The node's configuration, for the middlewares and background loops.
    #[from_ref(skip)]
    pub(crate) config: Arc<Config>,
    /// The catalog and its audit trail.
    pub(crate) catalog: Catalog,
    /// Sign-in, rate limits and revocation.
    pub(crate) auth: AuthState,
    /// The other planes, and control's own health.
    pub(crate) planes: Planes,
    /// Stream tickets and the recorders' archives.
    pub(crate) archive: Archive,
    /// The built web app.
    pub(crate) web: WebApp,
    /// The events pipeline.
    pub(crate) events: Events,
    /// Discovery scans and connected PTZ devices.
    pub(crate) devices: crate::device_api::Devices,
    /// The API's request figures, in the process's metrics registry.
    #[from_ref(skip)]
    pub(crate) api_metrics: crate::metrics::ApiMetrics,
}

/// The catalog, its audit trail, and the rules on what may be written to it.
/// Used by every resource handler (sites, cameras, users, roles, tenants,
/// layouts, API keys, audit search, recordings, exports, tickets, the
/// licence), mostly alone.
#[derive(Clone)]
pub struct Catalog {
    /// The catalog, as the application role.
    pub db: PgPool,
    /// The audit trail, written as the insert-only audit role.
    pub audit: AuditWriter,
    /// Tells control the time: it dates tickets, checks API keys' expiry and
    /// ages exports (tests set it).
    pub clock: SharedClock,
    /// Seals camera credentials.
    pub credential_key: Arc<CredentialKey>,
    /// Which camera addresses may be used.
    pub device_policy: Arc<DevicePolicy>,
    /// The licence in force, which bounds the cameras of every tenant.
    pub licensing: Arc<Licensing>,
}

/// What signs callers in and keeps them in bounds: access-token keys,
/// password hashing, the login and API rate limits and the session and
/// ticket revocation markers (Redis), and the revocation notices to the
/// media plane (NATS). Used, beside a [`Catalog`], by the auth, user, role
/// and tenant handlers that sign in, hash or revoke, by the authentication
/// middleware and by the `StreamAccess` service.
#[derive(Clone)]
pub struct AuthState {
    /// The node's configuration: token lifetimes and rate limits (`[control]`).
    pub config: Arc<Config>,
    /// Signs and verifies access tokens.
    pub tokens: Arc<TokenKeys>,
    /// Bounds concurrent Argon2id work (logins, resets, password changes).
    pub password_work: Arc<PasswordWork>,
    /// Labels the user names typed into failed logins without revealing them.
    pub pseudonyms: Arc<Pseudonyms>,
    /// Rate-limit counters, lockouts and revocation markers.
    pub hot: Arc<HotState>,
    /// Carries revocation notices to the media plane.
    pub nats: async_nats::Client,
    /// NATS subjects.
    pub subjects: Arc<Subjects>,
}

/// What control knows of the other planes and how it reaches them, and its
/// own health: the planes' status reports, the streams' live state (Redis),
/// one gRPC channel per plane and the secret they require, where each
/// stream's live egress was found, control's supervisor and NATS link. Used,
/// beside a [`Catalog`], by the camera views, snapshots, live forwarding and
/// the health endpoints, and by the plane status loop.
#[derive(Clone)]
pub struct Planes {
    /// The node's configuration: its id and planes, when a report is stale,
    /// the export limits shown by `/api/system`.
    pub config: Arc<Config>,
    /// Plane status reports.
    pub registry: Arc<PlaneRegistry>,
    /// The streams' live state, which names the node pulling each.
    pub hot: Arc<HotState>,
    /// NATS: plane status arrives on it; its connection is part of readiness.
    pub nats: async_nats::Client,
    /// NATS subjects.
    pub subjects: Arc<Subjects>,
    /// One gRPC channel per plane address.
    pub channels: Arc<Channels>,
    /// Sent with control's calls to the planes and required of theirs.
    pub internal_secret: InternalSecret,
    /// Where each stream's live egress was last found.
    pub live_routes: Arc<LiveRoutes>,
    /// Runs control's maintenance loops, restarting any that panics or fails;
    /// those failing make `/health/ready` report control not ready.
    pub supervisor: Supervisor,
    /// When this process started.
    pub started_at: DateTime<Utc>,
    /// The alerts raised now, for `/api/alerts` and `/health/ready`.
    pub alerts: crate::alerts::AlertBoard,
}

/// Stream tickets and the recorders' archives: signs tickets, checks the
/// ones players present (spent tickets and revocation markers in Redis), and
/// calls the recorder holding footage, found from the planes' status
/// reports. Used, beside a [`Catalog`], by ticket issuing, playback,
/// thumbnails and exports.
#[derive(Clone)]
pub struct Archive {
    /// The node's configuration: its id (its recorder is asked for footage of
    /// unknown node) and the tickets' lifetime.
    pub config: Arc<Config>,
    /// Plane status reports, which give the recorders' archive addresses.
    pub registry: Arc<PlaneRegistry>,
    /// Sent with every archive call.
    pub internal_secret: InternalSecret,
    /// Signs stream tickets.
    pub tickets: Arc<TicketSigner>,
    /// Checks the tickets players present to playback (every key published,
    /// not only the current one).
    pub ticket_keys: Arc<TrustedKeys>,
    /// Spent tickets and revocation markers.
    pub hot: Arc<HotState>,
}

impl AppState {
    /// Loads keys and opens connections; fails if the schema is behind this build.
    pub async fn new(config: Arc<Config>, deps: ControlDeps) -> anyhow::Result<Self> {
        vms_catalog::ensure_migrated(&deps.db).await?;
        vms_catalog::ensure_rls_enforced(&deps.db).await?;
        let secrets = config.secrets_dir();
        let ttl = Duration::from_secs(config.control.access_token_ttl_secs.into());
        let tokens = TokenKeys::load_or_create(&secrets, ttl).context("failed to load the token signing key")?;
        let credential_key = CredentialKey::load_or_create(&secrets)?;
        let internal_secret =
            InternalSecret::load_or_create(&secrets).context("failed to load the internal gRPC secret")?;
        let nats = vms_bus::nats::connect(&deps.nats_url, "vms-control").await?;
        let hot = Arc::new(HotState::new(&deps.redis_url, format!("{}:", deps.bus_prefix))?);
        let tickets = TicketSigner::load_or_create(&secrets).context("failed to load the ticket signing key")?;
        let ticket_keys = TrustedKeys::load(&secrets).context("failed to load the published ticket keys")?;
        let licensing = Licensing::load(&config.data_dir, vms_license::LicenseVerifier::builtin())
            .context("failed to load the licence")?;
        let audit_dir = config.data_dir.join("audit");
        let audit = AuditWriter::with_checkpoint(
            deps.audit_db,
            &audit_dir.join("journal.jsonl"),
            &audit_dir.join(vms_catalog::audit::checkpoint::CHECKPOINT_FILE),
            vms_catalog::audit::checkpoint::load_or_create_key(&secrets)
                .context("failed to load the audit checkpoint key")?,
        );
        let subjects = Arc::new(Subjects::new(deps.bus_prefix));
        let registry = Arc::new(PlaneRegistry::default());
        let catalog = Catalog {
            db: deps.db,
            audit,
            clock: vms_base::clock::SystemClock::shared(),
            credential_key: Arc::new(credential_key),
            device_policy: Arc::new(DevicePolicy::new(&config, Vec::new())),
            licensing: Arc::new(licensing),
        };
        let auth = AuthState {
            config: config.clone(),
            tokens: Arc::new(tokens),
            password_work: Arc::new(PasswordWork::new(config.control.password_hash_concurrency as usize)),
            pseudonyms: Arc::new(Pseudonyms::load_or_create(&secrets)?),
            hot: hot.clone(),
            nats: nats.clone(),
            subjects: subjects.clone(),
        };
        let archive = Archive {
            config: config.clone(),
            registry: registry.clone(),
            internal_secret: internal_secret.clone(),
            tickets: Arc::new(tickets),
            ticket_keys: Arc::new(ticket_keys),
            hot: hot.clone(),
        };
        let events = Events::new(nats.clone(), subjects.clone(), &config, &deps.metrics);
        let planes = Planes {
            config: config.clone(),
            registry,
            hot,
            nats,
            subjects,
            channels: Arc::default(),
            internal_secret,
            live_routes: Arc::default(),
            supervisor: Supervisor::default(),
            started_at: Utc::now(),
            alerts: crate::alerts::AlertBoard::new(&deps.metrics),
        };
        let api_metrics = crate::metrics::ApiMetrics::new(deps.metrics);
        let devices = crate::device_api::Devices::new(config.devices.discovery_port);
        Ok(Self { web: WebApp::find(&config), config, catalog, auth, planes, archive, events, devices, api_metrics })
    }
}
