//! The control plane: the REST API, authentication, the catalog of sites and
//! cameras, and orchestration of the other planes.
//!
//! It owns the HTTP API (axum; OpenAPI generated from the handlers), access
//! and refresh tokens, the `Assignments` gRPC service that tells planes what to
//! do, and the view of plane health built from their NATS status reports. It
//! does not touch media: planes pull cameras themselves.
//!
//! Specs: RFC 7519 (JWT) with EdDSA (RFC 8037), RFC 6750 (bearer tokens).
//!
//! Its modules are private. The `vms` binary runs the plane with [`serve`]
//! and reaches [`rotate_token_key`] and [`generated_ca_path`]; handler tests
//! build the HTTP application alone with [`app`] over an [`AppState`] (and
//! [`openapi_document`]), and reach further in only through the hidden
//! `test_utils`.

mod alert_api;
mod alerts;
mod analytics_api;
mod api_key_api;
mod archive;
mod assignments;
mod audit;
mod audit_api;
mod auth;
mod body_limit;
mod bookmark_api;
mod camera_api;
mod device_api;
mod error;
mod etag;
mod event_api;
mod events;
mod export_api;
mod extract;
mod forwarded;
mod health_api;
mod idempotency;
mod layout_api;
mod license;
mod license_api;
mod list_query;
mod live_api;
mod locator;
mod maintenance;
mod metrics;
mod mqtt;
mod openapi;
mod planes;
mod playback_api;
mod ratelimit;
mod recording_api;
mod role_api;
mod routes;
mod rule_api;
mod rules;
mod security_headers;
mod site_api;
mod snapshot_api;
mod state;
mod stream_access;
mod tenant_api;
#[doc(hidden)]
pub mod test_utils;
mod ticket_api;
mod tls;
mod upstream;
mod user_api;
mod validate;
mod web;
mod webhook_api;

pub use state::AppState;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use anyhow::Context;
use axum::{Router, middleware};
use sqlx::PgPool;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tower_http::trace::TraceLayer;
use tracing::Instrument;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;
use vms_config::Config;

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
    /// The process's metrics registry, served on `metrics.control`.
    pub metrics: vms_metrics::Metrics,
}

/// Commits a scoped catalog transaction, turning a failure into an API error.
pub(crate) async fn commit(tx: vms_catalog::ScopedTx) -> Result<(), error::ApiError> {
    tx.commit().await.map_err(|e| vms_catalog::CatalogError::from(e).into())
}

/// Builds the API router and its OpenAPI document.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use crate::{
        api_key_api::handler as api_keys, audit_api::handler as audit, auth::handler as auth,
        camera_api::handler as cameras, event_api::handler as events, export_api::handler as exports,
        health_api::handler as health, layout_api::handler as layouts, license_api::handler as licenses,
        playback_api::handler as playback, recording_api::handler as recordings, role_api::handler as roles,
        site_api::handler as sites, snapshot_api::handler as snapshots, tenant_api::handler as tenants,
        ticket_api::handler as tickets, user_api::handler as users,
    };
    let api = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
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
        .routes(routes!(crate::device_api::onboard::onboard_camera))
        .routes(routes!(crate::device_api::nvr::list_nvrs, crate::device_api::nvr::import_nvr))
        .routes(routes!(crate::device_api::nvr::get_nvr, crate::device_api::nvr::delete_nvr))
        .routes(routes!(crate::device_api::nvr::sync_nvr))
        .routes(routes!(crate::device_api::scan::start_scan))
        .routes(routes!(crate::device_api::scan::get_scan, crate::device_api::scan::cancel_scan))
        .routes(routes!(crate::device_api::ptz::ptz_move))
        .routes(routes!(crate::device_api::ptz::ptz_stop))
        .routes(routes!(crate::device_api::ptz::ptz_absolute))
        .routes(routes!(crate::device_api::ptz::ptz_relative))
        .routes(routes!(crate::device_api::ptz::ptz_status))
        .routes(routes!(crate::device_api::ptz::list_presets, crate::device_api::ptz::create_preset))
        .routes(routes!(crate::device_api::ptz::delete_preset))
        .routes(routes!(crate::device_api::ptz::goto_preset))
        .routes(routes!(crate::device_api::ptz::ptz_home))
        .routes(routes!(tickets::issue_ticket))
        .routes(routes!(snapshots::snapshot))
        .routes(routes!(layouts::list_layouts))
        .routes(routes!(layouts::save_layout, layouts::delete_layout))
        .route("/api/live/{camera}/{role}/{*rest}", axum::routing::any(crate::live_api::proxy::forward))
        .routes(routes!(recordings::get_recording, recordings::set_recording))
        .routes(routes!(crate::analytics_api::handler::get_analytics, crate::analytics_api::handler::set_analytics))
        .routes(routes!(recordings::list_recordings))
        .routes(routes!(playback::playlist))
        .routes(routes!(playback::iframe_playlist))
        .routes(routes!(recordings::list_ranges))
        .routes(routes!(recordings::thumbnail))
        .routes(routes!(recordings::list_deleted))
        .routes(routes!(playback::file))
        .routes(routes!(events::search_events, events::post_event))
        .routes(routes!(events::event_histogram))
        .routes(routes!(events::get_event))
        .routes(routes!(crate::event_api::snapshot::event_snapshot))
        .routes(routes!(crate::event_api::feed::issue_feed_ticket))
        .routes(routes!(crate::event_api::feed::event_feed))
        .routes(routes!(events::acknowledge_event))
        .routes(routes!(crate::bookmark_api::handler::list_bookmarks, crate::bookmark_api::handler::create_bookmark))
        .routes(routes!(
            crate::bookmark_api::handler::get_bookmark,
            crate::bookmark_api::handler::update_bookmark,
            crate::bookmark_api::handler::delete_bookmark
        ))
        .routes(routes!(crate::bookmark_api::handler::lock_bookmark))
        .routes(routes!(crate::bookmark_api::handler::unlock_bookmark))
        .routes(routes!(crate::rule_api::handler::list_rules, crate::rule_api::handler::create_rule))
        .routes(routes!(
            crate::rule_api::handler::get_rule,
            crate::rule_api::handler::update_rule,
            crate::rule_api::handler::delete_rule
        ))
        .routes(routes!(crate::webhook_api::handler::list_webhooks, crate::webhook_api::handler::create_webhook))
        .routes(routes!(
            crate::webhook_api::handler::get_webhook,
            crate::webhook_api::handler::update_webhook,
            crate::webhook_api::handler::delete_webhook
        ))
        .routes(routes!(crate::webhook_api::handler::list_deliveries))
        .routes(routes!(crate::webhook_api::handler::redeliver))
        .routes(routes!(exports::create_export, crate::export_api::list::list_exports))
        .routes(routes!(exports::get_export, exports::delete_export))
        .routes(routes!(exports::export_file))
        .routes(routes!(exports::export_manifest))
        .routes(routes!(crate::export_api::key::export_key))
        .routes(routes!(licenses::get_license, licenses::install_license))
        .routes(routes!(crate::alert_api::handler::list_alert_rules))
        .routes(routes!(crate::alert_api::handler::update_alert_rule))
        .routes(routes!(crate::alert_api::handler::list_alerts))
        .routes(routes!(health::system))
        .routes(routes!(health::live))
        .routes(routes!(health::ready));
    let (router, mut doc) = api.split_for_parts();
    // Live video is forwarded, not routed here: its operations are described apart.
    doc.merge(<crate::live_api::doc::LiveDoc as utoipa::OpenApi>::openapi());
    openapi::complete(&mut doc);
    (router, doc)
}

/// Returns the OpenAPI document of the API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api().1
}

/// Retires the access-token signing key in `secrets_dir` (`vms admin
/// rotate-token-key`): control's next start signs with a new one, while
/// tokens of the old one stay valid until they expire. Returns the retired
/// key's id.
pub fn rotate_token_key(secrets_dir: &Path) -> anyhow::Result<String> {
    auth::tokens::TokenKeys::rotate(secrets_dir)
}

/// Returns where `self_signed` TLS keeps the local certificate authority
/// under `data_dir`: the certificate clients import to trust control.
pub fn generated_ca_path(data_dir: &Path) -> PathBuf {
    tls::GeneratedTls::in_dir(data_dir).ca
}

/// Builds the whole HTTP application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api();
    api.route_layer(middleware::from_fn_with_state(state.clone(), routes::authorize))
        .route_layer(middleware::from_fn_with_state(state.api_metrics.clone(), metrics::observe))
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
    vms_metrics::spawn_for(vms_base::Plane::Control, &config, state.api_metrics.registry().clone(), shutdown.clone())
        .await;
    tracing::info!(
        listen = %config.control.listen,
        scheme = config.control.scheme(),
        grpc = %config.control.grpc_listen,
        "control plane listening"
    );

    // `vms up`'s watchdog restarts a control whose heart stops (its runtime
    // stalled or the process stopped).
    if let Some(heart) = vms_base::watchdog::Heartbeat::from_env() {
        tokio::spawn(heart.run(Duration::from_secs(1), shutdown.clone()));
    }
    let (changes_tx, changes_rx) = watch::channel(0u64);
    let mut maintenance = events::spawn(&state, changes_tx.subscribe(), &shutdown);
    maintenance.extend(maintenance::spawn(&state, changes_tx, &shutdown));
    let mut tasks = tokio::task::JoinSet::new();
    let stream_access = stream_access::StreamAccessService::new(&state);
    let service = assignments::AssignmentService::new(state.catalog.db.clone(), changes_rx, shutdown.clone());
    let grpc_shutdown = shutdown.clone();
    let grpc_auth = tonic::service::InterceptorLayer::new(state.planes.internal_secret.server());
    tasks.spawn(
        async move {
            tonic::transport::Server::builder()
                .layer(grpc_auth)
                .add_service(
                    vms_proto::v1::assignments_server::AssignmentsServer::new(service)
                        .max_encoding_message_size(vms_proto::MAX_ASSIGNMENT_MESSAGE),
                )
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
    let nats = state.planes.nats.clone();
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
