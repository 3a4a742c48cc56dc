//! Export handlers. Permissions are declared in `routes.rs`; here
//! `camera.export` is checked against the exported camera on every call, so
//! a grant on another site or camera reaches no export (403). Jobs are
//! catalog rows under tenant isolation: another tenant's id is not found.
//! The recorder holding the footage makes and keeps the file
//! ([`crate::archive`]); control audits creations, deletions and downloads.

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, Method, StatusCode, header},
    response::Response,
};
use chrono::{SecondsFormat, TimeDelta};
use serde::Deserialize;
use vms_base::{ErrorCode, ServiceError};
use vms_catalog::{audit::Outcome, camera, export::ExportJob, recording, scope};

use super::model::{CreateExport, ExportView};
use crate::{
    archive::{self, Call},
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    recording_api::model::RangeQuery,
    state::{Archive, Catalog},
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
/// With `"watermark": true` the pictures are re-encoded (as H.264) with the
/// caller's user name, the export time and the camera's name burnt in, and
/// the signed manifest says so; otherwise they are copied as recorded.
/// Refused with 429 while the caller or the server runs as many exports as
/// allowed, and with 409 when exports would hold more than `export.max_bytes`.
#[utoipa::path(post, operation_id = "createExport", path = "/api/exports", tag = "exports", request_body = CreateExport,
    responses((status = 202, body = ExportView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_export(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
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
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // A deleted camera's footage is exported as long as retention keeps it.
    let cam = camera::for_archive(&mut *tx, user.tenant_id, body.camera_id).await?;
    user.require_on_camera(EXPORT, cam.site_id, cam.id)?;
    let nodes = recording::nodes_in_window(&mut *tx, cam.id, &body.stream, start, end).await?;
    drop(tx);
    // Files indexed before segments named their node (`None`) are the local recorder's.
    let known: Vec<&String> = nodes.iter().flatten().collect();
    let node = match known.as_slice() {
        _ if nodes.is_empty() => return Err(ApiError::new(ErrorCode::NotFound, "nothing is recorded in this window")),
        [] => None,
        [node] => Some((*node).clone()),
        several => {
            let names: Vec<&str> = several.iter().map(|n| n.as_str()).collect();
            return Err(ApiError::new(
                ErrorCode::FailedPrecondition,
                format!(
                    "this window's footage lies on the recorders of several nodes ({}); export it in parts",
                    names.join(", ")
                ),
            ));
        }
    };
    // The watermark's text is what control knows, never what the client says.
    let watermark = body.watermark.then(|| {
        let time = catalog.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
        serde_json::json!({"user": user.username, "time": time, "camera": cam.name})
    });
    let request = serde_json::json!({
        "tenant_id": user.tenant_id, "camera_id": cam.id, "camera_name": cam.name, "stream": body.stream,
        "start": start, "end": end, "user_id": user.user_id, "username": user.username, "watermark": watermark,
    });
    let call = Call {
        node: node.as_deref(),
        method: Method::POST,
        path: "/archive/exports".into(),
        range: None,
        json: Some(request),
    };
    let job: Started = archive::json(call.send(&archive).await?).await?;
    let entry = audit::by(&user, &ip, "export.create", Outcome::Success)
        .target("camera", cam.id)
        .detail("export", job.id)
        .detail("stream", &body.stream)
        .detail("start", start.to_rfc3339())
        .detail("end", end.to_rfc3339())
        .detail("watermark", body.watermark);
    catalog.audit.record(entry).await;
    let row = ExportJob {
        id: job.id,
        tenant_id: user.tenant_id,
        camera_id: cam.id,
        user_id: user.user_id,
        node_id: node.unwrap_or_default(),
        stream: body.stream,
        start_time: start,
        end_time: end,
        status: "running".to_owned(),
        error: None,
        bytes: 0,
        sha256: None,
        created_at: catalog.clock.now(),
        finished_at: None,
        expires_at: None,
    };
    Ok((StatusCode::ACCEPTED, Json(ExportView::new(&row, Some(job.progress)))))
}

/// Loads an export of the caller's tenant and checks `camera.export` on its
/// camera, deleted since or not (a camera whose footage retention removed
/// makes the export not found).
async fn authorized(
    catalog: &Catalog,
    user: &AuthUser,
    id: uuid::Uuid,
) -> Result<(ExportJob, camera::ArchiveCamera), ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let row = vms_catalog::export::get(&mut *tx, user.tenant_id, id).await?.ok_or_else(|| no_such(id))?;
    let cam = camera::for_archive(&mut *tx, user.tenant_id, row.camera_id).await.map_err(|e| match e.code() {
        ErrorCode::NotFound => no_such(id),
        _ => e.into(),
    })?;
    user.require_on_camera(EXPORT, cam.site_id, cam.id)?;
    Ok((row, cam))
}

/// Returns an export's progress and, once done, its hash and downloads.
#[utoipa::path(get, operation_id = "getExport", path = "/api/exports/{id}", tag = "exports",
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, body = ExportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_export(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<ExportView>, ApiError> {
    let (row, _) = authorized(&catalog, &user, id).await?;
    let progress = match row.status.as_str() {
        "running" => progress_of(&archive, &row).await,
        _ => None,
    };
    Ok(Json(ExportView::new(&row, progress)))
}

/// Cancels a running export (it then shows as `cancelled`), or deletes a
/// finished one and its files.
#[utoipa::path(delete, operation_id = "deleteExport", path = "/api/exports/{id}", tag = "exports",
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn delete_export(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let (row, cam) = authorized(&catalog, &user, id).await?;
    let call = Call {
        node: Some(&row.node_id),
        method: Method::DELETE,
        path: format!("/archive/exports/{id}?tenant={}", row.tenant_id),
        range: None,
        json: None,
    };
    match call.send(&archive).await {
        Ok(answer) if answer.status().is_success() => {}
        Ok(answer) => {
            return Err(archive::json::<serde_json::Value>(answer)
                .await
                .err()
                .unwrap_or_else(|| ApiError::internal("a recorder refused a deletion without saying why")));
        }
        // A finished export outlives its recorder being away: its row goes
        // now, and the recorder's sweep deletes the files no export owns.
        Err(e) if row.status != "running" && e.code() == ErrorCode::Unavailable => {
            let mut tx = scope::begin(&catalog.db, user.scope()).await?;
            vms_catalog::export::delete(&mut *tx, id).await?;
            crate::commit(tx).await?;
        }
        Err(e) => return Err(e),
    }
    let entry = audit::by(&user, &ip, "export.delete", Outcome::Success).target("camera", cam.id).detail("export", id);
    catalog.audit.record(entry).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks that an export the caller may reach has a file to download, and
/// audits the download of its `part` (`file` or `manifest`).
async fn downloadable(
    catalog: &Catalog,
    user: &AuthUser,
    ip: &ClientIp,
    id: uuid::Uuid,
    part: &str,
) -> Result<ExportJob, ApiError> {
    let (row, cam) = authorized(catalog, user, id).await?;
    let due = row.expires_at.filter(|at| *at <= catalog.clock.now());
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
    catalog.audit.record(entry).await;
    Ok(row)
}

/// What a recorder says of an export it started.
#[derive(Deserialize)]
struct Started {
    id: uuid::Uuid,
    progress: f64,
}

/// How far a running export got, asked of its recorder; `None` if it cannot say.
pub(super) async fn progress_of(archive: &Archive, row: &ExportJob) -> Option<f64> {
    #[derive(Deserialize)]
    struct Progress {
        progress: f64,
    }
    // Progress is a nicety: a slow recorder does not hold up the answer.
    let call = Call::get(Some(&row.node_id), format!("/archive/exports/{}", row.id)).send(archive);
    let answer = tokio::time::timeout(std::time::Duration::from_secs(3), call).await.ok()?.ok()?;
    archive::json::<Progress>(answer).await.ok().map(|p| p.progress)
}

/// Relays a finished export's `part` from its recorder, as a download named `name`.
async fn download(archive: &Archive, row: &ExportJob, part: &str, name: String) -> Result<Response, ApiError> {
    let path = format!("/archive/exports/{}/{part}?tenant={}", row.id, row.tenant_id);
    let mut answer = Call::get(Some(&row.node_id), path).send(archive).await?;
    if answer.status().is_success() {
        let disposition = format!("attachment; filename=\"{name}\"");
        answer
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(ApiError::internal)?);
    }
    Ok(answer)
}

/// Downloads a finished export's MP4 (audited as `export.download`); 404
/// once it has expired.
#[utoipa::path(get, operation_id = "downloadExport", path = "/api/exports/{id}/file", tag = "exports",
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, content_type = "video/mp4", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn export_file(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let row = downloadable(&catalog, &user, &ip, id, "file").await?;
    download(&archive, &row, "file", format!("export-{id}.mp4")).await
}

/// Downloads a finished export's signed manifest (audited as
/// `export.download`); 404 once it has expired.
#[utoipa::path(get, operation_id = "getExportManifest", path = "/api/exports/{id}/manifest", tag = "exports",
    params(("id" = uuid::Uuid, Path, description = "Export id")),
    responses((status = 200, content_type = "application/json", body = String), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn export_manifest(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let row = downloadable(&catalog, &user, &ip, id, "manifest").await?;
    download(&archive, &row, "manifest", format!("export-{id}.manifest.json")).await
}
