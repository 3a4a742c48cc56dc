//! `/api/cameras/{id}/ptz/...`: steering onboarded PTZ cameras.
//!
//! Needs `camera.ptz` on the camera (and `camera.manage` to store or remove
//! presets, which change the device). A camera's device is connected once
//! and kept for a few minutes (a joystick sends many moves), keyed by its
//! address and credentials so a change reconnects; credentials the device
//! refused are not tried again for [`AUTH_BACKOFF`], so a stale password
//! does not get the installation's address locked out by the camera. Moves
//! are limited to [`MOVES_PER_SECOND`] per camera (429 beyond, counted
//! before the device is contacted), and audited in aggregate once they
//! succeed: one `camera.ptz.move` record per user and camera every
//! [`MOVE_AUDIT_WINDOW`]; presets and home are audited one by one.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{access::Permission, audit::Outcome, camera, device, scope};
use vms_devices::{
    Credentials,
    onvif::{OnvifClient, PtzVector},
};

use super::{
    device_error, limits,
    model::{NewPreset, PresetList, PresetView, PtzMove, PtzPosition, PtzStatusView},
};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
};

/// Moves (of any kind) per camera per second.
pub const MOVES_PER_SECOND: u32 = 10;
/// One aggregate audit record per user and camera this often.
pub const MOVE_AUDIT_WINDOW: Duration = Duration::from_secs(300);
/// How long credentials a device refused are not tried again.
pub const AUTH_BACKOFF: Duration = Duration::from_secs(60);
/// How long a connected device is kept unused.
const KEEP_CONNECTED: Duration = Duration::from_secs(300);
/// Connected devices kept at most.
const MAX_CONNECTED: usize = 256;

/// A connected device, and what it was connected with.
struct Connected {
    client: Arc<OnvifClient>,
    key: [u8; 32],
    used: Instant,
}

/// Connected PTZ devices, per-camera move rates and the move audit windows.
#[derive(Default)]
pub struct PtzSessions {
    connected: Mutex<HashMap<Uuid, Connected>>,
    /// Per camera: the second's start and moves in it.
    rate: Mutex<HashMap<Uuid, (Instant, u32)>>,
    /// Per (user, camera): when a move was last audited.
    audited: Mutex<HashMap<(Uuid, Uuid), Instant>>,
    /// Per camera: when the device last refused these credentials.
    refused: Mutex<HashMap<Uuid, (Instant, [u8; 32])>>,
}

impl PtzSessions {
    /// Counts a move of `camera`; false past the limit.
    fn allow_move(&self, camera: Uuid) -> bool {
        let now = Instant::now();
        let mut rate = self.rate.lock().expect("rate lock");
        rate.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(1));
        let (_, count) = rate.entry(camera).or_insert((now, 0));
        *count += 1;
        *count <= MOVES_PER_SECOND
    }

    /// Whether this move starts a new audit window for `user` on `camera`.
    fn audit_due(&self, user: Uuid, camera: Uuid) -> bool {
        let now = Instant::now();
        let mut audited = self.audited.lock().expect("audit lock");
        audited.retain(|_, at| now.duration_since(*at) < MOVE_AUDIT_WINDOW);
        match audited.get(&(user, camera)) {
            Some(_) => false,
            None => {
                audited.insert((user, camera), now);
                true
            }
        }
    }
}

/// A PTZ camera ready for a command.
struct Target {
    client: Arc<OnvifClient>,
    profile: String,
    camera: Uuid,
    /// What the client was connected with.
    key: [u8; 32],
}

/// What a command asks of the caller and of the camera's rate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    /// Reads, and stop: `camera.ptz`, never counted.
    Look,
    /// A move: `camera.ptz`, counted against the camera's rate.
    Move,
    /// Storing or removing a preset: `camera.ptz` and `camera.manage`.
    Manage,
}

impl PtzSessions {
    /// A command's outcome as the API answers it. Refused credentials drop
    /// the connected device and are not tried again for [`AUTH_BACKOFF`],
    /// whichever command met the refusal.
    fn outcome<T>(&self, t: &Target, result: Result<T, vms_devices::DeviceError>) -> Result<T, ApiError> {
        if let Err(vms_devices::DeviceError::AuthFailed) = &result {
            self.connected.lock().expect("connected lock").remove(&t.camera);
            self.refused.lock().expect("refused lock").insert(t.camera, (Instant::now(), t.key));
        }
        result.map_err(device_error)
    }
}

/// Loads the camera, checks what `command` needs of the caller on it, counts
/// a move, and only then reaches its device (connected, or connecting).
async fn target(
    catalog: &Catalog,
    sessions: &PtzSessions,
    user: &AuthUser,
    id: Uuid,
    command: Command,
) -> Result<Target, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = camera::get(&mut tx, user.tenant_id, id).await?;
    user.require_on_camera(Permission::CameraPtz, found.site_id, id)?;
    if command == Command::Manage {
        user.require_on_camera(Permission::CameraManage, found.site_id, id)?;
    }
    let dev = device::get(&mut *tx, id).await?;
    let (Some(dev), Some(stored)) = (dev, device::credentials(&mut *tx, &catalog.credential_key, id).await?) else {
        return Err(ApiError::new(ErrorCode::FailedPrecondition, "the camera was not onboarded from a PTZ device"));
    };
    drop(tx);
    let Some(profile) = dev.record.ptz_profile else {
        return Err(ApiError::new(ErrorCode::FailedPrecondition, "the camera has no PTZ"));
    };
    if command == Command::Move {
        rate(sessions, id)?;
    }
    let key: [u8; 32] = Sha256::new()
        .chain_update(dev.record.device_url.as_bytes())
        .chain_update([0])
        .chain_update(stored.username.as_bytes())
        .chain_update([0])
        .chain_update(stored.password.as_bytes())
        .finalize()
        .into();
    let now = Instant::now();
    {
        let mut connected = sessions.connected.lock().expect("connected lock");
        connected.retain(|_, c| now.duration_since(c.used) < KEEP_CONNECTED);
        if let Some(c) = connected.get_mut(&id).filter(|c| c.key == key) {
            c.used = now;
            return Ok(Target { client: c.client.clone(), profile, camera: id, key });
        }
    }
    {
        let mut refused = sessions.refused.lock().expect("refused lock");
        refused.retain(|_, (at, _)| now.duration_since(*at) < AUTH_BACKOFF);
        if refused.get(&id).is_some_and(|(_, k)| *k == key) {
            return Err(device_error(vms_devices::DeviceError::AuthFailed));
        }
    }
    let url = url::Url::parse(&dev.record.device_url)
        .map_err(|_| ApiError::internal("a stored device URL does not parse"))?;
    let credentials = Credentials::new(stored.username, stored.password);
    let client = match OnvifClient::connect(url, credentials, limits(&catalog.device_policy)).await {
        Ok(client) => Arc::new(client),
        Err(e) => {
            if e == vms_devices::DeviceError::AuthFailed {
                sessions.refused.lock().expect("refused lock").insert(id, (now, key));
            }
            return Err(device_error(e));
        }
    };
    let mut connected = sessions.connected.lock().expect("connected lock");
    if connected.len() >= MAX_CONNECTED
        && let Some(oldest) = connected.iter().min_by_key(|(_, c)| c.used).map(|(id, _)| *id)
    {
        connected.remove(&oldest);
    }
    connected.insert(id, Connected { client: client.clone(), key, used: now });
    Ok(Target { client, profile, camera: id, key })
}

/// Counts a move of `camera` against its rate (after the caller is
/// authorised on it, before the device is contacted).
fn rate(sessions: &PtzSessions, camera: Uuid) -> Result<(), ApiError> {
    if sessions.allow_move(camera) {
        Ok(())
    } else {
        Err(ApiError::rate_limited("too many PTZ commands for this camera", Duration::from_secs(1)))
    }
}

/// Writes the aggregate audit record of a move that went through, when due.
async fn moved(catalog: &Catalog, sessions: &PtzSessions, user: &AuthUser, ip: &ClientIp, camera: Uuid) {
    if sessions.audit_due(user.user_id, camera) {
        catalog.audit.record(audit::by(user, ip, "camera.ptz.move", Outcome::Success).target("camera", camera)).await;
    }
}

fn in_range(field: &str, value: f32, low: f32, high: f32) -> Result<f32, ApiError> {
    if value.is_finite() && (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid(field, format!("must be between {low} and {high}")))
    }
}

fn vector(p: &PtzPosition, zoom_low: f32) -> Result<PtzVector, ApiError> {
    Ok(PtzVector {
        pan: in_range("pan", p.pan, -1.0, 1.0)?,
        tilt: in_range("tilt", p.tilt, -1.0, 1.0)?,
        zoom: in_range("zoom", p.zoom, zoom_low, 1.0)?,
    })
}

/// The camera id and preset token of a preset's path.
fn preset_path<'a>(id: &str, token: &'a str) -> Result<(Uuid, &'a str), ApiError> {
    let id = id.parse().map_err(|_| ApiError::invalid("id", "must be a UUID"))?;
    Ok((id, preset_token(token)?))
}

/// Audits something done to preset `token` of `camera`.
async fn audit_preset(catalog: &Catalog, user: &AuthUser, ip: &ClientIp, action: &str, camera: Uuid, token: &str) {
    catalog
        .audit
        .record(audit::by(user, ip, action, Outcome::Success).target("camera", camera).detail("token", token))
        .await;
}

/// Refuses preset tokens that are not short, plain words.
fn preset_token(token: &str) -> Result<&str, ApiError> {
    let plain = token.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if token.is_empty() || token.len() > 64 || !plain {
        return Err(ApiError::invalid("token", "must be 1–64 letters, digits, `_`, `-` or `.`"));
    }
    Ok(token)
}

/// Moves the camera at the given velocities until stopped (or `timeout_ms` passes).
#[utoipa::path(post, operation_id = "ptzMove", path = "/api/cameras/{id}/ptz/move", tag = "ptz", request_body = PtzMove,
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "moving"), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 504, body = ErrorBody)))]
pub async fn ptz_move(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<PtzMove>,
) -> Result<StatusCode, ApiError> {
    let velocity = PtzVector {
        pan: in_range("pan", body.pan, -1.0, 1.0)?,
        tilt: in_range("tilt", body.tilt, -1.0, 1.0)?,
        zoom: in_range("zoom", body.zoom, -1.0, 1.0)?,
    };
    let timeout = match body.timeout_ms {
        None => None,
        Some(ms @ 1..=60_000) => Some(Duration::from_millis(ms)),
        Some(_) => return Err(ApiError::invalid("timeout_ms", "must be 1 to 60000")),
    };
    let t = target(&catalog, &devices.ptz, &user, id, Command::Move).await?;
    devices.ptz.outcome(&t, t.client.continuous_move(&t.profile, velocity, timeout).await)?;
    moved(&catalog, &devices.ptz, &user, &ip, t.camera).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops pan, tilt and zoom.
#[utoipa::path(post, operation_id = "ptzStop", path = "/api/cameras/{id}/ptz/stop", tag = "ptz",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "stopped"), (status = 409, body = ErrorBody), (status = 504, body = ErrorBody)))]
pub async fn ptz_stop(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    // A stop is never rate-limited: it must always get through.
    let t = target(&catalog, &devices.ptz, &user, id, Command::Look).await?;
    devices.ptz.outcome(&t, t.client.stop(&t.profile).await)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves to a position: pan and tilt −1..1, zoom 0..1.
#[utoipa::path(post, operation_id = "ptzAbsoluteMove", path = "/api/cameras/{id}/ptz/absolute", tag = "ptz",
    request_body = PtzPosition, params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "moving"), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ptz_absolute(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<PtzPosition>,
) -> Result<StatusCode, ApiError> {
    let position = vector(&body, 0.0)?;
    let t = target(&catalog, &devices.ptz, &user, id, Command::Move).await?;
    devices.ptz.outcome(&t, t.client.absolute_move(&t.profile, position).await)?;
    moved(&catalog, &devices.ptz, &user, &ip, t.camera).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves by a translation from where the camera points, each −1..1.
#[utoipa::path(post, operation_id = "ptzRelativeMove", path = "/api/cameras/{id}/ptz/relative", tag = "ptz",
    request_body = PtzPosition, params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "moving"), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ptz_relative(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<PtzPosition>,
) -> Result<StatusCode, ApiError> {
    let translation = vector(&body, -1.0)?;
    let t = target(&catalog, &devices.ptz, &user, id, Command::Move).await?;
    devices.ptz.outcome(&t, t.client.relative_move(&t.profile, translation).await)?;
    moved(&catalog, &devices.ptz, &user, &ip, t.camera).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the camera points and whether it moves.
#[utoipa::path(get, operation_id = "ptzStatus", path = "/api/cameras/{id}/ptz/status", tag = "ptz",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = PtzStatusView), (status = 409, body = ErrorBody), (status = 504, body = ErrorBody)))]
pub async fn ptz_status(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<PtzStatusView>, ApiError> {
    let t = target(&catalog, &devices.ptz, &user, id, Command::Look).await?;
    let status = devices.ptz.outcome(&t, t.client.ptz_status(&t.profile).await)?;
    Ok(Json(PtzStatusView {
        pan: status.position.map(|p| p.pan),
        tilt: status.position.map(|p| p.tilt),
        zoom: status.position.map(|p| p.zoom),
        moving: status.moving,
    }))
}

/// The camera's presets.
#[utoipa::path(get, operation_id = "listPtzPresets", path = "/api/cameras/{id}/ptz/presets", tag = "ptz",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 200, body = PresetList), (status = 409, body = ErrorBody), (status = 504, body = ErrorBody)))]
pub async fn list_presets(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<PresetList>, ApiError> {
    let t = target(&catalog, &devices.ptz, &user, id, Command::Look).await?;
    let presets = devices.ptz.outcome(&t, t.client.presets(&t.profile).await)?;
    Ok(Json(PresetList {
        items: presets
            .into_iter()
            .map(|p| PresetView {
                token: vms_devices::soap::clip(&p.token, 64),
                name: p.name.map(|n| vms_devices::soap::clip(&n, 64)),
            })
            .collect(),
    }))
}

/// Stores where the camera points now as a preset (needs `camera.manage` on it too).
#[utoipa::path(post, operation_id = "createPtzPreset", path = "/api/cameras/{id}/ptz/presets", tag = "ptz",
    request_body = NewPreset, params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 201, body = PresetView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_preset(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<NewPreset>,
) -> Result<(StatusCode, Json<PresetView>), ApiError> {
    let name = crate::validate::name("name", &body.name, 64)?;
    let t = target(&catalog, &devices.ptz, &user, id, Command::Manage).await?;
    let token = devices.ptz.outcome(&t, t.client.set_preset(&t.profile, &name, None).await)?;
    let token = vms_devices::soap::clip(&token, 64);
    catalog
        .audit
        .record(
            audit::by(&user, &ip, "camera.ptz.preset_set", Outcome::Success)
                .target("camera", id)
                .detail("token", &token)
                .detail("name", &name),
        )
        .await;
    Ok((StatusCode::CREATED, Json(PresetView { token, name: Some(name) })))
}

/// Removes a preset (needs `camera.manage` on the camera too).
#[utoipa::path(delete, operation_id = "deletePtzPreset", path = "/api/cameras/{id}/ptz/presets/{token}", tag = "ptz",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("token" = String, Path, description = "Preset token")),
    responses((status = 204, description = "removed"), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_preset(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    Path((id, token)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, token) = preset_path(&id, &token)?;
    let t = target(&catalog, &devices.ptz, &user, id, Command::Manage).await?;
    devices.ptz.outcome(&t, t.client.remove_preset(&t.profile, token).await)?;
    audit_preset(&catalog, &user, &ip, "camera.ptz.preset_remove", id, token).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves to a preset.
#[utoipa::path(post, operation_id = "gotoPtzPreset", path = "/api/cameras/{id}/ptz/presets/{token}/goto", tag = "ptz",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("token" = String, Path, description = "Preset token")),
    responses((status = 204, description = "moving"), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn goto_preset(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    Path((id, token)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, token) = preset_path(&id, &token)?;
    let t = target(&catalog, &devices.ptz, &user, id, Command::Move).await?;
    devices.ptz.outcome(&t, t.client.goto_preset(&t.profile, token).await)?;
    audit_preset(&catalog, &user, &ip, "camera.ptz.preset_goto", id, token).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves to the home position.
#[utoipa::path(post, operation_id = "ptzHome", path = "/api/cameras/{id}/ptz/home", tag = "ptz",
    params(("id" = uuid::Uuid, Path, description = "Camera id")),
    responses((status = 204, description = "moving"), (status = 409, body = ErrorBody), (status = 504, body = ErrorBody)))]
pub async fn ptz_home(
    State(catalog): State<Catalog>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let t = target(&catalog, &devices.ptz, &user, id, Command::Move).await?;
    devices.ptz.outcome(&t, t.client.goto_home(&t.profile).await)?;
    catalog.audit.record(audit::by(&user, &ip, "camera.ptz.home", Outcome::Success).target("camera", id)).await;
    Ok(StatusCode::NO_CONTENT)
}
