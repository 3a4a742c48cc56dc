//! Licence response body.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use vms_license::Entitlement;

/// What the installation may do now.
#[derive(Serialize, ToSchema)]
pub struct LicenseView {
    /// `unlicensed`, `valid`, `grace`, `expired` or `invalid`.
    pub status: String,
    /// Cameras allowed now.
    pub max_cameras: u32,
    /// Cameras configured, across every tenant.
    pub cameras_in_use: i64,
    /// Features allowed now.
    pub features: Vec<String>,
    /// Licensee, if a licence is installed.
    pub customer: Option<String>,
    /// Licence id.
    pub license_id: Option<Uuid>,
    /// Licence expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// This installation's id (licences may be bound to it).
    pub installation_id: String,
    /// Why a licence is not in force, or a warning.
    pub message: Option<String>,
}

impl LicenseView {
    pub(crate) fn new(e: Entitlement, cameras_in_use: i64, installation_id: &str) -> Self {
        let status =
            serde_json::to_value(e.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self {
            status,
            max_cameras: e.max_cameras,
            cameras_in_use,
            features: e.features,
            customer: e.terms.as_ref().map(|t| t.customer.clone()),
            license_id: e.terms.as_ref().map(|t| t.license_id),
            expires_at: e.terms.as_ref().and_then(|t| t.expires_at),
            installation_id: installation_id.to_owned(),
            message: e.message,
        }
    }
}
