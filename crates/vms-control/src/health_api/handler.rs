//! Liveness, readiness and the system overview.

use std::{collections::BTreeMap, time::Duration};

use axum::{Json, extract::State, http::StatusCode};
use futures::future::join_all;
use vms_base::Plane;
use vms_proto::v1::{StatusRequest, plane_client::PlaneClient};

use super::{
    model::{ComponentView, ExportsUsage, PlaneView, ReadyView, SystemReply, SystemView},
    tenant_view::tenant_system,
};
use crate::{
    auth::AuthUser,
    error::ApiError,
    planes::SeenPlane,
    state::{Catalog, Planes},
};
use vms_catalog::access::Permission;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// Answers while the process is alive.
#[utoipa::path(get, operation_id = "getLiveness", path = "/health/live", tag = "health", responses((status = 200, description = "alive")))]
pub async fn live() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "live" }))
}

fn component(result: Result<(), String>) -> ComponentView {
    match result {
        Ok(()) => ComponentView { ready: true, detail: None },
        Err(detail) => ComponentView { ready: false, detail: Some(detail) },
    }
}

pub(super) async fn infrastructure(catalog: &Catalog, planes: &Planes) -> BTreeMap<String, ComponentView> {
    let database = async {
        match tokio::time::timeout(CHECK_TIMEOUT, sqlx::query("SELECT 1").execute(&catalog.db)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(format!("query failed: {e}")),
            Err(_) => Err("timed out".to_owned()),
        }
    };
    let redis = async { planes.hot.ping().await.map_err(|e| format!("{e:#}")) };
    let (database, redis) = tokio::join!(database, redis);
    let nats = match planes.nats.connection_state() {
        async_nats::connection::State::Connected => Ok(()),
        other => Err(format!("connection {other}")),
    };
    BTreeMap::from([
        ("database".to_owned(), component(database)),
        ("redis".to_owned(), component(redis)),
        ("nats".to_owned(), component(nats)),
    ])
}

/// Returns the planes this node is configured to run, other than control.
pub(super) fn expected_planes(planes: &Planes) -> Vec<Plane> {
    planes.config.supervisor.planes.iter().copied().filter(|p| *p != Plane::Control).collect()
}

pub(super) fn stale_after(planes: &Planes) -> Duration {
    Duration::from_secs(planes.config.control.plane_stale_after_secs.into())
}

/// Whether control's own background tasks all run; `Err` names those restarting.
fn control_health(planes: &Planes) -> Result<(), String> {
    let alerts = planes.supervisor.alerts();
    if alerts.is_empty() { Ok(()) } else { Err(format!("critical: {}", alerts.join("; "))) }
}

/// 200 when the database, Redis, NATS, control's background tasks and every
/// plane are ready; otherwise 503 naming what is not.
#[utoipa::path(get, operation_id = "getReadiness", path = "/health/ready", tag = "health",
    responses((status = 200, body = ReadyView), (status = 503, body = ReadyView)))]
pub async fn ready(State(catalog): State<Catalog>, State(planes): State<Planes>) -> (StatusCode, Json<ReadyView>) {
    let mut components = infrastructure(&catalog, &planes).await;
    components.insert(Plane::Control.to_string(), component(control_health(&planes)));
    for plane in expected_planes(&planes) {
        components.insert(plane.to_string(), component(planes.registry.health(plane, stale_after(&planes))));
    }
    let mut alerts = BTreeMap::new();
    for alert in planes.alerts.active() {
        *alerts.entry(alert.severity.as_str().to_owned()).or_insert(0) += 1;
    }
    let not_ready: Vec<&str> = components.iter().filter(|(_, c)| !c.ready).map(|(n, _)| n.as_str()).collect();
    if not_ready.is_empty() {
        let body = ReadyView { code: "ready".to_owned(), message: "ready".to_owned(), components, alerts };
        (StatusCode::OK, Json(body))
    } else {
        let message = format!("not ready: {}", not_ready.join(", "));
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ReadyView { code: "unavailable".to_owned(), message, components, alerts }),
        )
    }
}

async fn probe_grpc(channels: &crate::locator::Channels, addr: &str, secret: &vms_proto::auth::InternalSecret) -> bool {
    let call = async {
        let channel = channels.to(addr).ok()?;
        let mut client = PlaneClient::with_interceptor(channel, secret.client());
        client.get_status(StatusRequest {}).await.ok()
    };
    matches!(tokio::time::timeout(Duration::from_secs(1), call).await, Ok(Some(_)))
}

/// `down` once a plane has not reported for `stale`, else `up` or `stopping`.
pub(super) fn plane_status(seen: &SeenPlane, stale: Duration) -> &'static str {
    if seen.age > stale {
        "down"
    } else if seen.report.state == vms_bus::status::PlaneState::Running {
        "up"
    } else {
        "stopping"
    }
}

async fn plane_view(seen: SeenPlane, stale: Duration, planes: &Planes) -> PlaneView {
    let status = plane_status(&seen, stale);
    let r = seen.report;
    let reachable = if status == "down" {
        None
    } else {
        Some(probe_grpc(&planes.channels, &r.grpc_addr, &planes.internal_secret).await)
    };
    PlaneView {
        plane: r.plane.to_string(),
        node_id: r.node_id,
        status: status.to_owned(),
        version: Some(r.version),
        pid: Some(r.pid),
        started_at: Some(r.started_at),
        last_report_secs: Some(seen.age.as_secs_f64()),
        assignments_revision: Some(r.assignments_revision),
        assigned_streams: Some(r.assigned_streams),
        control_connected: Some(r.control_connected),
        grpc_addr: Some(r.grpc_addr),
        grpc_reachable: reachable,
        alerts: r.alerts,
        analytics: r.analytics,
        storage: r.storage,
    }
}

fn never_seen(plane: Plane, node_id: &str) -> PlaneView {
    PlaneView { plane: plane.to_string(), node_id: node_id.to_owned(), status: "down".to_owned(), ..Default::default() }
}

/// For a super-admin: the planes (versions, status, process and gRPC
/// details), the infrastructure and what exports hold on this node. For a
/// tenant administrator: the planes' status, the infrastructure's readiness,
/// and the tenant's own cameras and streams ([`TenantSystemView`](super::model::TenantSystemView)).
#[utoipa::path(get, operation_id = "getSystem", path = "/api/system", tag = "system",
    responses((status = 200, body = SystemReply), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
pub async fn system(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    State(events): State<crate::events::Events>,
    user: AuthUser,
) -> Result<Json<SystemReply>, ApiError> {
    user.require(Permission::SystemManage)?;
    if !user.super_admin {
        return Ok(Json(SystemReply::Tenant(tenant_system(&catalog, &planes, &user).await)));
    }
    let node = planes.config.node_id.clone();
    let stale = stale_after(&planes);
    let seen = planes.registry.snapshot();
    let mut views = vec![PlaneView {
        plane: Plane::Control.to_string(),
        node_id: node.clone(),
        status: "up".to_owned(),
        version: Some(vms_base::VERSION.to_owned()),
        pid: Some(std::process::id()),
        started_at: Some(planes.started_at),
        last_report_secs: Some(0.0),
        assignments_revision: None,
        assigned_streams: None,
        control_connected: None,
        grpc_addr: Some(planes.config.control.grpc_listen.to_string()),
        grpc_reachable: Some(true),
        alerts: planes.supervisor.alerts(),
        analytics: Vec::new(),
        storage: Vec::new(),
    }];
    views.extend(join_all(seen.iter().cloned().map(|s| plane_view(s, stale, &planes))).await);
    for plane in expected_planes(&planes) {
        if !seen.iter().any(|s| s.report.plane == plane) {
            views.push(never_seen(plane, &node));
        }
    }
    let usage = async {
        let mut tx = vms_catalog::scope::begin(&catalog.db, vms_catalog::Scope::AllTenants).await?;
        vms_catalog::export::usage(&mut *tx).await
    };
    let (bytes, running) = match usage.await {
        Ok((bytes, running)) => (Some(bytes), Some(running)),
        Err(_) => (None, None),
    };
    let exports = ExportsUsage {
        bytes,
        max_bytes: planes.config.export.max_bytes,
        running,
        max_running: planes.config.export.max_running,
    };
    Ok(Json(SystemReply::Installation(SystemView {
        version: vms_base::VERSION.to_owned(),
        node_id: node,
        started_at: planes.started_at,
        planes: views,
        components: infrastructure(&catalog, &planes).await,
        exports,
        mqtt: events.mqtt.as_ref().map(|bridge| bridge.view()),
    })))
}
