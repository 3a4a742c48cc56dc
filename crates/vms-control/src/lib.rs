//! The control plane: the REST API, authentication, the catalog of sites and
//! cameras, and orchestration of the other planes.
//!
//! It owns the HTTP API (axum; OpenAPI generated from the handlers), access
//! and refresh tokens, the `Assignments` gRPC service that tells planes what to
//! do, and the view of plane health built from their NATS status reports. It
//! does not touch media: planes pull cameras themselves.
//!
//! Specs: RFC 7519 (JWT) with EdDSA (RFC 8037), RFC 6750 (bearer tokens).

pub mod api_key_api;
pub mod archive;
pub mod assignments;
pub mod audit;
pub mod audit_api;
pub mod auth;
pub mod body_limit;
pub mod camera_api;
pub mod error;
pub mod export_api;
pub mod extract;
pub mod forwarded;
pub mod health_api;
pub mod layout_api;
pub mod license;
pub mod license_api;
pub mod live_api;
pub mod locator;
mod maintenance;
pub mod openapi;
pub mod planes;
pub mod playback_api;
pub mod ratelimit;
pub mod recording_api;
pub mod role_api;
pub mod routes;
pub mod security_headers;
pub mod site_api;
pub mod snapshot_api;
pub mod stream_access;
pub mod tenant_api;
pub mod ticket_api;
pub mod tls;
pub mod upstream;
pub mod user_api;
mod validate;
pub mod web;

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use axum::{Router, middleware};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tower_http::trace::TraceLayer;
use tracing::Instrument;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;
use vms_bus::{Subjects, hot::HotState};
use vms_catalog::{audit::writer::AuditWriter, credentials::CredentialKey};
use vms_config::Config;

use crate::{auth::tokens::TokenKeys, planes::PlaneRegistry};

/// Connections control needs, resolved by the caller (the binary or a test).
#[derive(Debug, Clone)]
pub struct ControlDeps {
    /// The catalog, as the application role.
    pub db: PgPool,
    /// The audit trail, as the insert-only audit role.
    pub audit_db: PgPool,
    /// NATS URL.
    pub nats_url: String,
    /// Redis URL.
    pub redis_url: String,
    /// Prefix of NATS subjects and Redis keys (`vms` in production, unique per test).
    pub bus_prefix: String,
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The node's configuration.
    pub config: Arc<Config>,
    /// The catalog.
    pub db: PgPool,
    /// Signs and verifies access tokens.
    pub tokens: Arc<TokenKeys>,
    /// Bounds concurrent Argon2id work (logins, resets, password changes).
    pub password_work: Arc<auth::hashing::PasswordWork>,
    /// Labels the user names typed into failed logins without revealing them.
    pub pseudonyms: Arc<auth::pseudonym::Pseudonyms>,
    /// Which camera addresses may be used.
    pub device_policy: Arc<vms_config::DevicePolicy>,
    /// Seals camera credentials.
    pub credential_key: Arc<CredentialKey>,
    /// Hot stream state.
    pub hot: HotState,
    /// NATS.
    pub nats: async_nats::Client,
    /// NATS subjects.
    pub subjects: Subjects,
    /// Plane status reports.
    pub planes: Arc<PlaneRegistry>,
    /// The audit trail.
    pub audit: AuditWriter,
    /// Signs stream tickets.
    pub tickets: Arc<vms_ticket::TicketSigner>,
    /// Checks the tickets players present to playback (every key published, not only the current one).
    pub ticket_keys: Arc<vms_ticket::TrustedKeys>,
    /// The licence in force.
    pub licensing: Arc<license::Licensing>,
    /// Where each stream's live egress was last found.
    pub live_routes: Arc<live_api::proxy::LiveRoutes>,
    /// One gRPC channel per plane address.
    pub channels: Arc<locator::Channels>,
    /// Sent with control's calls to the planes and required of theirs.
    pub internal_secret: vms_proto::auth::InternalSecret,
    /// Built web app, if present.
    pub web_dir: Option<PathBuf>,
    /// When this process started.
    pub started_at: DateTime<Utc>,
    /// Tells the time to what dates tickets and ages exports (tests set it).
    pub clock: vms_base::clock::SharedClock,
    /// Runs control's maintenance loops, restarting any that panics or fails;
    /// those failing make `/health/ready` report control not ready.
    pub supervisor: vms_base::Supervisor,
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
        let internal_secret = vms_proto::auth::InternalSecret::load_or_create(&secrets)
            .context("failed to load the internal gRPC secret")?;
        let nats = vms_bus::nats::connect(&deps.nats_url, "vms-control").await?;
        let hot = HotState::new(&deps.redis_url, format!("{}:", deps.bus_prefix))?;
        let tickets =
            vms_ticket::TicketSigner::load_or_create(&secrets).context("failed to load the ticket signing key")?;
        let ticket_keys =
            vms_ticket::TrustedKeys::load(&secrets).context("failed to load the published ticket keys")?;
        let licensing = license::Licensing::load(&config.data_dir, vms_license::LicenseVerifier::builtin())
            .context("failed to load the licence")?;
        let password_work =
            Arc::new(auth::hashing::PasswordWork::new(config.control.password_hash_concurrency as usize));
        let device_policy = Arc::new(vms_config::DevicePolicy::new(&config, Vec::new()));
        let audit_dir = config.data_dir.join("audit");
        let audit = AuditWriter::with_checkpoint(
            deps.audit_db,
            &audit_dir.join("journal.jsonl"),
            &audit_dir.join(vms_catalog::audit::checkpoint::CHECKPOINT_FILE),
            vms_catalog::audit::checkpoint::load_or_create_key(&secrets)
                .context("failed to load the audit checkpoint key")?,
        );
        Ok(Self {
            audit,
            tickets: Arc::new(tickets),
            ticket_keys: Arc::new(ticket_keys),
            licensing: Arc::new(licensing),
            web_dir: web::web_dir(&config),
            config,
            db: deps.db,
            tokens: Arc::new(tokens),
            password_work,
            device_policy,
            pseudonyms: Arc::new(auth::pseudonym::Pseudonyms::load_or_create(&secrets)?),
            credential_key: Arc::new(credential_key),
            hot,
            nats,
            subjects: Subjects::new(deps.bus_prefix),
            planes: Arc::default(),
            live_routes: Arc::default(),
            channels: Arc::default(),
            internal_secret,
            supervisor: vms_base::Supervisor::default(),
            started_at: Utc::now(),
            clock: vms_base::clock::SystemClock::shared(),
        })
    }
}

/// Commits a scoped catalog transaction, turning a failure into an API error.
pub(crate) async fn commit(tx: vms_catalog::ScopedTx) -> Result<(), error::ApiError> {
    tx.commit().await.map_err(|e| vms_catalog::CatalogError::from(e).into())
}

/// Builds the API router and its OpenAPI document.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use crate::{
        api_key_api::handler as api_keys, audit_api::handler as audit, auth::handler as auth,
        camera_api::handler as cameras, export_api::handler as exports, health_api::handler as health,
        layout_api::handler as layouts, license_api::handler as licenses, playback_api::handler as playback,
        recording_api::handler as recordings, role_api::handler as roles, site_api::handler as sites,
        snapshot_api::handler as snapshots, tenant_api::handler as tenants, ticket_api::handler as tickets,
        user_api::handler as users,
    };
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::reset_password))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::get_user, users::update_user, users::delete_user))
        .routes(routes!(users::issue_password_reset))
        .routes(routes!(roles::list_roles, roles::create_role))
        .routes(routes!(roles::update_role, roles::delete_role))
        .routes(routes!(tenants::list_tenants, tenants::create_tenant))
        .routes(routes!(tenants::update_tenant, tenants::delete_tenant))
        .routes(routes!(audit::search_audit))
        .routes(routes!(api_keys::list_api_keys, api_keys::create_api_key))
        .routes(routes!(api_keys::revoke_api_key))
        .routes(routes!(sites::list_sites, sites::create_site))
        .routes(routes!(sites::get_site, sites::update_site, sites::delete_site))
        .routes(routes!(cameras::list_cameras, cameras::create_camera))
        .routes(routes!(cameras::get_camera, cameras::update_camera, cameras::delete_camera))
        .routes(routes!(tickets::issue_ticket))
        .routes(routes!(snapshots::snapshot))
        .routes(routes!(layouts::list_layouts))
        .routes(routes!(layouts::save_layout, layouts::delete_layout))
        .route("/api/live/{camera}/{role}/{*rest}", axum::routing::any(crate::live_api::proxy::forward))
        .routes(routes!(recordings::get_recording, recordings::set_recording))
        .routes(routes!(recordings::list_recordings))
        .routes(routes!(playback::playlist))
        .routes(routes!(playback::iframe_playlist))
        .routes(routes!(recordings::list_ranges))
        .routes(routes!(recordings::thumbnail))
        .routes(routes!(recordings::list_deleted))
        .routes(routes!(playback::file))
        .routes(routes!(exports::create_export))
        .routes(routes!(exports::get_export, exports::delete_export))
        .routes(routes!(exports::export_file))
        .routes(routes!(exports::export_manifest))
        .routes(routes!(licenses::get_license, licenses::install_license))
        .routes(routes!(health::system))
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .split_for_parts()
}

/// Returns the OpenAPI document of the API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api().1
}

/// Builds the whole HTTP application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api();
    api.route_layer(middleware::from_fn_with_state(state.clone(), routes::authorize))
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .fallback(web::fallback)
        .layer(middleware::from_fn(extract::refuse_nul_in_uri))
        .layer(middleware::from_fn_with_state(
            body_limit::BodyBudget::new(state.config.limits.max_buffered_body_mib),
            body_limit::read_whole_body,
        ))
        .layer(middleware::from_fn(error::log_errors))
        .layer(middleware::from_fn_with_state(
            state.config.control.tls.mode != vms_config::TlsMode::Off,
            security_headers::add,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), forwarded::resolve))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Names a request's span by method and loggable path: never the query or a
/// ticket in the path, whatever the log level.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = %error::loggable_path(request.uri().path()))
}

/// Runs the control plane until `shutdown` is cancelled.
pub async fn serve(config: Arc<Config>, deps: ControlDeps, shutdown: CancellationToken) -> anyhow::Result<()> {
    let state = AppState::new(config.clone(), deps).await?;
    let tls = tls::server_config(&config).await?;
    let http = tokio::net::TcpListener::bind(config.control.listen)
        .await
        .with_context(|| format!("failed to bind HTTP on {}", config.control.listen))?;
    let grpc = tokio::net::TcpListener::bind(config.control.grpc_listen)
        .await
        .with_context(|| format!("failed to bind gRPC on {}", config.control.grpc_listen))?;
    tracing::info!(
        listen = %config.control.listen,
        scheme = config.control.scheme(),
        grpc = %config.control.grpc_listen,
        "control plane listening"
    );

    let (changes_tx, changes_rx) = watch::channel(0u64);
    let maintenance = maintenance::spawn(&state, changes_tx, &shutdown);
    let mut tasks = tokio::task::JoinSet::new();
    let stream_access = stream_access::StreamAccessService::new(state.clone());
    let service = assignments::AssignmentService::new(state.db.clone(), changes_rx, shutdown.clone());
    let grpc_shutdown = shutdown.clone();
    let grpc_auth = tonic::service::InterceptorLayer::new(state.internal_secret.server());
    tasks.spawn(
        async move {
            tonic::transport::Server::builder()
                .layer(grpc_auth)
                .add_service(vms_proto::v1::assignments_server::AssignmentsServer::new(service))
                .add_service(vms_proto::v1::stream_access_server::StreamAccessServer::new(stream_access))
                .serve_with_incoming_shutdown(
                    tokio_stream::wrappers::TcpListenerStream::new(grpc),
                    grpc_shutdown.cancelled_owned(),
                )
                .await
                .context("gRPC server failed")
        }
        .instrument(tracing::info_span!("grpc")),
    );
    let nats = state.nats.clone();
    let http_shutdown = shutdown.clone();
    let gate = vms_base::conn_limit::ConnGate::new(config.limits.conn_limits());
    let span = tracing::info_span!("http", scheme = config.control.scheme());
    tasks.spawn(
        async move { vms_http::serve(http, app(state), tls, gate, http_shutdown).await.context("HTTP server failed") }
            .instrument(span),
    );

    let mut result = Ok(());
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined.map_err(anyhow::Error::from).and_then(|r| r) {
            tracing::error!(error = %format!("{e:#}"), "control task failed; stopping");
            shutdown.cancel();
            if result.is_ok() {
                result = Err(e);
            }
        }
    }
    // Every maintenance loop watches the same token, so they end promptly too.
    for task in maintenance {
        let _ = task.await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), nats.flush()).await;
    tracing::info!("control plane stopped");
    result
}
