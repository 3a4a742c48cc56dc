//! User request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::{
    access::GrantScope,
    user::{RoleGrant, User},
};

use crate::{error::ApiError, validate};

/// A role to grant: a role name (tenant-wide) or `{role, site_id?, camera_id?}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RoleInput {
    /// A role granted tenant-wide, e.g. `"viewer"`.
    Name(String),
    /// A role granted on one site or one camera.
    Scoped {
        /// Role name.
        role: String,
        /// Limit the grant to this site.
        site_id: Option<Uuid>,
        /// Limit the grant to this camera.
        camera_id: Option<Uuid>,
    },
}

/// Reads the grants of `roles`: at most [`validate::MAX_GRANTS`], each kept once.
pub(crate) fn grants(roles: &[RoleInput]) -> Result<Vec<(String, GrantScope)>, ApiError> {
    if roles.len() > validate::MAX_GRANTS {
        return Err(ApiError::invalid("roles", format!("must have at most {} entries", validate::MAX_GRANTS)));
    }
    let grants = roles
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            RoleInput::Name(name) => Ok((name.clone(), GrantScope::Tenant)),
            RoleInput::Scoped { role, site_id: None, camera_id: None } => Ok((role.clone(), GrantScope::Tenant)),
            RoleInput::Scoped { role, site_id: Some(site), camera_id: None } => {
                Ok((role.clone(), GrantScope::Site(*site)))
            }
            RoleInput::Scoped { role, site_id: None, camera_id: Some(cam) } => {
                Ok((role.clone(), GrantScope::Camera(*cam)))
            }
            RoleInput::Scoped { .. } => {
                Err(ApiError::invalid(&format!("roles[{i}]"), "name a site or a camera, not both"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    validate::unique("roles", &grants, validate::MAX_GRANTS)
}

/// Checks a new login name and returns it as stored: NFKC-normalised (so
/// full-width `ａｄｍｉｎ` is `admin`), then 1 to 100 ASCII letters, digits and
/// `._@-`, so that no name can pass for another in a different script. Names
/// are unique regardless of case, and login compares them regardless of case,
/// so names stored before this rule still log in.
pub(crate) fn username(value: &str) -> Result<String, ApiError> {
    let normal: String = value.nfkc().collect();
    let name = validate::name("username", &normal, 100)?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-')) {
        return Err(ApiError::invalid("username", "may use ASCII letters, digits and . _ @ - only"));
    }
    Ok(name)
}

/// Body of `POST /api/users`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "username": "j.meyer",
    "password": "Harbour-depot-2026",
    "display_name": "Jana Meyer",
    "roles": ["viewer", {"role": "operator", "site_id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f"}]
}))]
pub struct CreateUser {
    /// Login name, unique across the system regardless of case: ASCII
    /// letters, digits and `._@-` after NFKC normalisation.
    pub username: String,
    /// Initial password (at least 12 characters, two character classes).
    pub password: String,
    /// Full name.
    #[serde(default)]
    pub display_name: String,
    /// Tenant of the new user; only a super-admin may name another tenant. Default: the caller's.
    pub tenant_id: Option<Uuid>,
    /// Roles to grant: at most 256; repeats are dropped.
    #[serde(default)]
    pub roles: Vec<RoleInput>,
}

/// Body of `PATCH /api/users/{id}`; absent fields stay unchanged.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "display_name": "Jana Meyer-Schulz",
    "disabled": false,
    "roles": [{"role": "operator", "camera_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"}]
}))]
pub struct UpdateUser {
    /// Full name.
    pub display_name: Option<String>,
    /// Refuse (true) or allow (false) login; disabling ends the user's sessions.
    pub disabled: Option<bool>,
    /// Replaces every grant (as in [`CreateUser`]).
    pub roles: Option<Vec<RoleInput>>,
}

/// A granted role.
#[derive(Serialize, ToSchema)]
pub struct GrantView {
    /// Role name.
    pub role: String,
    /// `tenant`, `site` or `camera`.
    pub scope: String,
    /// Site or camera id, for scoped grants.
    pub scope_id: Option<Uuid>,
}

impl From<RoleGrant> for GrantView {
    fn from(g: RoleGrant) -> Self {
        Self { role: g.role, scope: g.scope.kind().to_owned(), scope_id: g.scope.id() }
    }
}

/// A user; never includes the password hash.
#[derive(Serialize, ToSchema)]
#[schema(example = user_example)]
pub struct UserView {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// Login name.
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Login refused.
    pub disabled: bool,
    /// May act in every tenant.
    pub super_admin: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
    /// Granted roles.
    pub roles: Vec<GrantView>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            tenant_id: u.tenant_id,
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            super_admin: u.super_admin,
            created_at: u.created_at,
            updated_at: u.updated_at,
            last_login_at: u.last_login_at,
            roles: u.grants.into_iter().map(GrantView::from).collect(),
        }
    }
}

/// An example of [`UserView`], for the API document.
fn user_example() -> serde_json::Value {
    serde_json::json!({
        "id": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        "tenant_id": "9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4",
        "username": "j.meyer",
        "display_name": "Jana Meyer",
        "disabled": false,
        "super_admin": false,
        "created_at": "2026-11-20T09:30:00Z",
        "updated_at": "2026-11-28T14:02:51Z",
        "last_login_at": "2026-12-03T07:58:12Z",
        "roles": [
            {"role": "viewer", "scope": "tenant", "scope_id": null},
            {"role": "operator", "scope": "site", "scope_id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f"}
        ]
    })
}

/// A list of users.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"items": [user_example()]}))]
pub struct UserList {
    /// The users, by name.
    pub items: Vec<UserView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A one-time password reset token, shown once.
#[derive(Serialize, ToSchema)]
pub struct PasswordResetView {
    /// Hand this to the user; it sets a password once via `POST /api/auth/reset-password`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_fold_to_one_ascii_spelling() {
        assert_eq!(username(" ｂｏｂ.smith@example-1 ").unwrap(), "bob.smith@example-1");
        assert_eq!(username("Ａｄｍｉｎ").unwrap(), "Admin", "case is kept; uniqueness ignores it");
        for lookalike in ["\u{0430}dmin", "admin\u{200b}", "jos\u{e9}", "a b", ""] {
            assert!(username(lookalike).is_err(), "{lookalike:?} must be refused");
        }
    }
}
