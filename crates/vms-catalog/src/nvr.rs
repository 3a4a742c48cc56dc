//! NVRs imported as a whole (`nvrs`) and their channels (`nvr_channels`),
//! each channel with the camera made from it.
//!
//! Credentials are sealed with the NVR id as associated data and never
//! returned by [`get`] or [`list`]; [`credentials`] opens them for a sync.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{
    CatalogError, TenantId,
    credentials::{CredentialKey, Credentials},
};

/// The most NVRs one list returns.
pub const MAX_LISTED: i64 = 1000;

/// What an import or sync learnt about an NVR.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct NvrRecord {
    /// `onvif`, `hikvision` or `dahua`.
    pub vendor: String,
    /// Where it answers: its base URL (Hikvision, Dahua) or device service URL (ONVIF).
    pub address: String,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware.
    pub firmware: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
}

/// An NVR as stored, without its credentials.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Nvr {
    /// Its id.
    pub id: Uuid,
    /// The site its cameras belong to.
    pub site_id: Uuid,
    /// Its name (unique in the site).
    pub name: String,
    /// Vendor, address and identity.
    #[sqlx(flatten)]
    pub record: NvrRecord,
    /// Whether channels found by a later sync become cameras.
    pub all_channels: bool,
    /// When it was last read.
    pub synced_at: DateTime<Utc>,
    /// When it was imported.
    pub created_at: DateTime<Utc>,
    /// Its channels.
    pub channel_count: i64,
    /// Its channels that are cameras.
    pub camera_count: i64,
}

/// One channel of an NVR.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChannelRow {
    /// Its number, from 1.
    pub number: i32,
    /// Its title on the NVR.
    pub name: Option<String>,
    /// Whether a camera streams to it, if the NVR said.
    pub online: Option<bool>,
    /// Main stream address (without credentials).
    pub main_url: String,
    /// Sub stream address.
    pub sub_url: Option<String>,
    /// The device's name for its video (an ONVIF video source token).
    pub source: Option<String>,
    /// Whether the NVR listed it at the last read.
    pub present: bool,
    /// The camera made from it.
    pub camera_id: Option<Uuid>,
}

const COLUMNS: &str = "n.id, n.site_id, n.name, n.vendor, n.address, n.manufacturer, n.model, n.firmware, n.serial, \
     n.all_channels, n.synced_at, n.created_at, \
     (SELECT count(*) FROM nvr_channels c WHERE c.nvr_id = n.id AND c.present) AS channel_count, \
     (SELECT count(camera_id) FROM nvr_channels c WHERE c.nvr_id = n.id) AS camera_count";

/// The NVR `id` of `tenant`.
pub async fn get(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Nvr, CatalogError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM nvrs n WHERE n.tenant_id = $1 AND n.id = $2"))
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("NVR", id))
}

/// The NVR of `tenant` spoken to with `vendor` at `address`, if imported.
pub async fn find(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    vendor: &str,
    address: &str,
) -> Result<Option<Nvr>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM nvrs n WHERE n.tenant_id = $1 AND n.vendor = $2 AND n.address = $3"
    ))
    .bind(tenant)
    .bind(vendor)
    .bind(address)
    .fetch_optional(db)
    .await?)
}

/// The NVRs of `tenant` on `sites` (every site when `None`), by name, at most [`MAX_LISTED`].
pub async fn list(db: impl PgExecutor<'_>, tenant: TenantId, sites: Option<&[Uuid]>) -> Result<Vec<Nvr>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM nvrs n WHERE n.tenant_id = $1 AND ($2::uuid[] IS NULL OR n.site_id = ANY($2)) \
         ORDER BY lower(n.name), n.id LIMIT $3"
    ))
    .bind(tenant)
    .bind(sites)
    .bind(MAX_LISTED)
    .fetch_all(db)
    .await?)
}

/// Stores a new NVR, sealing `credentials`; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &mut PgConnection,
    key: &CredentialKey,
    tenant: TenantId,
    site: Uuid,
    name: &str,
    record: &NvrRecord,
    credentials: &Credentials,
    all_channels: bool,
) -> Result<Uuid, CatalogError> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO nvrs (id, tenant_id, site_id, name, vendor, address, manufacturer, model, firmware, serial, \
             credentials, all_channels) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(tenant)
    .bind(site)
    .bind(name)
    .bind(&record.vendor)
    .bind(&record.address)
    .bind(&record.manufacturer)
    .bind(&record.model)
    .bind(&record.firmware)
    .bind(&record.serial)
    .bind(key.seal(credentials, id.as_bytes()))
    .bind(all_channels)
    .execute(&mut *db)
    .await
    .map_err(|e| map_write(e, name))?;
    Ok(id)
}

/// Updates what a sync or a second import learnt: identity, credentials
/// when given, the name when given, whether every channel is imported.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &mut PgConnection,
    key: &CredentialKey,
    tenant: TenantId,
    id: Uuid,
    name: Option<&str>,
    record: &NvrRecord,
    credentials: Option<&Credentials>,
    all_channels: bool,
) -> Result<(), CatalogError> {
    let sealed = credentials.map(|c| key.seal(c, id.as_bytes()));
    sqlx::query(
        "UPDATE nvrs SET name = coalesce($3, name), manufacturer = $4, model = $5, firmware = $6, serial = $7, \
             credentials = coalesce($8, credentials), all_channels = $9, synced_at = now() \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant)
    .bind(id)
    .bind(name)
    .bind(&record.manufacturer)
    .bind(&record.model)
    .bind(&record.firmware)
    .bind(&record.serial)
    .bind(sealed)
    .bind(all_channels)
    .execute(&mut *db)
    .await
    .map_err(|e| map_write(e, name.unwrap_or_default()))?;
    Ok(())
}

fn map_write(e: sqlx::Error, name: &str) -> CatalogError {
    match &e {
        sqlx::Error::Database(d) if d.constraint() == Some("nvrs_site_id_name_key") => {
            CatalogError::Conflict(format!("the site already has an NVR named {name:?}"))
        }
        _ => CatalogError::from(e),
    }
}

/// Opens the stored credentials of NVR `id`.
pub async fn credentials(
    db: impl PgExecutor<'_>,
    key: &CredentialKey,
    tenant: TenantId,
    id: Uuid,
) -> Result<Credentials, CatalogError> {
    let (blob,): (Vec<u8>,) = sqlx::query_as("SELECT credentials FROM nvrs WHERE tenant_id = $1 AND id = $2")
        .bind(tenant)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| CatalogError::not_found("NVR", id))?;
    key.open(&blob, id.as_bytes())
}

/// The channels of NVR `id`, by number.
pub async fn channels(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<Vec<ChannelRow>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT number, name, online, main_url, sub_url, source, present, camera_id FROM nvr_channels \
         WHERE tenant_id = $1 AND nvr_id = $2 ORDER BY number",
    )
    .bind(tenant)
    .bind(id)
    .fetch_all(db)
    .await?)
}

/// Stores the channels read now. A stored channel the read lacks is
/// forgotten if it has no camera; one with a camera is kept, marked absent,
/// so its camera stays linked for when it comes back.
pub async fn put_channels(
    db: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
    channels: &[ChannelRow],
) -> Result<(), CatalogError> {
    let numbers: Vec<i32> = channels.iter().map(|c| c.number).collect();
    sqlx::query(
        "DELETE FROM nvr_channels WHERE tenant_id = $1 AND nvr_id = $2 AND NOT (number = ANY($3)) \
         AND camera_id IS NULL",
    )
    .bind(tenant)
    .bind(id)
    .bind(&numbers)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "UPDATE nvr_channels SET present = false, online = NULL \
         WHERE tenant_id = $1 AND nvr_id = $2 AND NOT (number = ANY($3))",
    )
    .bind(tenant)
    .bind(id)
    .bind(&numbers)
    .execute(&mut *db)
    .await?;
    for c in channels {
        sqlx::query(
            "INSERT INTO nvr_channels (tenant_id, nvr_id, number, name, online, main_url, sub_url, source, present, \
                 camera_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (nvr_id, number) DO UPDATE SET name = EXCLUDED.name, online = EXCLUDED.online, \
                 main_url = EXCLUDED.main_url, sub_url = EXCLUDED.sub_url, source = EXCLUDED.source, \
                 present = EXCLUDED.present, camera_id = EXCLUDED.camera_id",
        )
        .bind(tenant)
        .bind(id)
        .bind(c.number)
        .bind(&c.name)
        .bind(c.online)
        .bind(&c.main_url)
        .bind(&c.sub_url)
        .bind(&c.source)
        .bind(c.present)
        .bind(c.camera_id)
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// Deletes NVR `id` and its channels; returns the cameras its channels made.
pub async fn delete(db: &mut PgConnection, tenant: TenantId, id: Uuid) -> Result<Vec<Uuid>, CatalogError> {
    let cameras: Vec<(Uuid,)> = sqlx::query_as(
        "SELECT camera_id FROM nvr_channels WHERE tenant_id = $1 AND nvr_id = $2 AND camera_id IS NOT NULL",
    )
    .bind(tenant)
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    let deleted = sqlx::query("DELETE FROM nvrs WHERE tenant_id = $1 AND id = $2")
        .bind(tenant)
        .bind(id)
        .execute(&mut *db)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(CatalogError::not_found("NVR", id));
    }
    Ok(cameras.into_iter().map(|(c,)| c).collect())
}
