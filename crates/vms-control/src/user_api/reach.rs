//! Whose account a caller may act on. Resetting a password, disabling,
//! changing or deleting an account that holds more than the caller would let
//! them take it over, so nobody acts on an account whose grants their own do
//! not cover, and only a super-admin acts on a super-admin.

use std::collections::HashMap;

use sqlx::PgConnection;
use vms_base::ErrorCode;
use vms_catalog::{access::Access, camera, user::User};

use crate::{auth::AuthUser, error::ApiError};

/// Refuses unless every permission `target` holds, at every scope, is held by
/// the caller at that scope or a wider one (see [`Access::covers`]).
pub(crate) async fn check_within_reach(
    db: &mut PgConnection,
    caller: &AuthUser,
    target: &User,
) -> Result<(), ApiError> {
    if caller.super_admin {
        return Ok(());
    }
    if target.super_admin {
        return Err(ApiError::new(ErrorCode::PermissionDenied, "only a super-admin may act on a super-admin"));
    }
    let held = Access::from_grants(target.grants.iter().map(|g| (g.scope, g.permissions.as_slice())));
    let sites: HashMap<_, _> = if held.cameras.is_empty() {
        HashMap::new()
    } else {
        camera::sites_of_cameras(&mut *db, target.tenant_id).await?.into_iter().collect()
    };
    if caller.access.covers(&held, |camera| sites.get(&camera).copied()) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::PermissionDenied, "this account holds permissions you do not"))
    }
}
