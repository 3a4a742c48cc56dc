//! Role request and response bodies.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::role::Role;

/// Body of `POST /api/roles`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "gatehouse",
    "description": "Gate staff: live video and playback, no exports",
    "permissions": ["camera.view_live", "camera.view_archive", "event.read"]
}))]
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
#[schema(example = json!({
    "description": "Gate staff: live video, playback and PTZ",
    "permissions": ["camera.view_live", "camera.view_archive", "camera.ptz", "event.read"]
}))]
pub struct UpdateRole {
    /// Free text.
    pub description: Option<String>,
    /// Replaces the permissions (as in [`CreateRole`]) and ends the sessions of
    /// the role's holders.
    pub permissions: Option<Vec<String>>,
}

/// A role.
#[derive(Serialize, ToSchema)]
#[schema(example = role_example)]
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

/// An example of [`RoleView`], for the API document.
fn role_example() -> serde_json::Value {
    serde_json::json!({
        "id": "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d",
        "name": "gatehouse",
        "description": "Gate staff: live video and playback, no exports",
        "permissions": ["camera.view_live", "camera.view_archive", "event.read"],
        "built_in": false
    })
}

/// Roles and every permission a role may carry.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "items": [role_example()],
    "permissions": [
        {"name": "camera.view_live", "description": "watch live video and see cameras and sites"},
        {"name": "camera.view_archive", "description": "play back recordings"}
    ]
}))]
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
