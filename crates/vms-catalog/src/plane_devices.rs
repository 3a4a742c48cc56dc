//! The devices whose alarms the media plane subscribes to, read across
//! tenants: onboarded ONVIF cameras and imported NVRs, each with the
//! enabled cameras its alarms belong to.
//!
//! Like [`crate::plane_streams`], this is the system's own view for
//! orchestration: it returns sealed credentials (bound to the device id)
//! for the plane to open on its node.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::CatalogError;

/// A device and the cameras its alarms are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaneDevice {
    /// The onboarded camera's id, or the NVR's.
    pub device_id: Uuid,
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// `onvif`, `hikvision` or `dahua`.
    pub protocol: String,
    /// ONVIF device service URL, or the NVR's base URL.
    pub address: String,
    /// Credentials sealed for `device_id`, if any.
    pub sealed_credentials: Option<Vec<u8>>,
    /// Its enabled cameras: id, name and NVR channel (`None` for a camera's own device).
    pub cameras: Vec<(Uuid, String, Option<u32>)>,
}

#[derive(sqlx::FromRow)]
struct Row {
    device_id: Uuid,
    tenant_id: Uuid,
    protocol: String,
    address: String,
    credentials: Option<Vec<u8>>,
    camera_id: Uuid,
    camera_name: String,
    channel: Option<i32>,
}

/// Every device with at least one enabled camera, by device id.
pub async fn enabled_devices(db: impl PgExecutor<'_>) -> Result<Vec<PlaneDevice>, CatalogError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.camera_id AS device_id, d.tenant_id, d.protocol, d.device_url AS address, d.credentials, \
                c.id AS camera_id, c.name AS camera_name, NULL::integer AS channel \
         FROM camera_devices d JOIN cameras c ON c.id = d.camera_id AND c.tenant_id = d.tenant_id \
         WHERE c.enabled \
         UNION ALL \
         SELECT n.id, n.tenant_id, n.vendor, n.address, n.credentials, c.id, c.name, ch.number \
         FROM nvrs n JOIN nvr_channels ch ON ch.nvr_id = n.id AND ch.tenant_id = n.tenant_id \
         JOIN cameras c ON c.id = ch.camera_id AND c.tenant_id = ch.tenant_id \
         WHERE c.enabled \
         ORDER BY device_id, channel",
    )
    .fetch_all(db)
    .await?;
    let mut devices: Vec<PlaneDevice> = Vec::new();
    for r in rows {
        let channel = r.channel.and_then(|c| u32::try_from(c).ok());
        match devices.last_mut() {
            Some(last) if last.device_id == r.device_id => last.cameras.push((r.camera_id, r.camera_name, channel)),
            _ => devices.push(PlaneDevice {
                device_id: r.device_id,
                tenant_id: r.tenant_id,
                protocol: r.protocol,
                address: r.address,
                sealed_credentials: r.credentials,
                cameras: vec![(r.camera_id, r.camera_name, channel)],
            }),
        }
    }
    Ok(devices)
}
