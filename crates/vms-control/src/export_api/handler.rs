//! Export handlers. Permissions are declared in `routes.rs`; here
//! `camera.export` is checked against the camera. Jobs are visible to their
//! tenant only.

use axum::{
    Json,
    body::Body,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::TimeDelta;
use vms_base::ErrorCode;
use vms_catalog::{audit::Outcome, camera, scope};

use super::{
    job::{self, Piece, State as JobState},
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

const EXPORT: &str = "camera.export";
/// Longest window one export covers.
const MAX_EXPORT: TimeDelta = TimeDelta::hours(24);

fn no_such(id: uuid::Uuid) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("export {id} not found"))
}

/// Starts exporting a camera stream's window into one MP4 (needs
/// `camera.export` on the camera); poll it with `GET /api/exports/{id}`.
#[utoipa::path(post, path = "/api/exports", tag = "exports", security(("bearer" = [])), request_body = CreateExport,
    responses((status = 202, body = ExportView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
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
    if body.stream != "main" && body.stream != "sub" {
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
    let job = state.exports.start(job::Request {
        tenant_id: user.tenant_id,
        camera_id: cam.id,
        camera_name: cam.name.clone(),
        stream: body.stream.clone(),
        start,
        end,
        user_id: user.user_id,
        username: user.username.clone(),
        pieces,
    });
    let entry = audit::by(&user, &ip, "export.create", Outcome::Success)
        .target("camera", cam.id)
        .detail("export", job.id)
        .detail("stream", &body.stream)
        .detail("start", start.to_rfc3339())
        .detail("end", end.to_rfc3339());
    state.audit.record(entry).await;
    Ok((StatusCode::ACCEPTED, Json(ExportView::from(&*job))))
}

/// Returns an export's progress and, once done, its hash and downloads.
#[utoipa::path(get, path = "/api/exports/{id}", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, body = ExportView), (status = 404, body = ErrorBody)))]
pub async fn get_export(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<ExportView>, ApiError> {
    let job = state.exports.get(user.tenant_id, id).ok_or_else(|| no_such(id))?;
    Ok(Json(ExportView::from(&*job)))
}

/// Cancels a running export, or deletes a finished one.
#[utoipa::path(delete, path = "/api/exports/{id}", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_export(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    if !state.exports.remove(user.tenant_id, id) {
        return Err(no_such(id));
    }
    state.audit.record(audit::by(&user, &ip, "export.delete", Outcome::Success).detail("export", id)).await;
    Ok(StatusCode::NO_CONTENT)
}

async fn finished(state: &AppState, user: &AuthUser, id: uuid::Uuid) -> Result<std::sync::Arc<job::Job>, ApiError> {
    let job = state.exports.get(user.tenant_id, id).ok_or_else(|| no_such(id))?;
    match job.state() {
        JobState::Done(_) => Ok(job),
        _ => Err(ApiError::new(ErrorCode::FailedPrecondition, format!("export {id} is not done"))),
    }
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

/// Downloads a finished export's MP4.
#[utoipa::path(get, path = "/api/exports/{id}/file", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, content_type = "video/mp4", body = Vec<u8>), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn export_file(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    finished(&state, &user, id).await?;
    download(state.exports.file_path(id), "video/mp4", format!("export-{id}.mp4")).await
}

/// Downloads a finished export's signed manifest.
#[utoipa::path(get, path = "/api/exports/{id}/manifest", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, content_type = "application/json", body = String), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn export_manifest(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    finished(&state, &user, id).await?;
    download(state.exports.manifest_path(id), "application/json", format!("export-{id}.manifest.json")).await
}
