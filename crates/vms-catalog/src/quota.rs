//! Camera quotas: a tenant's own limit under the installation's licence.
//!
//! Adding a camera first takes [`lock_tenant_cameras`] (the tenant's row,
//! `FOR UPDATE`), then [`crate::camera::count_all_for_quota`] (an advisory
//! lock over every tenant). Always in that order, so concurrent additions in
//! one tenant queue on its row, additions in different tenants queue only on
//! the licence, and none deadlocks; both locks last until the transaction
//! ends, so two additions cannot both take the last place.

use sqlx::PgConnection;

use crate::{CatalogError, TenantId};

/// A tenant's cameras against its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantCameras {
    /// Cameras the tenant has now.
    pub configured: i64,
    /// Most it may have; `None` leaves only the licence's limit.
    pub quota: Option<i32>,
}

impl TenantCameras {
    /// Whether one more camera fits the tenant's quota.
    pub fn has_room(&self) -> bool {
        self.quota.is_none_or(|q| self.configured < i64::from(q))
    }
}

/// Locks the tenant's row until the transaction ends and counts its cameras.
/// Works in the tenant's own scope: it reads only that tenant's rows.
pub async fn lock_tenant_cameras(db: &mut PgConnection, tenant: TenantId) -> Result<TenantCameras, CatalogError> {
    read(db, tenant, "SELECT camera_quota FROM tenants WHERE id = $1 FOR UPDATE").await
}

/// Reads a tenant's cameras and quota without locking anything.
pub async fn tenant_cameras(db: &mut PgConnection, tenant: TenantId) -> Result<TenantCameras, CatalogError> {
    read(db, tenant, "SELECT camera_quota FROM tenants WHERE id = $1").await
}

async fn read(db: &mut PgConnection, tenant: TenantId, quota_query: &str) -> Result<TenantCameras, CatalogError> {
    let quota: Option<i32> = sqlx::query_scalar(quota_query)
        .bind(tenant)
        .fetch_optional(&mut *db)
        .await?
        .ok_or_else(|| CatalogError::not_found("tenant", tenant))?;
    let configured = sqlx::query_scalar("SELECT count(*) FROM cameras WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_one(&mut *db)
        .await?;
    Ok(TenantCameras { configured, quota })
}

#[cfg(test)]
mod tests {
    use super::TenantCameras;

    #[test]
    fn room_is_below_the_quota_or_unlimited() {
        assert!(TenantCameras { configured: 100, quota: None }.has_room());
        assert!(TenantCameras { configured: 2, quota: Some(3) }.has_room());
        assert!(!TenantCameras { configured: 3, quota: Some(3) }.has_room());
        assert!(!TenantCameras { configured: 0, quota: Some(0) }.has_room());
    }
}
