//! Export handlers. Permissions are declared in `routes.rs`; here
//! `camera.export` is checked against the exported camera on every call, so
//! a grant on another site or camera reaches no export (403). Jobs are
//! catalog rows under tenant isolation: another tenant's id is not found.
//! Downloads are audited.

use axum::{
    Json,
    body::Body,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::TimeDelta;
use vms_base::{ErrorCode, ServiceError};
use vms_catalog::{audit::Outcome, camera, export::ExportJob, scope};

use super::{
    files,
    job::{self, Piece},
    model::{CreateExport, ExportView},
};
use crate::{
    AppState, audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    playback_api::window,
    recording_api::model::RangeQuery,
};
use vms_catalog::access::Permission;

const EXPORT: Permission = Permission::CameraExport;
/// Longest window one export covers.
const MAX_EXPORT: TimeDelta = TimeDelta::hours(24);

fn no_such(id: uuid::Uuid) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("export {id} not found"))
}

/// Starts exporting a camera stream's window into one MP4 (needs
/// `camera.export` on the camera); poll it with `GET /api/exports/{id}`.
/// Refused with 429 while the caller or the server runs as many exports as
/// allowed, and with 409 when exports would hold more than `export.max_bytes`.
#[utoipa::path(post, path = "/api/exports", tag = "exports", security(("bearer" = [])), request_body = CreateExport,
    responses((status = 202, body = ExportView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_export(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateExport>,
) -> Result<(StatusCode, Json<ExportView>), ApiError> {
    let (start, end) = RangeQuery { start: body.start, end: body.end }.window()?;
    if end - start > MAX_EXPORT {
        return Err(ApiError::invalid("end", "must be at most 24 hours after start"));
    }
    if body.stream.parse::<vms_base::StreamRole>().is_err() {
        return Err(ApiError::invalid("stream", "must be main or sub"));
    }
    let mut tx = scope::begin(&state.db, user.scope()).await?;
    let cam = camera::get(&mut tx, user.tenant_id, body.camera_id).await?;
    user.require_on_camera(EXPORT, cam.site_id, cam.id)?;
    let files = window::recorded(&mut tx, cam.id, &body.stream, start, end).await?;
    let pieces: Vec<Piece> = files
        .iter()
        .map(|f| Piece {
            path: std::path::Path::new(&f.segment.root).join(&f.segment.path),
            init_len: f.init_len() as u64,
            fragments: f.in_window(start, end).into_iter().cloned().collect(),
        })
        .filter(|p| !p.fragments.is_empty())
        .collect();
    drop(tx);
    if pieces.is_empty() {
        return Err(ApiError::new(ErrorCode::NotFound, "nothing is recorded in this window"));
    }
    let job = state
        .exports
        .start(job::Request {
            tenant_id: user.tenant_id,
            camera_id: cam.id,
            camera_name: cam.name.clone(),
            stream: body.stream.clone(),
            start,
            end,
            user_id: user.user_id,
            username: user.username.clone(),
            pieces,
        })
        .await?;
    let entry = audit::by(&user, &ip, "export.create", Outcome::Success)
        .target("camera", cam.id)
        .detail("export", job.id)
        .detail("stream", &body.stream)
        .detail("start", start.to_rfc3339())
        .detail("end", end.to_rfc3339());
    state.audit.record(entry).await;
    let row = ExportJob {
        id: job.id,
        tenant_id: user.tenant_id,
        camera_id: cam.id,
        user_id: user.user_id,
        stream: body.stream,
        start_time: start,
        end_time: end,
        status: "running".to_owned(),
        error: None,
        bytes: 0,
        sha256: None,
        created_at: chrono::Utc::now(),
        finished_at: None,
        expires_at: None,
    };
    Ok((StatusCode::ACCEPTED, Json(ExportView::new(&row, Some(&job)))))
}

/// Loads an export of the caller's tenant and checks `camera.export` on its
/// camera (a camera deleted since makes the export not found).
async fn authorized(
    state: &AppState,
    user: &AuthUser,
    id: uuid::Uuid,
) -> Result<(ExportJob, camera::Camera), ApiError> {
    let mut tx = scope::begin(&state.db, user.scope()).await?;
    let row = vms_catalog::export::get(&mut *tx, user.tenant_id, id).await?.ok_or_else(|| no_such(id))?;
    let cam = camera::get(&mut tx, user.tenant_id, row.camera_id).await.map_err(|e| match e.code() {
        ErrorCode::NotFound => no_such(id),
        _ => e.into(),
    })?;
    user.require_on_camera(EXPORT, cam.site_id, cam.id)?;
    Ok((row, cam))
}

/// Returns an export's progress and, once done, its hash and downloads.
#[utoipa::path(get, path = "/api/exports/{id}", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, body = ExportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_export(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<ExportView>, ApiError> {
    let (row, _) = authorized(&state, &user, id).await?;
    Ok(Json(ExportView::new(&row, state.exports.job(id).as_deref())))
}

/// Cancels a running export (it then shows as `cancelled`), or deletes a
/// finished one and its files.
#[utoipa::path(delete, path = "/api/exports/{id}", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn delete_export(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let (row, cam) = authorized(&state, &user, id).await?;
    if row.status == "running" {
        if !state.exports.cancel(id) {
            return Err(ApiError::new(
                ErrorCode::FailedPrecondition,
                format!("export {id} runs on another control node; cancel it there"),
            ));
        }
    } else {
        let mut tx = scope::begin(&state.db, user.scope()).await?;
        vms_catalog::export::delete(&mut *tx, id).await?;
        crate::commit(tx).await?;
        files::remove(state.exports.dir(), id);
    }
    let entry = audit::by(&user, &ip, "export.delete", Outcome::Success).target("camera", cam.id).detail("export", id);
    state.audit.record(entry).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks that an export the caller may reach has a file to download, and
/// audits the download of its `part` (`file` or `manifest`).
async fn downloadable(
    state: &AppState,
    user: &AuthUser,
    ip: &ClientIp,
    id: uuid::Uuid,
    part: &str,
) -> Result<(), ApiError> {
    let (row, cam) = authorized(state, user, id).await?;
    let due = row.expires_at.filter(|at| *at <= chrono::Utc::now());
    if row.status == "expired" || (row.status == "done" && due.is_some()) {
        let when = row.expires_at.map(|t| format!(" at {}", t.to_rfc3339())).unwrap_or_default();
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("export {id} expired{when} and its file was deleted; export the window again"),
        ));
    }
    if row.status != "done" {
        return Err(ApiError::new(ErrorCode::FailedPrecondition, format!("export {id} is {}, not done", row.status)));
    }
    let entry = audit::by(user, ip, "export.download", Outcome::Success)
        .target("camera", cam.id)
        .detail("export", id)
        .detail("part", part);
    state.audit.record(entry).await;
    Ok(())
}

async fn download(path: std::path::PathBuf, content_type: &str, name: String) -> Result<Response, ApiError> {
    let file =
        tokio::fs::File::open(&path).await.map_err(|e| ApiError::internal(format!("{}: {e}", path.display())))?;
    let len = file.metadata().await.map_err(ApiError::internal)?.len();
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CONTENT_LENGTH, len.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    Ok((headers, body).into_response())
}

/// Downloads a finished export's MP4 (audited as `export.download`); 404
/// once it has expired.
#[utoipa::path(get, path = "/api/exports/{id}/file", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, content_type = "video/mp4", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn export_file(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    downloadable(&state, &user, &ip, id, "file").await?;
    download(files::file_path(state.exports.dir(), id), "video/mp4", format!("export-{id}.mp4")).await
}

/// Downloads a finished export's signed manifest (audited as
/// `export.download`); 404 once it has expired.
#[utoipa::path(get, path = "/api/exports/{id}/manifest", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, content_type = "application/json", body = String), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn export_manifest(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    downloadable(&state, &user, &ip, id, "manifest").await?;
    let path = files::manifest_path(state.exports.dir(), id);
    download(path, "application/json", format!("export-{id}.manifest.json")).await
}
