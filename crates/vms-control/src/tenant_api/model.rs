//! Tenant request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The first administrator of a new tenant.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantAdmin {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Body of `POST /api/tenants`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenant {
    /// Unique name.
    pub name: String,
    /// Creates this user with the `admin` role in the new tenant.
    pub admin: Option<TenantAdmin>,
}

/// Body of `PATCH /api/tenants/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTenant {
    /// New unique name.
    pub name: String,
}

/// A tenant.
#[derive(Serialize, ToSchema)]
pub struct TenantView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The administrator created with it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_id: Option<Uuid>,
}

/// A list of tenants.
#[derive(Serialize, ToSchema)]
pub struct TenantList {
    /// The tenants, by name.
    pub items: Vec<TenantView>,
}
