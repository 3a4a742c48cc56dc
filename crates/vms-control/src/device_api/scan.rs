//! `POST /api/discovery/scan`, `GET /api/discovery/scan/{id}` and
//! `DELETE /api/discovery/scan/{id}`: WS-Discovery scans run in the
//! background, read while they run, and cancellable.
//!
//! Scanning probes the installation's networks, so it needs `camera.manage`
//! tenant-wide, and multicast (every network the installation is on, and
//! every tenant's devices there) needs a super-admin. Scans are kept in memory (a restart forgets them), belong to
//! their tenant, and are bounded: two running per tenant, eight in all, each
//! at most 1024 addresses at 200 a second, and finished ones forgotten after
//! 15 minutes (at most 16 kept per tenant). Progress, each device found and
//! the end also go to the tenant's events feeds (`GET /api/events/ws`) of
//! users who may scan, as `{"type": "discovery", …}` messages.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Mutex,
    time::Duration,
};

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{access::Permission, audit::Outcome, device, scope};
use vms_devices::discovery::{self, FoundDevice, ScanOptions, ScanUpdate};

use super::{
    Devices,
    model::{FoundDeviceView, ScanProgress, ScanStarted, ScanState, ScanView, StartScan},
};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
};

/// Running scans allowed per tenant.
const RUNNING_PER_TENANT: usize = 2;
/// Running scans allowed in all.
const RUNNING_IN_ALL: usize = 8;
/// Scans kept per tenant, running or finished.
const KEPT_PER_TENANT: usize = 16;
/// How long a finished scan stays readable.
const KEEP_FINISHED: chrono::TimeDelta = chrono::TimeDelta::minutes(15);
/// Addresses probed per second.
const PROBE_RATE: u32 = 200;
/// Most devices one scan records (a /22 holds 1022 hosts).
const MAX_DEVICES: usize = 1024;

/// One scan.
struct Scan {
    tenant: Uuid,
    state: ScanState,
    probed: usize,
    total: usize,
    devices: Vec<FoundDevice>,
    error: Option<String>,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    cancel: CancellationToken,
}

/// A scan's news for the events feed: `{"type": "discovery", "scan_id",
/// "state", "progress", "device"?}`, sent to the tenant's feeds whose user
/// may scan.
#[derive(Debug)]
pub struct ScanNote {
    /// The scan's tenant.
    pub tenant: Uuid,
    /// The message.
    pub message: serde_json::Value,
}

/// The scans control knows of.
pub struct ScanRegistry {
    scans: Mutex<HashMap<Uuid, Scan>>,
    /// Progress, devices and ends, for the events feed (live only).
    pub notes: tokio::sync::broadcast::Sender<std::sync::Arc<ScanNote>>,
}

impl Default for ScanRegistry {
    fn default() -> Self {
        ScanRegistry { scans: Mutex::default(), notes: tokio::sync::broadcast::channel(256).0 }
    }
}

impl ScanRegistry {
    /// Registers a new scan of `total` addresses for `tenant`, after
    /// forgetting old finished ones; refuses when too many run.
    fn admit(&self, tenant: Uuid, total: usize, now: DateTime<Utc>) -> Result<(Uuid, CancellationToken), ApiError> {
        let mut scans = self.scans.lock().expect("scans lock");
        scans.retain(|_, s| s.finished_at.is_none_or(|at| now - at < KEEP_FINISHED));
        let running = scans.values().filter(|s| s.state == ScanState::Running);
        let (mine, all) = running.fold((0, 0), |(m, a), s| (m + usize::from(s.tenant == tenant), a + 1));
        if mine >= RUNNING_PER_TENANT || all >= RUNNING_IN_ALL {
            return Err(ApiError::new(ErrorCode::ResourceExhausted, "too many scans are running; wait for one to end")
                .with_retry_after(Duration::from_secs(5)));
        }
        // Room for one more of this tenant: drop its oldest finished scans.
        let mut finished: Vec<(Uuid, DateTime<Utc>)> = scans
            .iter()
            .filter(|(_, s)| s.tenant == tenant && s.finished_at.is_some())
            .map(|(id, s)| (*id, s.started_at))
            .collect();
        finished.sort_by_key(|(_, at)| *at);
        let kept = scans.values().filter(|s| s.tenant == tenant).count();
        for (id, _) in finished.into_iter().take((kept + 1).saturating_sub(KEPT_PER_TENANT)) {
            scans.remove(&id);
        }
        let id = Uuid::new_v4();
        let cancel = CancellationToken::new();
        scans.insert(
            id,
            Scan {
                tenant,
                state: ScanState::Running,
                probed: 0,
                total,
                devices: Vec::new(),
                error: None,
                started_at: now,
                finished_at: None,
                cancel: cancel.clone(),
            },
        );
        Ok((id, cancel))
    }

    /// Changes scan `id` and tells the feeds, with `device` when one was just found.
    fn update(&self, id: Uuid, change: impl FnOnce(&mut Scan) -> Option<FoundDeviceView>) {
        let note = {
            let mut scans = self.scans.lock().expect("scans lock");
            let Some(scan) = scans.get_mut(&id) else { return };
            let device = change(scan);
            // No feed open: nothing to write the news for.
            if self.notes.receiver_count() == 0 {
                return;
            }
            let mut message = serde_json::json!({"type": "discovery", "scan_id": id, "state": scan.state,
                "progress": ScanProgress { probed: scan.probed, total: scan.total }});
            if let Some(device) = device {
                message["device"] = serde_json::json!(device);
            }
            ScanNote { tenant: scan.tenant, message }
        };
        // Nobody listening is fine: the scan is read with GET too.
        let _ = self.notes.send(std::sync::Arc::new(note));
    }

    /// The scan `id` of `tenant`, with the cameras already made from what it
    /// found (matched after the lock is let go, so a scan's task never waits on a reader).
    fn view(&self, tenant: Uuid, id: Uuid, known: &[(Uuid, String, Option<String>)]) -> Option<ScanView> {
        let (view, devices) = {
            let scans = self.scans.lock().expect("scans lock");
            let scan = scans.get(&id).filter(|s| s.tenant == tenant)?;
            let view = ScanView {
                id,
                state: scan.state,
                progress: ScanProgress { probed: scan.probed, total: scan.total },
                devices: Vec::new(),
                error: scan.error.clone(),
                started_at: scan.started_at,
                finished_at: scan.finished_at,
            };
            (view, scan.devices.clone())
        };
        let by_url: HashMap<&str, Uuid> = known.iter().map(|(camera, url, _)| (url.as_str(), *camera)).collect();
        let by_endpoint: HashMap<&str, Uuid> =
            known.iter().filter_map(|(camera, _, endpoint)| endpoint.as_deref().map(|e| (e, *camera))).collect();
        let camera_of = |d: &FoundDevice| {
            by_endpoint.get(d.endpoint.as_str()).or_else(|| by_url.get(d.device_url.as_str())).copied()
        };
        Some(ScanView { devices: devices.iter().map(|d| found_view(d, camera_of(d))).collect(), ..view })
    }

    /// Cancels scan `id` of `tenant`; false if there is none.
    fn cancel(&self, tenant: Uuid, id: Uuid) -> bool {
        let scans = self.scans.lock().expect("scans lock");
        match scans.get(&id).filter(|s| s.tenant == tenant) {
            Some(scan) => {
                scan.cancel.cancel();
                true
            }
            None => false,
        }
    }
}

fn found_view(d: &FoundDevice, camera_id: Option<Uuid>) -> FoundDeviceView {
    FoundDeviceView {
        address: d.address.to_string(),
        device_url: d.device_url.to_string(),
        endpoint: d.endpoint.clone(),
        manufacturer: d.manufacturer.clone(),
        model: d.hardware.clone(),
        name: d.name.clone(),
        location: d.location.clone(),
        scopes: d.scopes.clone(),
        camera_id,
    }
}

/// Starts a WS-Discovery scan of `ranges` (and the multicast group), which
/// runs in the background: read it with `GET /api/discovery/scan/{id}`.
/// Needs `camera.manage` tenant-wide, and a super-admin for multicast;
/// every address must be one the installation may connect to.
#[utoipa::path(post, operation_id = "startDiscoveryScan", path = "/api/discovery/scan", tag = "devices",
    request_body = StartScan,
    responses((status = 202, body = ScanStarted), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn start_scan(
    State(catalog): State<Catalog>,
    State(devices): State<Devices>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<StartScan>,
) -> Result<(StatusCode, Json<ScanStarted>), ApiError> {
    user.require(Permission::CameraManage)?;
    if body.multicast && !user.super_admin {
        return Err(ApiError::forbidden(
            "super-admin (multicast reaches every network and tenant of the installation)",
        ));
    }
    if body.ranges.len() > 64 {
        return Err(ApiError::invalid("ranges", "at most 64 ranges"));
    }
    let targets =
        discovery::parse_ranges(&body.ranges, discovery::MAX_TARGETS).map_err(|e| ApiError::invalid("ranges", e))?;
    if targets.is_empty() && !body.multicast {
        return Err(ApiError::invalid("ranges", "give ranges to probe, or multicast"));
    }
    for target in &targets {
        if let Err(refusal) = catalog.device_policy.check(SocketAddr::new(IpAddr::V4(*target), devices.discovery_port))
        {
            return Err(ApiError::invalid("ranges", format!("{target}: {refusal}")));
        }
    }
    let window = match body.window_secs {
        None => 3,
        Some(secs @ 1..=30) => secs,
        Some(_) => return Err(ApiError::invalid("window_secs", "must be 1 to 30")),
    };
    let total = targets.len();
    let (id, cancel) = devices.scans.admit(user.tenant_id, total, catalog.clock.now())?;
    let options = ScanOptions {
        targets,
        multicast: body.multicast,
        window: Duration::from_secs(window.into()),
        port: devices.discovery_port,
        rate: PROBE_RATE,
        max_devices: MAX_DEVICES,
    };
    let registry = devices.scans.clone();
    let clock = catalog.clock.clone();
    tokio::spawn(async move {
        let outcome = discovery::scan(options, cancel, |update| match update {
            ScanUpdate::Progress { probed, total } => registry.update(id, |s| {
                s.probed = probed;
                s.total = total;
                None
            }),
            ScanUpdate::Found(device) => registry.update(id, |s| {
                let view = found_view(&device, None);
                s.devices.push(*device);
                Some(view)
            }),
        })
        .await;
        registry.update(id, |s| {
            s.finished_at = Some(clock.now());
            match outcome {
                Ok(o) if o.cancelled => s.state = ScanState::Cancelled,
                Ok(_) => s.state = ScanState::Done,
                Err(e) => {
                    s.state = ScanState::Failed;
                    s.error = Some(e.to_string());
                }
            }
            None
        });
    });
    catalog
        .audit
        .record(
            audit::by(&user, &ip, "discovery.scan", Outcome::Success)
                .target("scan", id)
                .detail("ranges", body.ranges.join(" "))
                .detail("multicast", body.multicast.to_string()),
        )
        .await;
    Ok((StatusCode::ACCEPTED, Json(ScanStarted { id })))
}

/// Returns a scan of the caller's tenant: its state, progress and the
/// devices found so far, each with the camera already made from it.
#[utoipa::path(get, operation_id = "getDiscoveryScan", path = "/api/discovery/scan/{id}", tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Scan id")),
    responses((status = 200, body = ScanView), (status = 404, body = ErrorBody)))]
pub async fn get_scan(
    State(catalog): State<Catalog>,
    State(devices): State<Devices>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<ScanView>, ApiError> {
    user.require(Permission::CameraManage)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let known = device::known(&mut *tx, user.tenant_id).await?;
    drop(tx);
    devices
        .scans
        .view(user.tenant_id, id, &known)
        .map(Json)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such scan"))
}

/// Cancels a running scan (what it found so far stays readable).
#[utoipa::path(delete, operation_id = "cancelDiscoveryScan", path = "/api/discovery/scan/{id}", tag = "devices",
    params(("id" = uuid::Uuid, Path, description = "Scan id")),
    responses((status = 204, description = "cancelled"), (status = 404, body = ErrorBody)))]
pub async fn cancel_scan(
    State(catalog): State<Catalog>,
    State(devices): State<Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::CameraManage)?;
    if devices.scans.cancel(user.tenant_id, id) {
        catalog.audit.record(audit::by(&user, &ip, "discovery.cancel", Outcome::Success).target("scan", id)).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(ErrorCode::NotFound, "no such scan"))
    }
}
