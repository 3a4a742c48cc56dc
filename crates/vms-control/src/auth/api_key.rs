//! Authenticating integrations by API key.
//!
//! A key works only while it is unrevoked, unexpired and its creator is
//! enabled; it grants the creator's *current* access restricted to the key's
//! permissions, so taking a role from the creator takes it from their keys.

use vms_catalog::{Scope, api_key, scope, user};

use super::{AuthUser, tokens::refresh_token_hash};
use crate::{error::ApiError, state::Catalog};

const INVALID: &str = "invalid or revoked API key";

/// Resolves an API key to the caller it acts for.
pub async fn authenticate(catalog: &Catalog, key: &str, ip: &str) -> Result<AuthUser, ApiError> {
    // The key names no tenant, so its lookup spans all of them.
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let found = api_key::find_usable(&mut *tx, &refresh_token_hash(key))
        .await?
        .ok_or_else(|| ApiError::unauthenticated(INVALID))?;
    let owner = user::get_auth(&mut *tx, found.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| ApiError::unauthenticated(INVALID))?;
    let access = user::access(&mut *tx, owner.id).await?.restricted_to(&found.permissions);
    api_key::touch(&mut *tx, found.id, ip).await?;
    crate::commit(tx).await?;
    Ok(AuthUser {
        user_id: owner.id,
        tenant_id: found.tenant_id,
        home_tenant_id: found.tenant_id,
        username: owner.username,
        super_admin: false,
        access,
        session: None,
        api_key: Some((found.id, found.name)),
    })
}
