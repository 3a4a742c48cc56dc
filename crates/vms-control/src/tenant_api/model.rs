//! Tenant request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
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
#[schema(example = json!({
    "name": "Example Logistics",
    "admin": {"username": "it.admin@example.com", "password": "Harbour-depot-2026"},
    "camera_quota": 12
}))]
pub struct CreateTenant {
    /// Unique name.
    pub name: String,
    /// Creates this user with the `admin` role in the new tenant.
    pub admin: Option<TenantAdmin>,
    /// Most cameras the tenant may have, at most the licence's; absent or
    /// `null` leaves only the licence's limit.
    pub camera_quota: Option<u32>,
}

/// Body of `PATCH /api/tenants/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Example Logistics GmbH", "camera_quota": null, "event_retention_days": 90}))]
pub struct UpdateTenant {
    /// New unique name; absent keeps it.
    pub name: Option<String>,
    /// New camera quota, at most the licence's; `null` removes it (only the
    /// licence's limit is left), absent keeps it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<u32>, nullable)]
    pub camera_quota: Option<Option<u32>>,
    /// Days the tenant keeps its events (1 to 3650); absent keeps it.
    pub event_retention_days: Option<i32>,
}

/// Tells a field given as `null` (`Some(None)`) from an absent one (`None`,
/// through `#[serde(default)]`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
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
    /// Most cameras it may have; `null`: only the licence's limit applies.
    pub camera_quota: Option<i32>,
    /// Days its events are kept.
    pub event_retention_days: i32,
    /// The administrator created with it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_id: Option<Uuid>,
}

impl TenantView {
    /// The view of a stored tenant, with the administrator created with it.
    pub(crate) fn new(tenant: vms_catalog::tenant::Tenant, admin_id: Option<Uuid>) -> Self {
        Self {
            id: tenant.id,
            name: tenant.name,
            created_at: tenant.created_at,
            camera_quota: tenant.camera_quota,
            event_retention_days: tenant.event_retention_days,
            admin_id,
        }
    }
}

/// A list of tenants.
#[derive(Serialize, ToSchema)]
pub struct TenantList {
    /// The tenants, by name.
    pub items: Vec<TenantView>,
}
