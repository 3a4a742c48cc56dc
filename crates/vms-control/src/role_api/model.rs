//! Role request and response bodies.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::role::Role;

/// Body of `POST /api/roles`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRole {
    /// Name, unique among the tenant's roles and the built-in ones.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Permissions the role grants: at most as many as exist; repeats are dropped.
    pub permissions: Vec<String>,
}

/// Body of `PATCH /api/roles/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRole {
    /// Free text.
    pub description: Option<String>,
    /// Replaces the permissions (as in [`CreateRole`]) and ends the sessions of
    /// the role's holders.
    pub permissions: Option<Vec<String>>,
}

/// A role.
#[derive(Serialize, ToSchema)]
pub struct RoleView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Granted permissions.
    pub permissions: Vec<String>,
    /// Built-in roles cannot be changed.
    pub built_in: bool,
}

impl From<Role> for RoleView {
    fn from(r: Role) -> Self {
        Self { id: r.id, name: r.name, description: r.description, permissions: r.permissions, built_in: r.built_in }
    }
}

/// Roles and every permission a role may carry.
#[derive(Serialize, ToSchema)]
pub struct RoleList {
    /// Built-in roles first, then custom ones, by name.
    pub items: Vec<RoleView>,
    /// Every permission, with what it allows.
    pub permissions: Vec<PermissionView>,
}

/// A permission.
#[derive(Serialize, ToSchema)]
pub struct PermissionView {
    /// Name, e.g. `camera.view_live`.
    pub name: &'static str,
    /// What it allows.
    pub description: &'static str,
}
