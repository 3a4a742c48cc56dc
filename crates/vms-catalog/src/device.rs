//! The device behind an onboarded camera (`camera_devices`): its device
//! service, identity, profiles, PTZ profile and sealed credentials.
//!
//! Credentials are sealed with the camera id as associated data, never
//! returned by [`get`]; [`credentials`] opens them for the requests control
//! makes to the device (PTZ, snapshots).

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{
    CatalogError, TenantId,
    credentials::{CredentialKey, Credentials},
};

/// A camera's device, without its credentials.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CameraDevice {
    /// The camera.
    pub camera_id: Uuid,
    /// `onvif`.
    pub protocol: String,
    /// What onboarding learnt.
    #[sqlx(flatten)]
    pub record: DeviceRecord,
    /// Whether credentials are stored.
    pub has_credentials: bool,
}

/// What onboarding learnt about a device.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DeviceRecord {
    /// The device service URL.
    pub device_url: String,
    /// The WS-Discovery endpoint reference, if known.
    pub endpoint: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware.
    pub firmware: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Main stream's profile.
    pub main_profile: Option<String>,
    /// Sub stream's profile.
    pub sub_profile: Option<String>,
    /// PTZ profile.
    pub ptz_profile: Option<String>,
    /// Snapshot URI.
    pub snapshot_url: Option<String>,
}

const COLUMNS: &str = "camera_id, protocol, device_url, endpoint, manufacturer, model, firmware, serial, \
     main_profile, sub_profile, ptz_profile, snapshot_url, credentials IS NOT NULL AS has_credentials";

/// The device of `camera`, if it was onboarded.
pub async fn get(db: impl PgExecutor<'_>, camera: Uuid) -> Result<Option<CameraDevice>, CatalogError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM camera_devices WHERE camera_id = $1"))
        .bind(camera)
        .fetch_optional(db)
        .await?)
}

/// The camera already made from this device in `tenant`: the same device
/// URL, or the same WS-Discovery endpoint reference when one is known. Not
/// by serial number: the device says what its serial is, and a device (or
/// a batch of cheap ones) claiming another's would take over its camera.
pub async fn find_camera(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    device: &DeviceRecord,
) -> Result<Option<Uuid>, CatalogError> {
    let found: Option<(Uuid,)> = sqlx::query_as(
        "SELECT camera_id FROM camera_devices WHERE tenant_id = $1 \
             AND (device_url = $2 OR ($3::text IS NOT NULL AND endpoint = $3)) \
         ORDER BY (device_url = $2) DESC LIMIT 1",
    )
    .bind(tenant)
    .bind(&device.device_url)
    .bind(&device.endpoint)
    .fetch_optional(db)
    .await?;
    Ok(found.map(|(id,)| id))
}

/// Every onboarded device URL and endpoint of `tenant` with its camera, to
/// say which found devices are already cameras.
pub async fn known(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
) -> Result<Vec<(Uuid, String, Option<String>)>, CatalogError> {
    Ok(sqlx::query_as("SELECT camera_id, device_url, endpoint FROM camera_devices WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_all(db)
        .await?)
}

/// Stores (or replaces) the device of `camera`, sealing `credentials`.
pub async fn put(
    db: &mut PgConnection,
    key: &CredentialKey,
    tenant: TenantId,
    camera: Uuid,
    device: &DeviceRecord,
    credentials: &Credentials,
) -> Result<(), CatalogError> {
    let sealed = key.seal(credentials, camera.as_bytes());
    sqlx::query(
        "INSERT INTO camera_devices (camera_id, tenant_id, protocol, device_url, endpoint, manufacturer, model, firmware, \
             serial, main_profile, sub_profile, ptz_profile, snapshot_url, credentials) \
         VALUES ($1, $2, 'onvif', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (camera_id) DO UPDATE SET device_url = EXCLUDED.device_url, endpoint = EXCLUDED.endpoint, \
             manufacturer = EXCLUDED.manufacturer, model = EXCLUDED.model, firmware = EXCLUDED.firmware, \
             serial = EXCLUDED.serial, main_profile = EXCLUDED.main_profile, sub_profile = EXCLUDED.sub_profile, \
             ptz_profile = EXCLUDED.ptz_profile, snapshot_url = EXCLUDED.snapshot_url, \
             credentials = EXCLUDED.credentials, updated_at = now()",
    )
    .bind(camera)
    .bind(tenant)
    .bind(&device.device_url)
    .bind(&device.endpoint)
    .bind(&device.manufacturer)
    .bind(&device.model)
    .bind(&device.firmware)
    .bind(&device.serial)
    .bind(&device.main_profile)
    .bind(&device.sub_profile)
    .bind(&device.ptz_profile)
    .bind(&device.snapshot_url)
    .bind(sealed)
    .execute(&mut *db)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.constraint() == Some("camera_devices_url_idx") => {
            CatalogError::Conflict("another camera already uses this device URL".into())
        }
        _ => CatalogError::from(e),
    })?;
    Ok(())
}

/// Opens the stored credentials of `camera`'s device.
pub async fn credentials(
    db: impl PgExecutor<'_>,
    key: &CredentialKey,
    camera: Uuid,
) -> Result<Option<Credentials>, CatalogError> {
    let found: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT credentials FROM camera_devices WHERE camera_id = $1")
            .bind(camera)
            .fetch_optional(db)
            .await?;
    match found.and_then(|(blob,)| blob) {
        Some(blob) => Ok(Some(key.open(&blob, camera.as_bytes())?)),
        None => Ok(None),
    }
}
