//! NVRs: `POST /api/nvrs` imports an NVR's channels as cameras in one go,
//! `GET /api/nvrs[/{id}]` shows them, `POST /api/nvrs/{id}/sync` reads the
//! NVR again and `DELETE /api/nvrs/{id}` forgets it, keeping or removing its
//! cameras as the caller says.
//!
//! Importing the same NVR again (same vendor and address) updates it and the
//! cameras of its channels rather than adding any twice; a channel's camera
//! keeps the name an operator gave it, and gets the NVR's current stream
//! addresses and credentials. Everything needs `camera.manage` on the NVR's
//! site (and on each existing camera it touches).

use std::collections::BTreeSet;

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use uuid::Uuid;
use vms_catalog::{
    access::Permission,
    audit::{AuditEntry, Outcome},
    camera::{self, CameraUpdate, NewCamera},
    nvr::{self, ChannelRow, NvrRecord},
    scope::{self, ScopedTx},
};
use vms_devices::{
    Credentials,
    nvr::{Channel, Inventory, Vendor},
};

use super::{
    Devices, device_error, limits,
    nvr_channels::{Selection, camera_name, default_name, field, record_of, renumber},
    nvr_model::{DeleteNvrQuery, ImportNvr, KeepCameras, NvrChannelView, NvrDetail, NvrList, NvrView},
};
use crate::{
    audit,
    auth::AuthUser,
    camera_api::{
        handler::check_addresses,
        model::{Role, StreamInput, TransportKind, validate_streams},
        quota::check_room_for_camera,
    },
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
    validate,
};

const MANAGE: Permission = Permission::CameraManage;
/// How long reading an NVR may take, all its requests together (an ONVIF
/// NVR costs two requests a channel).
const READ_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// What applying an inventory changed.
#[derive(Default)]
struct Applied {
    created: Vec<Uuid>,
    updated: Vec<Uuid>,
}

/// Reads the NVR within [`READ_DEADLINE`], holding one of the tenant's
/// device slots; failures are audited with `refused` and answered as device errors.
async fn read_nvr(
    catalog: &Catalog,
    devices: &Devices,
    user: &AuthUser,
    refused: AuditEntry,
    (vendor, address): (Vendor, &str),
    credentials: &Credentials,
) -> Result<Inventory, ApiError> {
    let Some(_slot) = devices.onboarding.take(user.tenant_id) else {
        return Err(ApiError::rate_limited(
            "other imports are talking to devices; try again",
            std::time::Duration::from_secs(5),
        ));
    };
    let read = vms_devices::nvr::inventory(vendor, address, credentials, limits(&catalog.device_policy));
    let failure = match tokio::time::timeout(READ_DEADLINE, read).await {
        Ok(Ok(inventory)) => return Ok(inventory),
        Ok(Err(e)) => device_error(e),
        Err(_) => ApiError::new(vms_base::ErrorCode::DeviceUnreachable, "the NVR answered too slowly"),
    };
    let host = host_of(address);
    catalog.audit.record(refused.detail("device", host).detail("reason", failure.code().as_str())).await;
    Err(failure)
}

/// The address an NVR is stored and found under: its base URL, or for
/// ONVIF its device service URL.
fn canonical_address(vendor: Vendor, address: &str) -> Result<String, ApiError> {
    let url = match vendor {
        Vendor::Onvif => vms_devices::onvif::device_url(address),
        Vendor::Hikvision | Vendor::Dahua => vms_devices::nvr::base_url(address),
    };
    url.map(|u| u.to_string()).map_err(|e| ApiError::invalid("address", e))
}

/// Imports an NVR: reads who it is and its channels, and makes a camera of
/// each channel asked for (every channel by default) with its main and sub
/// streams. Importing it again updates the NVR and its cameras and adds
/// newly asked-for channels, never a camera twice. Wrong credentials are
/// 400 `device_auth_failed`; an NVR that does not answer is 504
/// `device_unreachable`.
#[utoipa::path(post, operation_id = "importNvr", path = "/api/nvrs", tag = "devices", request_body = ImportNvr,
    responses((status = 201, body = NvrDetail), (status = 200, body = NvrDetail, description = "imported before: updated"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody),
        (status = 504, body = ErrorBody)))]
pub async fn import_nvr(
    State(catalog): State<Catalog>,
    State(devices): State<Devices>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<ImportNvr>,
) -> Result<(StatusCode, Json<NvrDetail>), ApiError> {
    user.require_on_site(MANAGE, body.site_id)?;
    if body.address.len() > 2048 {
        return Err(ApiError::invalid("address", "is too long"));
    }
    let vendor = Vendor::from(body.vendor);
    let address = canonical_address(vendor, &body.address)?;
    // The channels' streams take the same user name, and hold it to 200.
    let username = validate::text("username", &body.username, 200)?;
    if body.password.len() > 200 {
        return Err(ApiError::invalid("password", "at most 200 bytes"));
    }
    let name = body.name.as_deref().map(|n| validate::name("name", n, 200)).transpose()?;
    let selection = match &body.channels {
        None => Selection::All,
        Some(list) if list.len() > vms_devices::nvr::MAX_CHANNELS => {
            return Err(ApiError::invalid("channels", "at most 256 channels"));
        }
        Some(list) if list.iter().any(|&n| n == 0 || n > 65535) => {
            return Err(ApiError::invalid("channels", "channel numbers run from 1"));
        }
        Some(list) => Selection::Only(list.iter().copied().collect()),
    };
    // A site that is not there is said before a minute is spent on the device.
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    vms_catalog::site::get(&mut *tx, user.tenant_id, body.site_id).await?;
    drop(tx);
    let credentials = Credentials::new(username.clone(), body.password.clone());
    let refused = audit::by(&user, &ip, "nvr.import", Outcome::Failure);
    let inventory = read_nvr(&catalog, &devices, &user, refused, (vendor, &address), &credentials).await?;

    let record = record_of(vendor, &address, &inventory);
    let sealed = vms_catalog::credentials::Credentials { username, password: body.password.clone() };
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // Two imports (or an import and a sync) of one NVR at once: the second
    // waits, then finds the first's.
    scope::lock(&mut tx, &lock_key(user.tenant_id, vendor, &address)).await?;
    let (id, created) = match nvr::find(&mut *tx, user.tenant_id, vendor.as_str(), &address).await? {
        Some(existing) => {
            if existing.site_id != body.site_id {
                return Err(ApiError::new(
                    vms_base::ErrorCode::FailedPrecondition,
                    "this NVR is already imported into another site; remove it there first",
                ));
            }
            same_device(&existing.record, &record)?;
            // A narrower list adds channels; it does not stop a sync adding new ones.
            let all = existing.all_channels || matches!(selection, Selection::All);
            let key = &catalog.credential_key;
            nvr::update(&mut tx, key, user.tenant_id, existing.id, name.as_deref(), &record, Some(&sealed), all)
                .await?;
            (existing.id, false)
        }
        None => {
            let all = matches!(selection, Selection::All);
            let name = name.unwrap_or_else(|| default_name(&inventory, &host_of(&address)));
            let key = &catalog.credential_key;
            let id = nvr::create(&mut tx, key, user.tenant_id, body.site_id, &name, &record, &sealed, all).await?;
            (id, true)
        }
    };
    let entry = audit::by(&user, &ip, "nvr.import", Outcome::Success)
        .detail("vendor", vendor.as_str())
        .detail("created", created.to_string());
    let detail = settle(&catalog, &user, tx, id, (inventory, &sealed, &selection, true), entry).await?;
    tracing::info!(nvr_id = %id, user_id = %user.user_id, created, cameras = detail.cameras_created.len(), "NVR imported");
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(detail)))
}

/// Reads an imported NVR again with its stored credentials: its identity,
/// its channels' titles, states and stream addresses (pushed to their
/// cameras), and, if it was imported with every channel, cameras for
/// channels added since.
#[utoipa::path(post, operation_id = "syncNvr", path = "/api/nvrs/{id}/sync", tag = "devices",
    params(("id" = Uuid, Path, description = "NVR id")),
    responses((status = 200, body = NvrDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 503, body = ErrorBody), (status = 504, body = ErrorBody)))]
pub async fn sync_nvr(
    State(catalog): State<Catalog>,
    State(devices): State<Devices>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Json<NvrDetail>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let current = nvr::get(&mut *tx, user.tenant_id, id).await?;
    user.require_on_site(MANAGE, current.site_id)?;
    let sealed = nvr::credentials(&mut *tx, &catalog.credential_key, user.tenant_id, id).await?;
    drop(tx);
    let vendor = Vendor::parse(&current.record.vendor).ok_or_else(|| ApiError::internal("unknown NVR vendor"))?;
    let credentials = Credentials::new(sealed.username.clone(), sealed.password.clone());
    let address = current.record.address.clone();
    let refused = audit::by(&user, &ip, "nvr.sync", Outcome::Failure).target("nvr", id);
    let inventory = read_nvr(&catalog, &devices, &user, refused, (vendor, &address), &credentials).await?;

    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    scope::lock(&mut tx, &lock_key(user.tenant_id, vendor, &address)).await?;
    let current = nvr::get(&mut *tx, user.tenant_id, id).await?;
    let record = record_of(vendor, &address, &inventory);
    same_device(&current.record, &record)?;
    // An import with new credentials may have finished meanwhile: its are the ones to keep.
    let sealed = nvr::credentials(&mut *tx, &catalog.credential_key, user.tenant_id, id).await?;
    let selection = if current.all_channels { Selection::New } else { Selection::Only(BTreeSet::new()) };
    let key = &catalog.credential_key;
    nvr::update(&mut tx, key, user.tenant_id, id, None, &record, None, current.all_channels).await?;
    let entry = audit::by(&user, &ip, "nvr.sync", Outcome::Success);
    let refresh = sealed != credentials_of(&credentials);
    let detail = settle(&catalog, &user, tx, id, (inventory, &sealed, &selection, refresh), entry).await?;
    Ok(Json(detail))
}

/// The NVRs on sites where the caller manages cameras.
#[utoipa::path(get, operation_id = "listNvrs", path = "/api/nvrs", tag = "devices",
    responses((status = 200, body = NvrList)))]
pub async fn list_nvrs(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<NvrList>, ApiError> {
    // The sites where the caller manages cameras, asked of the database, so
    // the bound on the list counts only NVRs the caller may see.
    let sites: Option<Vec<Uuid>> = (!user.access.tenant_wide(MANAGE))
        .then(|| user.access.sites.keys().copied().filter(|s| user.access.on_site(MANAGE, *s)).collect());
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let items = nvr::list(&mut *tx, user.tenant_id, sites.as_deref()).await?;
    let items = items.into_iter().filter(|n| user.access.on_site(MANAGE, n.site_id)).map(NvrView::from).collect();
    Ok(Json(NvrList { items }))
}

/// An NVR with its channels and their cameras.
#[utoipa::path(get, operation_id = "getNvr", path = "/api/nvrs/{id}", tag = "devices",
    params(("id" = Uuid, Path, description = "NVR id")),
    responses((status = 200, body = NvrDetail), (status = 404, body = ErrorBody)))]
pub async fn get_nvr(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<NvrDetail>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    Ok(Json(detail(&mut tx, &user, id, Applied::default()).await?))
}

/// Forgets an NVR. `cameras=keep` keeps its cameras (and their
/// recordings), no longer linked to it; `cameras=remove` deletes them too,
/// which needs `camera.manage` on each.
#[utoipa::path(delete, operation_id = "deleteNvr", path = "/api/nvrs/{id}", tag = "devices",
    params(("id" = Uuid, Path, description = "NVR id"), DeleteNvrQuery),
    responses((status = 204, description = "removed"), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_nvr(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    query: Result<Query<DeleteNvrQuery>, QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let current = nvr::get(&mut *tx, user.tenant_id, id).await?;
    user.require_on_site(MANAGE, current.site_id)?;
    // Asked after the NVR is found: a caller who may not see it learns nothing from the answer.
    let Query(query) = query.map_err(|_| ApiError::invalid("cameras", "say `keep` or `remove`"))?;
    let cameras = nvr::delete(&mut tx, user.tenant_id, id).await?;
    if query.cameras == KeepCameras::Remove {
        for camera_id in &cameras {
            let found = camera::get(&mut tx, user.tenant_id, *camera_id).await?;
            user.require_on_camera(MANAGE, found.site_id, found.id)?;
            camera::delete(&mut *tx, user.tenant_id, *camera_id).await?;
        }
    }
    crate::commit(tx).await?;
    let removed = query.cameras == KeepCameras::Remove;
    catalog
        .audit
        .record(
            audit::by(&user, &ip, "nvr.delete", Outcome::Success)
                .target("nvr", id)
                .detail("cameras", if removed { "remove" } else { "keep" })
                .detail("camera_count", cameras.len().to_string()),
        )
        .await;
    tracing::info!(nvr_id = %id, user_id = %user.user_id, removed, cameras = cameras.len(), "NVR removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Brings the NVR's channels and their cameras in line with `inventory`:
/// channels keep their stored numbers (by source token, where the NVR
/// names one), their cameras get the current stream addresses (and, when
/// `refresh`, the credentials even if the addresses did not change), wanted
/// channels without one get a new camera, and the channel list is stored as
/// read. A channel camera moved to another site, or one the caller may not
/// manage, is left as it is.
async fn apply(
    catalog: &Catalog,
    user: &AuthUser,
    tx: &mut ScopedTx,
    id: Uuid,
    (mut inventory, credentials, selection, refresh): Reading<'_>,
) -> Result<Applied, ApiError> {
    let current = nvr::get(&mut **tx, user.tenant_id, id).await?;
    let stored = nvr::channels(&mut **tx, user.tenant_id, id).await?;
    renumber(&mut inventory.channels, &stored);
    // Numbers as the caller saw them: after renumbering by source.
    if let Selection::Only(numbers) = selection
        && let Some(missing) = numbers.iter().find(|n| !inventory.channels.iter().any(|c| c.number == **n))
    {
        return Err(ApiError::invalid("channels", format!("the NVR has no channel {missing}")));
    }
    let mut applied = Applied::default();
    let mut rows = Vec::with_capacity(inventory.channels.len());
    for channel in &inventory.channels {
        let number = i32::try_from(channel.number).map_err(|_| ApiError::internal("channel number out of range"))?;
        let before = stored.iter().find(|s| s.number == number);
        let inputs = channel_streams(channel, credentials);
        let camera_id = match before.and_then(|s| s.camera_id) {
            Some(camera_id) => {
                let found = camera::get(&mut *tx, user.tenant_id, camera_id).await?;
                let ours = found.site_id == current.site_id && user.access.on_camera(MANAGE, found.site_id, camera_id);
                let moved = before.is_none_or(|b| {
                    b.main_url != channel.main.as_str()
                        || b.sub_url.as_deref() != channel.sub.as_ref().map(url::Url::as_str)
                        || !b.present
                });
                if ours && (refresh || moved) {
                    let streams = validate_streams(inputs)?;
                    check_addresses(catalog, &streams)?;
                    let change = CameraUpdate { streams: Some(streams), ..CameraUpdate::default() };
                    camera::update(&mut *tx, &catalog.credential_key, user.tenant_id, camera_id, &change).await?;
                    applied.updated.push(camera_id);
                }
                Some(camera_id)
            }
            None if selection.wants(channel, before) => {
                let streams = validate_streams(inputs)?;
                check_addresses(catalog, &streams)?;
                check_room_for_camera(catalog, user, tx).await?;
                let new = NewCamera {
                    site_id: current.site_id,
                    name: camera_name(&current.name, channel.number, channel.name.as_deref()),
                    description: String::new(),
                    enabled: true,
                    streams,
                };
                let made = camera::create(&mut *tx, &catalog.credential_key, user.tenant_id, &new).await?;
                applied.created.push(made.id);
                Some(made.id)
            }
            None => None,
        };
        rows.push(ChannelRow {
            number,
            name: field(channel.name.as_deref(), 200),
            online: channel.online,
            main_url: channel.main.to_string(),
            sub_url: channel.sub.as_ref().map(url::Url::to_string),
            source: field(channel.source.as_deref(), 256),
            present: true,
            camera_id,
        });
    }
    nvr::put_channels(&mut *tx, user.tenant_id, id, &rows).await?;
    Ok(applied)
}

/// What was read, with the credentials for its streams, which channels
/// become cameras, and whether cameras get the credentials anew.
type Reading<'a> = (Inventory, &'a vms_catalog::credentials::Credentials, &'a Selection, bool);

/// A channel's main and sub streams with the NVR's credentials, over TCP.
fn channel_streams(channel: &Channel, credentials: &vms_catalog::credentials::Credentials) -> Vec<StreamInput> {
    let stream = |role, url: &url::Url| StreamInput {
        role,
        url: url.to_string(),
        username: Some(credentials.username.clone()),
        password: Some(credentials.password.clone()),
        transport: TransportKind::Tcp,
        clear_credentials: false,
    };
    let mut inputs = vec![stream(Role::Main, &channel.main)];
    inputs.extend(channel.sub.as_ref().map(|u| stream(Role::Sub, u)));
    inputs
}

/// Applies what was read to the NVR's channels and cameras, commits, and
/// audits `entry` with the NVR and the cameras made and updated.
async fn settle(
    catalog: &Catalog,
    user: &AuthUser,
    mut tx: ScopedTx,
    id: Uuid,
    reading: Reading<'_>,
    entry: AuditEntry,
) -> Result<NvrDetail, ApiError> {
    let applied = apply(catalog, user, &mut tx, id, reading).await?;
    let detail = detail(&mut tx, user, id, applied).await?;
    crate::commit(tx).await?;
    let entry = entry
        .target("nvr", id)
        .detail("cameras_created", detail.cameras_created.len().to_string())
        .detail("cameras_updated", detail.cameras_updated.len().to_string());
    catalog.audit.record(entry).await;
    Ok(detail)
}

/// Refuses a read that is another NVR than the one stored: a different
/// serial number (DHCP gave the address to another NVR of the same make).
fn same_device(stored: &NvrRecord, read: &NvrRecord) -> Result<(), ApiError> {
    match (&stored.serial, &read.serial) {
        (Some(before), Some(now)) if before != now => Err(ApiError::new(
            vms_base::ErrorCode::FailedPrecondition,
            format!(
                "another NVR answers at this address (serial {now}, imported as {before}); check the address, \
                 or remove the NVR and import the new one"
            ),
        )),
        _ => Ok(()),
    }
}

/// The lock an import and a sync of one NVR share.
fn lock_key(tenant: Uuid, vendor: Vendor, address: &str) -> String {
    format!("nvr:{tenant}:{}:{address}", vendor.as_str())
}

/// `host:port` of a stored address, for names and the audit.
fn host_of(address: &str) -> String {
    url::Url::parse(address).map(|u| vms_devices::http::host_of(&u)).unwrap_or_else(|_| address.to_owned())
}

/// The catalog's form of credentials given to the device.
fn credentials_of(c: &Credentials) -> vms_catalog::credentials::Credentials {
    vms_catalog::credentials::Credentials { username: c.username.clone(), password: c.password.clone() }
}

/// The NVR `id` with its channels, if the caller manages cameras on its site.
async fn detail(tx: &mut ScopedTx, user: &AuthUser, id: Uuid, applied: Applied) -> Result<NvrDetail, ApiError> {
    let current = nvr::get(&mut **tx, user.tenant_id, id).await?;
    user.require_on_site(MANAGE, current.site_id)?;
    let channels = nvr::channels(&mut **tx, user.tenant_id, id).await?;
    Ok(NvrDetail {
        nvr: current.into(),
        channels: channels.into_iter().map(NvrChannelView::from).collect(),
        cameras_created: applied.created,
        cameras_updated: applied.updated,
    })
}
