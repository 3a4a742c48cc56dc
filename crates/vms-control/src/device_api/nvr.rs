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

use std::collections::{BTreeSet, HashMap};

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
    nvr::{Inventory, Vendor},
    soap::clip,
};

use super::{
    Devices, device_error, limits,
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

/// Which channels without a camera become cameras (those with one are
/// always updated).
enum Selection {
    /// Every channel: an import without a channel list.
    All,
    /// Channels not seen before: a sync of an NVR imported with every
    /// channel (a channel whose camera was deleted stays without one).
    New,
    /// These channels.
    Only(BTreeSet<u32>),
}

impl Selection {
    /// Whether channel `number`, stored before or not (`known`), should become a camera.
    fn wants(&self, number: u32, known: bool) -> bool {
        match self {
            Selection::All => true,
            Selection::New => !known,
            Selection::Only(numbers) => numbers.contains(&number),
        }
    }
}

/// What applying an inventory changed.
#[derive(Default)]
struct Applied {
    created: Vec<Uuid>,
    updated: Vec<Uuid>,
}

/// Reads the NVR within [`READ_DEADLINE`], holding one of the tenant's
/// device slots; failures are audited as `action` and answered as device errors.
async fn read_nvr(
    catalog: &Catalog,
    devices: &Devices,
    user: &AuthUser,
    ip: &ClientIp,
    action: &str,
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
    let host = url::Url::parse(address).map(|u| vms_devices::http::host_of(&u)).unwrap_or_else(|_| address.to_owned());
    catalog
        .audit
        .record(
            audit::by(user, ip, action, Outcome::Failure)
                .detail("device", host)
                .detail("reason", failure.code().as_str()),
        )
        .await;
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
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
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
    let username = validate::text("username", &body.username, 256)?;
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
    let credentials = Credentials::new(username.clone(), body.password.clone());
    let inventory = read_nvr(&catalog, &devices, &user, &ip, "nvr.import", (vendor, &address), &credentials).await?;
    if let Selection::Only(numbers) = &selection
        && let Some(missing) = numbers.iter().find(|n| !inventory.channels.iter().any(|c| c.number == **n))
    {
        return Err(ApiError::invalid("channels", format!("the NVR has no channel {missing}")));
    }

    let record = record_of(vendor, &address, &inventory);
    let sealed = vms_catalog::credentials::Credentials { username, password: body.password.clone() };
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // Two imports of one NVR at once: the second waits, then finds the first's.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("nvr:{}:{}:{address}", user.tenant_id, vendor.as_str()))
        .execute(&mut *tx)
        .await
        .map_err(vms_catalog::CatalogError::from)?;
    let all = matches!(selection, Selection::All);
    let (id, created) = match nvr::find(&mut *tx, user.tenant_id, vendor.as_str(), &address).await? {
        Some(existing) => {
            if existing.site_id != body.site_id {
                return Err(ApiError::new(
                    vms_base::ErrorCode::FailedPrecondition,
                    "this NVR is already imported into another site; remove it there first",
                ));
            }
            let key = &catalog.credential_key;
            nvr::update(&mut tx, key, user.tenant_id, existing.id, name.as_deref(), &record, Some(&sealed), all)
                .await?;
            (existing.id, false)
        }
        None => {
            let name = name.unwrap_or_else(|| default_name(&inventory, &address));
            let key = &catalog.credential_key;
            let id = nvr::create(&mut tx, key, user.tenant_id, body.site_id, &name, &record, &sealed, all).await?;
            (id, true)
        }
    };
    let entry = audit::by(&user, &ip, "nvr.import", Outcome::Success)
        .detail("vendor", vendor.as_str())
        .detail("created", created.to_string());
    let detail = settle(&catalog, &user, tx, id, (&inventory, &sealed, &selection), entry).await?;
    tracing::info!(nvr_id = %id, user_id = %user.user_id, created, cameras = detail.cameras_created.len(), "NVR imported");
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(detail)))
}

/// Reads an imported NVR again with its stored credentials: its identity,
/// its channels' titles, states and stream addresses (pushed to their
/// cameras), and, if it was imported with every channel, cameras for
/// channels added since.
#[utoipa::path(post, operation_id = "syncNvr", path = "/api/nvrs/{id}/sync", tag = "devices",
    params(("id" = Uuid, Path, description = "NVR id")),
    responses((status = 200, body = NvrDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 504, body = ErrorBody)))]
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
    let inventory = read_nvr(&catalog, &devices, &user, &ip, "nvr.sync", (vendor, &address), &credentials).await?;

    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let current = nvr::get(&mut *tx, user.tenant_id, id).await?;
    let selection = if current.all_channels { Selection::New } else { Selection::Only(BTreeSet::new()) };
    let record = record_of(vendor, &address, &inventory);
    let key = &catalog.credential_key;
    nvr::update(&mut tx, key, user.tenant_id, id, None, &record, None, current.all_channels).await?;
    let entry = audit::by(&user, &ip, "nvr.sync", Outcome::Success);
    let detail = settle(&catalog, &user, tx, id, (&inventory, &sealed, &selection), entry).await?;
    Ok(Json(detail))
}

/// The NVRs on sites where the caller manages cameras.
#[utoipa::path(get, operation_id = "listNvrs", path = "/api/nvrs", tag = "devices",
    responses((status = 200, body = NvrList)))]
pub async fn list_nvrs(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<NvrList>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let items = nvr::list(&mut *tx, user.tenant_id, None).await?;
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

/// The catalog's record of what was read.
fn record_of(vendor: Vendor, address: &str, inventory: &Inventory) -> NvrRecord {
    let field = |v: &Option<String>| v.as_deref().map(|v| clip(v, 256)).filter(|v| !v.is_empty());
    let identity = &inventory.identity;
    NvrRecord {
        vendor: vendor.as_str().to_owned(),
        address: address.to_owned(),
        manufacturer: field(&identity.manufacturer),
        model: field(&identity.model),
        firmware: field(&identity.firmware),
        serial: field(&identity.serial),
    }
}

/// A new NVR's name: what it calls itself, else its manufacturer and model, with its host.
fn default_name(inventory: &Inventory, address: &str) -> String {
    let identity = &inventory.identity;
    let host = url::Url::parse(address).map(|u| vms_devices::http::host_of(&u)).unwrap_or_default();
    let named = identity.name.clone().unwrap_or_else(|| {
        [identity.manufacturer.as_deref(), identity.model.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let name = if named.trim().is_empty() { format!("NVR {host}") } else { format!("{} {host}", named.trim()) };
    clip(name.trim(), 200).trim().to_owned()
}

/// A channel camera's name: the NVR's name, the channel number and its title.
fn camera_name(nvr_name: &str, number: u32, title: Option<&str>) -> String {
    let name = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => format!("{nvr_name} {number:02} {title}"),
        None => format!("{nvr_name} channel {number}"),
    };
    clip(&name, 200).trim().to_owned()
}

/// Brings the NVR's channels and their cameras in line with `inventory`:
/// existing channel cameras get the current stream addresses and
/// credentials, wanted channels without one get a new camera, and the
/// channel list is stored as read.
async fn apply(
    catalog: &Catalog,
    user: &AuthUser,
    tx: &mut ScopedTx,
    id: Uuid,
    inventory: &Inventory,
    credentials: &vms_catalog::credentials::Credentials,
    selection: &Selection,
) -> Result<Applied, ApiError> {
    let current = nvr::get(&mut **tx, user.tenant_id, id).await?;
    let stored: HashMap<i32, Option<Uuid>> =
        nvr::channels(&mut **tx, user.tenant_id, id).await?.into_iter().map(|c| (c.number, c.camera_id)).collect();
    let mut applied = Applied::default();
    let mut rows = Vec::with_capacity(inventory.channels.len());
    for channel in &inventory.channels {
        let number = i32::try_from(channel.number).map_err(|_| ApiError::internal("channel number out of range"))?;
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
        let existing = stored.get(&number).copied().flatten();
        let camera_id = match existing {
            Some(camera_id) => {
                let found = camera::get(&mut *tx, user.tenant_id, camera_id).await?;
                user.require_on_camera(MANAGE, found.site_id, camera_id)?;
                let streams = validate_streams(inputs)?;
                check_addresses(catalog, &streams)?;
                let change = CameraUpdate { streams: Some(streams), ..CameraUpdate::default() };
                camera::update(&mut *tx, &catalog.credential_key, user.tenant_id, camera_id, &change).await?;
                applied.updated.push(camera_id);
                Some(camera_id)
            }
            None if selection.wants(channel.number, stored.contains_key(&number)) => {
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
            name: channel.name.as_deref().map(|n| clip(n, 200)),
            online: channel.online,
            main_url: channel.main.to_string(),
            sub_url: channel.sub.as_ref().map(url::Url::to_string),
            camera_id,
        });
    }
    nvr::put_channels(&mut *tx, user.tenant_id, id, &rows).await?;
    Ok(applied)
}

/// Applies what was read to the NVR's channels and cameras, commits, and
/// audits `entry` with the NVR and the cameras made and updated.
async fn settle(
    catalog: &Catalog,
    user: &AuthUser,
    mut tx: ScopedTx,
    id: Uuid,
    (inventory, credentials, selection): (&Inventory, &vms_catalog::credentials::Credentials, &Selection),
    entry: AuditEntry,
) -> Result<NvrDetail, ApiError> {
    let applied = apply(catalog, user, &mut tx, id, inventory, credentials, selection).await?;
    let detail = detail(&mut tx, user, id, applied).await?;
    crate::commit(tx).await?;
    let entry = entry
        .target("nvr", id)
        .detail("cameras_created", detail.cameras_created.len().to_string())
        .detail("cameras_updated", detail.cameras_updated.len().to_string());
    catalog.audit.record(entry).await;
    Ok(detail)
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
