//! Whether one more camera fits: the tenant's quota, then the licence.

use vms_base::ErrorCode;
use vms_catalog::{ScopedTx, camera, quota};

use crate::{auth::AuthUser, error::ApiError, state::Catalog};

/// Checks the caller's tenant quota (against the tenant's own cameras) and
/// then the installation's licence (against every tenant's), holding both
/// locks in `tx` until it ends so concurrent additions queue behind it (see
/// [`vms_catalog::quota`]). The tenant's refusal states its own numbers; the
/// licence's gives installation-wide numbers to super-admins only.
pub(crate) async fn check_room_for_camera(
    catalog: &Catalog,
    user: &AuthUser,
    tx: &mut ScopedTx,
) -> Result<(), ApiError> {
    let tenant = quota::lock_tenant_cameras(tx, user.tenant_id).await?;
    if let Some(limit) = tenant.quota.filter(|_| !tenant.has_room()) {
        return Err(ApiError::new(
            ErrorCode::FailedPrecondition,
            format!(
                "camera quota reached: this tenant may have {limit} cameras and has {}; \
                 ask your system administrator for a larger quota",
                tenant.configured
            ),
        ));
    }
    let configured = camera::count_all_for_quota(tx).await?;
    catalog.licensing.check_camera_quota(configured, user.super_admin).await
}
