//! `/api/system` as a tenant administrator sees it: planes' status and the
//! infrastructure's readiness, and the tenant's own cameras and streams.
//! Nothing here covers other tenants or names a process, address or node.

use std::collections::BTreeMap;

use vms_base::Plane;
use vms_catalog::{CatalogError, camera, quota, scope};

use super::{
    handler::{expected_planes, infrastructure, plane_status, stale_after},
    model::{PlaneStatusView, TenantCamerasView, TenantStreamsView, TenantSystemView},
};
use crate::{
    auth::AuthUser,
    state::{Catalog, Planes},
};

/// Builds the tenant's view; the parts read from the database are left out
/// while it cannot be read, as the infrastructure's readiness then says.
pub(super) async fn tenant_system(catalog: &Catalog, planes: &Planes, user: &AuthUser) -> TenantSystemView {
    let (cameras, streams) = match tenant_usage(catalog, planes, user).await {
        Ok((cameras, streams)) => (Some(cameras), Some(streams)),
        Err(e) => {
            tracing::debug!(error = %e, "tenant usage unavailable");
            (None, None)
        }
    };
    TenantSystemView {
        version: vms_base::VERSION.to_owned(),
        planes: plane_statuses(planes),
        components: infrastructure(catalog, planes).await.into_iter().map(|(name, c)| (name, c.ready)).collect(),
        cameras,
        streams,
    }
}

fn plane_statuses(planes: &Planes) -> Vec<PlaneStatusView> {
    let stale = stale_after(planes);
    let seen = planes.registry.snapshot();
    let status = |plane: Plane, status: &str| PlaneStatusView { plane: plane.to_string(), status: status.to_owned() };
    let mut statuses = vec![status(Plane::Control, "up")];
    statuses.extend(seen.iter().map(|s| status(s.report.plane, plane_status(s, stale))));
    for plane in expected_planes(planes) {
        if !seen.iter().any(|s| s.report.plane == plane) {
            statuses.push(status(plane, "down"));
        }
    }
    statuses
}

/// Reads the tenant's cameras (in its own scope) and its streams' live
/// status; an unreachable Redis makes every status `unknown`.
async fn tenant_usage(
    catalog: &Catalog,
    planes: &Planes,
    user: &AuthUser,
) -> Result<(TenantCamerasView, TenantStreamsView), CatalogError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let counted = quota::tenant_cameras(&mut tx, user.tenant_id).await?;
    let ids: Vec<uuid::Uuid> = camera::list(&mut tx, user.tenant_id, None)
        .await?
        .iter()
        .flat_map(|c| c.streams.iter().map(|s| s.id))
        .collect();
    drop(tx);
    let live = planes.hot.stream_states(&ids).await.unwrap_or_default();
    let mut by_status = BTreeMap::new();
    for id in &ids {
        let status = live.get(id).map_or("unknown", |s| s.status.as_str());
        *by_status.entry(status.to_owned()).or_insert(0) += 1;
    }
    Ok((
        TenantCamerasView { configured: counted.configured, quota: counted.quota },
        TenantStreamsView { total: ids.len(), by_status },
    ))
}
