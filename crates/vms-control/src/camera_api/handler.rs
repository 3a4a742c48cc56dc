//! Camera handlers. Reading needs `camera.view_live`; changing needs `camera.manage`.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use uuid::Uuid;
use vms_bus::hot::StreamState;
use vms_catalog::camera::{self, Camera};

use super::model::{CameraList, CameraView, CreateCamera, ListCameras, UpdateCamera};
use crate::{
    AppState,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, IdPath},
};

/// Reads live stream state; an unreachable Redis makes every state `unknown`
/// rather than failing the request.
async fn states_of(state: &AppState, cameras: &[Camera]) -> HashMap<Uuid, StreamState> {
    let ids: Vec<Uuid> = cameras.iter().flat_map(|c| c.streams.iter().map(|s| s.id)).collect();
    match state.hot.stream_states(&ids).await {
        Ok(states) => states,
        Err(e) => {
            tracing::debug!(error = %format!("{e:#}"), "stream state unavailable");
            HashMap::new()
        }
    }
}

async fn view(state: &AppState, camera: Camera) -> CameraView {
    let states = states_of(state, std::slice::from_ref(&camera)).await;
    CameraView::new(camera, &states)
}

/// Lists the caller's cameras with their streams and live state.
#[utoipa::path(get, path = "/api/cameras", tag = "cameras", security(("bearer" = [])), params(ListCameras),
    responses((status = 200, body = CameraList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_cameras(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ListCameras>, QueryRejection>,
) -> Result<Json<CameraList>, ApiError> {
    user.require("camera.view_live")?;
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let cameras = camera::list(&state.db, user.tenant_id, query.site_id).await?;
    let states = states_of(&state, &cameras).await;
    Ok(Json(CameraList { items: cameras.into_iter().map(|c| CameraView::new(c, &states)).collect() }))
}

/// Adds a camera with its streams.
#[utoipa::path(post, path = "/api/cameras", tag = "cameras", security(("bearer" = [])), request_body = CreateCamera,
    responses((status = 201, body = CameraView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_camera(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<CreateCamera>,
) -> Result<(StatusCode, Json<CameraView>), ApiError> {
    user.require("camera.manage")?;
    let new = body.validate()?;
    let created = camera::create(&state.db, &state.credential_key, user.tenant_id, &new).await?;
    tracing::info!(camera_id = %created.id, user_id = %user.user_id, "camera created");
    Ok((StatusCode::CREATED, Json(view(&state, created).await)))
}

/// Returns one camera.
#[utoipa::path(get, path = "/api/cameras/{id}", tag = "cameras", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = CameraView), (status = 404, body = ErrorBody)))]
pub async fn get_camera(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<CameraView>, ApiError> {
    user.require("camera.view_live")?;
    let mut conn = state.db.acquire().await.map_err(vms_catalog::CatalogError::from)?;
    let found = camera::get(&mut conn, user.tenant_id, id).await?;
    drop(conn);
    Ok(Json(view(&state, found).await))
}

/// Changes a camera.
#[utoipa::path(patch, path = "/api/cameras/{id}", tag = "cameras", security(("bearer" = [])),
    request_body = UpdateCamera, params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = CameraView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_camera(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<UpdateCamera>,
) -> Result<Json<CameraView>, ApiError> {
    user.require("camera.manage")?;
    let change = body.validate()?;
    let updated = camera::update(&state.db, &state.credential_key, user.tenant_id, id, &change).await?;
    tracing::info!(camera_id = %id, user_id = %user.user_id, "camera updated");
    Ok(Json(view(&state, updated).await))
}

/// Deletes a camera and its streams.
#[utoipa::path(delete, path = "/api/cameras/{id}", tag = "cameras", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody)))]
pub async fn delete_camera(
    State(state): State<AppState>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    user.require("camera.manage")?;
    camera::delete(&state.db, user.tenant_id, id).await?;
    tracing::info!(camera_id = %id, user_id = %user.user_id, "camera deleted");
    Ok(StatusCode::NO_CONTENT)
}
