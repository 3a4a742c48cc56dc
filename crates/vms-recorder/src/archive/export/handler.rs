//! Export calls from control, which has checked `camera.export` on the
//! camera and audits what the user did; here the job runs, and its files
//! are read in the tenant control names.

use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vms_base::{ErrorCode, StreamRole};
use vms_catalog::{Scope, export, export::ExportJob, scope};
use vms_http::Refusal;

use super::{files, job, manifest::Watermark};
use crate::archive::{
    Archive, bytes,
    handler::{bad_query, refused},
    window,
};

/// What to export, and for whom.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreateExport {
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// Its name, for the manifest.
    pub camera_name: String,
    /// The stream.
    pub stream: StreamRole,
    /// The window.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
    /// Who asked.
    pub user_id: Uuid,
    /// Their user name, for the manifest.
    pub username: String,
    /// The text to burn into every picture (re-encoding them), which
    /// control fills from what it knows; absent for a plain copy.
    #[serde(default)]
    pub watermark: Option<Watermark>,
}

/// Where an export is on this recorder.
#[derive(Debug, Deserialize, Serialize)]
pub struct Progress {
    /// Its id.
    pub id: Uuid,
    /// Whether it runs here now.
    pub running: bool,
    /// Fraction done, 0 to 1 (0 when it does not run here): of the bytes
    /// copied, or of the pictures re-encoded for a watermarked export.
    pub progress: f64,
}

/// Starts an export of a window this recorder holds; 404 when nothing is
/// recorded in it, 409 when part of it lies on another node's recorder.
pub(crate) async fn create(
    State(archive): State<Archive>,
    Json(body): Json<CreateExport>,
) -> Result<(StatusCode, Json<Progress>), Refusal> {
    if body.end <= body.start {
        return Err(Refusal::new(ErrorCode::InvalidArgument, "end must be after start"));
    }
    let mut tx = scope::begin(&archive.db, Scope::Tenant(body.tenant_id)).await.map_err(refused)?;
    let recorded =
        window::recorded(&mut tx, body.camera_id, body.stream.as_str(), body.start, body.end).await.map_err(refused)?;
    drop(tx);
    let mut pieces = Vec::new();
    for f in &recorded {
        let fragments: Vec<_> = f.in_window(body.start, body.end).into_iter().cloned().collect();
        if fragments.is_empty() {
            continue;
        }
        let path = archive.file_of(&f.segment).ok_or_else(|| {
            let node = f.segment.node_id.as_deref().unwrap_or("unknown");
            Refusal::new(
                ErrorCode::FailedPrecondition,
                format!("part of this window is held by the recorder of node `{node}`; export it in parts"),
            )
        })?;
        pieces.push(job::Piece { path, init_len: f.init_len() as u64, fragments });
    }
    if pieces.is_empty() {
        return Err(Refusal::new(ErrorCode::NotFound, "nothing is recorded in this window"));
    }
    let job = archive
        .exports
        .start(job::Request {
            tenant_id: body.tenant_id,
            camera_id: body.camera_id,
            camera_name: body.camera_name,
            stream: body.stream.to_string(),
            start: body.start,
            end: body.end,
            user_id: body.user_id,
            username: body.username,
            watermark: body.watermark,
            pieces,
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(Progress { id: job.id, running: true, progress: job.progress() })))
}

/// How far an export got, if it runs here.
pub(crate) async fn progress(State(archive): State<Archive>, Path(id): Path<Uuid>) -> Json<Progress> {
    let job = archive.exports.job(id);
    Json(Progress { id, running: job.is_some(), progress: job.map_or(0.0, |j| j.progress()) })
}

/// The tenant an export call is made in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TenantQuery {
    tenant: Uuid,
}

async fn row(archive: &Archive, tenant: Uuid, id: Uuid) -> Result<ExportJob, Refusal> {
    let mut tx = scope::begin(&archive.db, Scope::Tenant(tenant)).await.map_err(refused)?;
    export::get(&mut *tx, tenant, id)
        .await
        .map_err(refused)?
        .ok_or_else(|| Refusal::new(ErrorCode::NotFound, format!("export {id} not found")))
}

/// Cancels a running export, or deletes a finished one and its files.
pub(crate) async fn remove(
    State(archive): State<Archive>,
    Path(id): Path<Uuid>,
    query: Result<Query<TenantQuery>, QueryRejection>,
) -> Result<StatusCode, Refusal> {
    let Query(q) = query.map_err(bad_query)?;
    let found = row(&archive, q.tenant, id).await?;
    if archive.exports.cancel(id) {
        return Ok(StatusCode::NO_CONTENT);
    }
    if found.status == "running" {
        return Err(Refusal::new(
            ErrorCode::FailedPrecondition,
            format!("export {id} runs on the recorder of node `{}`; cancel it there", found.node_id),
        ));
    }
    let mut tx = scope::begin(&archive.db, Scope::Tenant(q.tenant)).await.map_err(refused)?;
    export::delete(&mut *tx, id).await.map_err(refused)?;
    tx.commit().await.map_err(|e| refused(e.into()))?;
    files::remove(archive.exports.dir(), id);
    Ok(StatusCode::NO_CONTENT)
}

async fn download(
    archive: Archive,
    id: Uuid,
    query: Result<Query<TenantQuery>, QueryRejection>,
    headers: &HeaderMap,
    manifest: bool,
) -> Result<Response, Refusal> {
    let Query(q) = query.map_err(bad_query)?;
    let found = row(&archive, q.tenant, id).await?;
    if found.status != "done" {
        return Err(Refusal::new(ErrorCode::FailedPrecondition, format!("export {id} is {}, not done", found.status)));
    }
    let dir = archive.exports.dir();
    let (path, kind) = match manifest {
        false => (files::file_path(dir, id), "video/mp4"),
        true => (files::manifest_path(dir, id), "application/json"),
    };
    bytes::serve(&path, None, headers.get(header::RANGE).and_then(|v| v.to_str().ok()), kind).await
}

/// A finished export's MP4.
pub(crate) async fn file(
    State(archive): State<Archive>,
    Path(id): Path<Uuid>,
    query: Result<Query<TenantQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    download(archive, id, query, &headers, false).await
}

/// A finished export's signed manifest.
pub(crate) async fn manifest(
    State(archive): State<Archive>,
    Path(id): Path<Uuid>,
    query: Result<Query<TenantQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    download(archive, id, query, &headers, true).await
}
