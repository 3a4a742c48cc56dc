//! `POST /api/cameras/onboard`: an ONVIF device becomes a camera.
//!
//! The device is asked who it is (`GetDeviceInformation`, which checks the
//! credentials), for its profiles and their stream addresses: the profile
//! with the most pixels becomes the main stream, the one with the fewest the
//! sub stream. Onboarding the same device again (same endpoint reference,
//! serial number or device URL) updates its camera instead of adding one.

use axum::{Json, extract::State, http::StatusCode};
use vms_catalog::{
    access::Permission,
    audit::Outcome,
    camera::{self, CameraUpdate, NewCamera},
    device::{self, DeviceRecord},
    scope,
};
use vms_devices::{
    Credentials,
    onvif::{self, OnvifClient, pick_streams},
};

use super::{
    device_error, limits,
    model::{DeviceView, OnboardCamera, Onboarded},
};
use crate::{
    audit,
    auth::AuthUser,
    camera_api::{
        handler::{check_addresses, view},
        model::{Role, StreamInput, TransportKind, validate_streams},
        quota::check_room_for_camera,
    },
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp},
    state::{Catalog, Planes},
    validate,
};

/// How long onboarding may talk to a device, all requests together.
const PROBE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);
/// The longest identity field or profile token kept from a device.
const MAX_FIELD: usize = 256;
/// The longest snapshot address kept.
const MAX_URL: usize = 2048;

/// A device's text, bounded for the catalog: control characters dropped, at most [`MAX_FIELD`] characters.
fn field(value: Option<String>) -> Option<String> {
    vms_devices::soap::clip_field(value.as_deref(), MAX_FIELD)
}

/// What onboarding read from the device.
struct Probed {
    record: DeviceRecord,
    main_url: String,
    sub_url: Option<String>,
}

/// Asks the device everything a camera needs.
async fn probe(catalog: &Catalog, url: url::Url, credentials: &Credentials) -> Result<Probed, ApiError> {
    let client = OnvifClient::connect(url.clone(), credentials.clone(), limits(&catalog.device_policy))
        .await
        .map_err(device_error)?;
    let info = client.device_information().await.map_err(device_error)?;
    let profiles = client.profiles().await.map_err(device_error)?;
    let (main, sub) =
        pick_streams(&profiles).ok_or_else(|| device_error(vms_devices::DeviceError::Missing("a media profile")))?;
    if main.token.len() > MAX_FIELD || sub.is_some_and(|s| s.token.len() > MAX_FIELD) {
        return Err(device_error(vms_devices::DeviceError::Missing("a profile token of usable length")));
    }
    let main_url = client.stream_uri(&main.token).await.map_err(device_error)?;
    let sub_url = match sub {
        Some(sub) => Some(client.stream_uri(&sub.token).await.map_err(device_error)?),
        None => None,
    };
    // A snapshot address is a convenience: a device without one is still a camera.
    let snapshot_url = client.snapshot_uri(&main.token).await.ok();
    let ptz_profile = client
        .services()
        .ptz
        .as_ref()
        .and_then(|_| if main.ptz { Some(main) } else { profiles.iter().find(|p| p.ptz) })
        .map(|p| p.token.clone())
        .filter(|t| t.len() <= MAX_FIELD);
    Ok(Probed {
        record: DeviceRecord {
            device_url: url.to_string(),
            endpoint: None,
            manufacturer: field(info.manufacturer),
            model: field(info.model),
            firmware: field(info.firmware),
            serial: field(info.serial),
            main_profile: Some(main.token.clone()),
            sub_profile: sub.map(|s| s.token.clone()),
            ptz_profile,
            snapshot_url: snapshot_url.map(|u| u.to_string()).filter(|u| u.len() <= MAX_URL),
        },
        main_url: main_url.to_string(),
        sub_url: sub_url.map(|u| u.to_string()),
    })
}

/// Adds the camera of an ONVIF device (or updates it, if the device was
/// onboarded before) with its main and sub streams, its PTZ capability and
/// its snapshot address. Needs `camera.manage` on the site (and on the
/// existing camera). Wrong credentials are 400 `device_auth_failed`; a
/// device that does not answer in time is 504 `device_unreachable`.
#[utoipa::path(post, operation_id = "onboardCamera", path = "/api/cameras/onboard", tag = "devices",
    request_body = OnboardCamera,
    responses((status = 201, body = Onboarded), (status = 200, body = Onboarded, description = "the device's camera, updated"),
        (status = 400, body = ErrorBody), (status = 504, body = ErrorBody)))]
pub async fn onboard_camera(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    State(devices): State<super::Devices>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<OnboardCamera>,
) -> Result<(StatusCode, Json<Onboarded>), ApiError> {
    user.require_on_site(Permission::CameraManage, body.site_id)?;
    let address = match (&body.address, &body.device_url) {
        (Some(a), None) | (None, Some(a)) => a,
        _ => return Err(ApiError::invalid("address", "give either address or device_url")),
    };
    if address.len() > 2048 {
        return Err(ApiError::invalid("address", "is too long"));
    }
    let url = onvif::device_url(address).map_err(|e| ApiError::invalid("address", e))?;
    let username = validate::text("username", &body.username, 256)?;
    // The streams take the same credentials, and hold them to 200.
    if body.password.len() > 200 {
        return Err(ApiError::invalid("password", "at most 200 bytes"));
    }
    let name = body.name.as_deref().map(|n| validate::name("name", n, 200)).transpose()?;
    let credentials = Credentials::new(username.clone(), body.password.clone());
    let Some(_slot) = devices.onboarding.take(user.tenant_id) else {
        return Err(ApiError::rate_limited(
            "other onboardings are talking to devices; try again",
            std::time::Duration::from_secs(5),
        ));
    };
    let host = vms_devices::http::host_of(&url);
    let probed = match tokio::time::timeout(PROBE_DEADLINE, probe(&catalog, url, &credentials)).await {
        Ok(Ok(probed)) => probed,
        Ok(Err(e)) => return Err(refused(&catalog, &user, &ip, &host, e).await),
        Err(_) => {
            let e = ApiError::new(
                vms_base::ErrorCode::DeviceUnreachable,
                format!("the device at {host} answered too slowly"),
            );
            return Err(refused(&catalog, &user, &ip, &host, e).await);
        }
    };

    let stream = |role, url: &String| StreamInput {
        role,
        url: url.clone(),
        username: Some(username.clone()),
        password: Some(body.password.clone()),
        transport: TransportKind::Tcp,
        clear_credentials: false,
    };
    let mut inputs = vec![stream(Role::Main, &probed.main_url)];
    inputs.extend(probed.sub_url.as_ref().map(|u| stream(Role::Sub, u)));
    let streams = validate_streams(inputs)?;
    check_addresses(&catalog, &streams)?;

    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // Two onboardings of one device at once: the second waits, then finds the first's camera.
    scope::lock(&mut tx, &format!("onboard:{}:{}", user.tenant_id, probed.record.device_url)).await?;
    let existing = device::find_camera(&mut *tx, user.tenant_id, &probed.record).await?;
    let (camera, created) = match existing {
        Some(id) => {
            let current = camera::get(&mut tx, user.tenant_id, id).await?;
            user.require_on_camera(Permission::CameraManage, current.site_id, id)?;
            if current.site_id != body.site_id {
                return Err(ApiError::new(
                    vms_base::ErrorCode::FailedPrecondition,
                    "this device is already a camera of another site; move or delete that camera first",
                ));
            }
            let change = CameraUpdate { name: name.clone(), streams: Some(streams), ..CameraUpdate::default() };
            (camera::update(&mut tx, &catalog.credential_key, user.tenant_id, id, &change).await?, false)
        }
        None => {
            check_room_for_camera(&catalog, &user, &mut tx).await?;
            let name = name.unwrap_or_else(|| default_name(&probed.record));
            let new = NewCamera { site_id: body.site_id, name, description: String::new(), enabled: true, streams };
            (camera::create(&mut tx, &catalog.credential_key, user.tenant_id, &new).await?, true)
        }
    };
    let sealed = vms_catalog::credentials::Credentials { username, password: body.password };
    device::put(&mut tx, &catalog.credential_key, user.tenant_id, camera.id, &probed.record, &sealed).await?;
    crate::commit(tx).await?;
    let record = &probed.record;
    catalog
        .audit
        .record(
            audit::by(&user, &ip, "camera.onboard", Outcome::Success)
                .target("camera", camera.id)
                .detail(
                    "device",
                    url::Url::parse(&record.device_url).map(|u| vms_devices::http::host_of(&u)).unwrap_or_default(),
                )
                .detail("created", created.to_string())
                .detail("model", record.model.as_deref().unwrap_or("")),
        )
        .await;
    tracing::info!(camera_id = %camera.id, user_id = %user.user_id, created, "camera onboarded");
    let device = DeviceView {
        device_url: record.device_url.clone(),
        manufacturer: record.manufacturer.clone(),
        model: record.model.clone(),
        firmware: record.firmware.clone(),
        serial: record.serial.clone(),
        main_profile: record.main_profile.clone(),
        sub_profile: record.sub_profile.clone(),
        ptz: record.ptz_profile.is_some(),
        snapshot: record.snapshot_url.is_some(),
    };
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(Onboarded { created, camera: view(&planes, camera).await, device })))
}

/// Audits a failed onboarding (wrong credentials, a silent device) and passes its error on.
async fn refused(catalog: &Catalog, user: &AuthUser, ip: &ClientIp, host: &str, e: ApiError) -> ApiError {
    catalog
        .audit
        .record(
            audit::by(user, ip, "camera.onboard", Outcome::Failure)
                .detail("device", host)
                .detail("reason", e.code().as_str()),
        )
        .await;
    e
}

/// A new camera's name when none is given: manufacturer and model, else the device's host.
fn default_name(record: &DeviceRecord) -> String {
    let named =
        [record.manufacturer.as_deref(), record.model.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let host = url::Url::parse(&record.device_url)
        .ok()
        .and_then(|u| u.host_str().map(|h| u.port().map_or(h.to_owned(), |p| format!("{h}:{p}"))))
        .unwrap_or_default();
    let name = if named.is_empty() { host.clone() } else { format!("{named} {host}") };
    vms_devices::soap::clip(name.trim(), 200).trim().to_owned()
}
