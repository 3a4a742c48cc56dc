//! The recorder's archive: the footage it holds, served over HTTP on
//! `archive.listen` to the control plane, as the media plane serves live.
//!
//! Control authenticates the user (archive tickets, bearer tokens,
//! permissions, audit) and forwards to the recorder that holds the files
//! (each segment's `node_id` in the index); here every call must bear the
//! installation's internal secret, and is then trusted to name the tenant,
//! camera, stream and window it may reach. Reads of the index run under
//! that tenant's row level security, and a file is opened only under one of
//! this recorder's own storage roots.
//!
//! - `GET /archive/{camera}/{role}/playlist.m3u8`: an HLS playlist (fMP4,
//!   byte ranges) of a window ([`playlist`]), or its I-frame-only variant.
//! - `GET /archive/segments/{id}`: a file's bytes, within the window a
//!   playlist opened ([`span`], [`bytes`]).
//! - `GET /archive/{camera}/{role}/thumbnail.jpg`: the keyframe at or
//!   before a moment as a small JPEG ([`thumbnail`]).
//! - `/archive/exports...`: export jobs ([`export`]).

mod bytes;
pub mod export;
mod handler;
mod iframes;
mod playlist;
mod span;
mod thumbnail;
mod window;

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use anyhow::Context;
use axum::{
    Router,
    extract::{Request, State},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use vms_base::ErrorCode;
use vms_config::Config;
use vms_http::Refusal;
use vms_proto::auth::InternalSecret;

use export::registry::Exports;

/// What the archive's handlers share.
#[derive(Clone)]
pub(crate) struct Archive {
    db: PgPool,
    /// This recorder's node: files another node wrote are not opened here.
    node: Arc<str>,
    /// This recorder's storage roots: no file outside them is opened.
    roots: Arc<Vec<PathBuf>>,
    exports: Arc<Exports>,
    thumbnails: Arc<thumbnail::Thumbnails>,
    /// I-frame playlists being read at once (each reads a moof per fragment).
    iframe_reads: Arc<tokio::sync::Semaphore>,
}

/// A started archive listener.
pub struct ArchiveServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its exports, for the sweep.
    pub exports: Arc<Exports>,
}

/// Binds `config.archive.listen` and serves the archive of this node's
/// recorder until `shutdown`, telling the time by `clock`. Exports this node was running when its
/// recorder last stopped are marked failed first; the export sweep
/// ([`export::sweep::run`]) is the caller's to run.
pub async fn start(
    config: &Config,
    db: PgPool,
    secret: InternalSecret,
    clock: vms_base::clock::SharedClock,
    shutdown: CancellationToken,
) -> anyhow::Result<ArchiveServer> {
    let key =
        export::manifest::load_or_create_key(&config.secrets_dir()).context("failed to load the export signing key")?;
    let exports = Arc::new(
        Exports::new(config.data_dir.join("exports"), key, db.clone(), config.node_id.clone(), config.export.clone())
            .with_clock(clock),
    );
    exports.interrupt_stale().await.context("failed to mark interrupted exports")?;
    let roots = config.recording_roots().into_iter().map(|r| r.path).collect();
    let archive = Archive {
        db,
        node: config.node_id.as_str().into(),
        roots: Arc::new(roots),
        exports: exports.clone(),
        thumbnails: Arc::default(),
        iframe_reads: Arc::new(tokio::sync::Semaphore::new(2)),
    };
    let listen = config.archive.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to bind the archive on {listen} (archive.listen)"))?;
    let addr = listener.local_addr()?;
    // Control is the only caller, from one address, on behalf of every
    // viewer: the per-address cap and rate would throttle them all at once.
    // The listener keeps its total cap and its header and idle timeouts.
    let mut limits = config.limits.conn_limits();
    limits.max_per_address = limits.max_connections;
    (limits.new_per_second, limits.burst) = (u32::MAX, u32::MAX);
    let gate = vms_base::conn_limit::ConnGate::new(limits);
    let app = router(archive, secret);
    tracing::info!(%addr, "archive listening");
    let stopping = (exports.clone(), shutdown.clone());
    tokio::spawn(async move {
        stopping.1.cancelled().await;
        stopping.0.stop_all();
    });
    tokio::spawn(async move {
        if let Err(e) = vms_http::serve(listener, app, None, gate, shutdown).await {
            tracing::error!(error = %format!("{e:#}"), "archive listener failed");
        }
    });
    Ok(ArchiveServer { addr, exports })
}

fn router(archive: Archive, secret: InternalSecret) -> Router {
    Router::new()
        .route("/archive/{camera}/{role}/playlist.m3u8", get(handler::playlist))
        .route("/archive/{camera}/{role}/thumbnail.jpg", get(thumbnail::thumbnail))
        .route("/archive/segments/{id}", get(handler::segment_bytes))
        .route("/archive/exports", post(export::handler::create))
        .route("/archive/exports/{id}", get(export::handler::progress).delete(export::handler::remove))
        .route("/archive/exports/{id}/file", get(export::handler::file))
        .route("/archive/exports/{id}/manifest", get(export::handler::manifest))
        .with_state(archive)
        .layer(middleware::from_fn_with_state(secret, require_secret))
}

/// Refuses, as 401, every call without the internal secret.
async fn require_secret(State(secret): State<InternalSecret>, request: Request, next: Next) -> Response {
    let presented = request.headers().get(axum::http::header::AUTHORIZATION).map(|v| v.as_bytes());
    if presented.is_some_and(|p| secret.accepts(p)) {
        return next.run(request).await;
    }
    Refusal::new(ErrorCode::Unauthenticated, "the archive takes calls bearing the internal secret only").into_response()
}
