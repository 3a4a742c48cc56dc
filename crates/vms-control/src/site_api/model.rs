//! Site request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::site::{NewSite, Site, SiteUpdate};

use crate::{error::ApiError, validate};

/// Body of `POST /api/sites`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Harbour depot", "description": "Warehouse and yard, Pier 4", "timezone": "Europe/Berlin"}))]
pub struct CreateSite {
    /// Name, unique within the tenant.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// IANA time zone (default `UTC`).
    #[serde(default)]
    pub timezone: Option<String>,
}

impl CreateSite {
    pub(crate) fn validate(self) -> Result<NewSite, ApiError> {
        Ok(NewSite {
            name: validate::name("name", &self.name, 200)?,
            description: validate::text("description", &self.description, 2000)?,
            timezone: validate::timezone("timezone", self.timezone.as_deref().unwrap_or("UTC"))?,
        })
    }
}

/// Body of `PATCH /api/sites/{id}`; absent fields stay unchanged.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Warehouse, yard and gatehouse, Pier 4", "timezone": "Europe/Berlin"}))]
pub struct UpdateSite {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New time zone.
    pub timezone: Option<String>,
}

impl UpdateSite {
    pub(crate) fn validate(self) -> Result<SiteUpdate, ApiError> {
        Ok(SiteUpdate {
            name: self.name.map(|n| validate::name("name", &n, 200)).transpose()?,
            description: self.description.map(|d| validate::text("description", &d, 2000)).transpose()?,
            timezone: self.timezone.map(|t| validate::timezone("timezone", &t)).transpose()?,
        })
    }
}

/// A site.
#[derive(Serialize, ToSchema)]
#[schema(example = site_example)]
pub struct SiteView {
    /// Id.
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// IANA time zone.
    pub timezone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<Site> for SiteView {
    fn from(s: Site) -> Self {
        Self {
            id: s.id,
            tenant_id: s.tenant_id,
            name: s.name,
            description: s.description,
            timezone: s.timezone,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// An example of [`SiteView`], for the API document.
fn site_example() -> serde_json::Value {
    serde_json::json!({
        "id": "3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f",
        "tenant_id": "9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4",
        "name": "Harbour depot",
        "description": "Warehouse and yard, Pier 4",
        "timezone": "Europe/Berlin",
        "created_at": "2026-11-20T09:05:12Z",
        "updated_at": "2026-11-20T09:05:12Z"
    })
}

/// A list of sites.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"items": [site_example()]}))]
pub struct SiteList {
    /// The sites, by name.
    pub items: Vec<SiteView>,
}
