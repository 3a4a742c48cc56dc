//! NVR import, sync and removal through the API, against simulated NVRs
//! speaking ONVIF (SOAP), Hikvision ISAPI and Dahua RPC2 over HTTP on loopback.

mod common;

use axum::http::{Method, StatusCode};
use common::{api_with, assert_bad_field};
use serde_json::{Value, json};
use vms_camsim::{
    dahua::DahuaNvr,
    hikvision::HikvisionNvr,
    nvr::NvrConfig,
    onvif::{OnvifConfig, OnvifDevice},
};

/// Where the simulated NVRs say their streams are (not one of the installation's own ports).
const RTSP: &str = "rtsp://127.0.0.1:18554";

async fn onvif_nvr(spec: &str) -> OnvifDevice {
    OnvifDevice::start(OnvifConfig::parse(spec).unwrap(), "127.0.0.1:0".parse().unwrap(), None, RTSP).await.unwrap()
}

/// An API that may reach loopback devices.
async fn lab_api() -> common::Api {
    api_with(|c| c.devices.allow_loopback = true).await
}

async fn import(api: &common::Api, token: &str, body: Value) -> (StatusCode, Value) {
    let (status, text) = api.raw(Method::POST, "/api/nvrs", Some(token), Some(&body.to_string())).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn camera_names(api: &common::Api) -> Vec<String> {
    let (status, cameras) = api.call(Method::GET, "/api/cameras", None).await;
    assert_eq!(status, StatusCode::OK, "{cameras}");
    let mut names: Vec<String> =
        cameras["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

fn camera_of(detail: &Value, number: i64) -> Value {
    detail["channels"].as_array().unwrap().iter().find(|c| c["number"] == number).unwrap()["camera_id"].clone()
}

#[tokio::test]
async fn an_nvr_imported_twice_and_synced_never_duplicates_a_camera() {
    let sim = onvif_nvr("depot?channels=3&model=Recorder").await;
    let api = lab_api().await;
    let site = api.create_site("Depot").await;
    let device_url = sim.device_url();
    let request = |password: &str, channels: Option<Vec<u32>>| {
        let mut body = json!({"vendor": "onvif", "address": device_url, "username": "admin",
            "password": password, "site_id": site, "name": "Depot NVR"});
        if let Some(channels) = channels {
            body["channels"] = json!(channels);
        }
        body
    };

    let (status, refused) = import(&api, &api.token, request("wrong-password", None)).await;
    assert_eq!((status, refused["code"].clone()), (StatusCode::BAD_REQUEST, json!("device_auth_failed")), "{refused}");
    let (_, list) = api.call(Method::GET, "/api/nvrs", None).await;
    assert_eq!(list["items"], json!([]), "nothing stored on refusal");

    // Channels 1 and 3 first.
    let (status, first) = import(&api, &api.token, request("camsim", Some(vec![1, 3]))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["nvr"]["model"], "Recorder");
    assert_eq!(first["nvr"]["channel_count"], 3);
    assert_eq!(first["nvr"]["camera_count"], 2);
    assert_eq!(first["nvr"]["all_channels"], false);
    assert_eq!(first["cameras_created"].as_array().unwrap().len(), 2);
    assert_eq!(camera_of(&first, 2), Value::Null);
    assert_eq!(camera_names(&api).await, ["Depot NVR 01 ch1_main", "Depot NVR 03 ch3_main"]);
    let (_, camera) =
        api.call(Method::GET, &format!("/api/cameras/{}", camera_of(&first, 3).as_str().unwrap()), None).await;
    let streams = camera["streams"].as_array().unwrap();
    let url_of = |role: &str| streams.iter().find(|s| s["role"] == role).map(|s| s["url"].clone());
    assert_eq!(url_of("main"), Some(json!(format!("{RTSP}/nvr/ch3/main"))));
    assert_eq!(url_of("sub"), Some(json!(format!("{RTSP}/nvr/ch3/sub"))));
    assert!(streams.iter().all(|s| s["has_credentials"] == true), "the NVR's credentials are the streams'");
    // The media plane is told to subscribe to its alarms, for those two cameras.
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    let devices = vms_catalog::plane_devices::enabled_devices(&mut *tx).await.unwrap();
    drop(tx);
    assert_eq!(devices.len(), 1, "{devices:?}");
    assert_eq!((devices[0].protocol.as_str(), devices[0].address.as_str()), ("onvif", sim.device_url().as_str()));
    assert_eq!(devices[0].device_id.to_string(), first["nvr"]["id"].as_str().unwrap());
    let channels: Vec<Option<u32>> = devices[0].cameras.iter().map(|(_, _, channel)| *channel).collect();
    assert_eq!(channels, [Some(1), Some(3)]);
    assert!(devices[0].sealed_credentials.is_some());

    // Again with every channel: channel 2 is added, 1 and 3 updated, none twice.
    let (status, second) = import(&api, &api.token, request("camsim", None)).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["nvr"]["id"], first["nvr"]["id"]);
    assert_eq!(second["cameras_created"].as_array().unwrap().len(), 1);
    assert_eq!(second["cameras_updated"].as_array().unwrap().len(), 2);
    assert_eq!(camera_of(&second, 1), camera_of(&first, 1));
    assert_eq!(camera_names(&api).await.len(), 3);

    // A renamed camera keeps its name through a sync; a deleted one is not brought back.
    let renamed = camera_of(&second, 1).as_str().unwrap().to_owned();
    let (status, _) =
        api.call(Method::PATCH, &format!("/api/cameras/{renamed}"), Some(json!({"name": "Loading bay"}))).await;
    assert_eq!(status, StatusCode::OK);
    let deleted = camera_of(&second, 2).as_str().unwrap().to_owned();
    let (status, _) = api.call(Method::DELETE, &format!("/api/cameras/{deleted}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let id = first["nvr"]["id"].as_str().unwrap().to_owned();
    let (status, synced) = api.call(Method::POST, &format!("/api/nvrs/{id}/sync"), None).await;
    assert_eq!(status, StatusCode::OK, "{synced}");
    assert_eq!(synced["cameras_created"], json!([]));
    assert_eq!(synced["cameras_updated"], json!([]), "nothing changed: no camera rewritten");
    assert_eq!(camera_of(&synced, 2), Value::Null);
    assert_eq!(camera_names(&api).await, ["Depot NVR 03 ch3_main", "Loading bay"]);

    // Rebooted with channel 3 gone: its camera stays, linked; it comes back with its channel.
    let addr: std::net::SocketAddr = device_url[7..].split('/').next().unwrap().parse().unwrap();
    let restart = |spec: &'static str| async move {
        OnvifDevice::start(OnvifConfig::parse(spec).unwrap(), addr, None, RTSP).await.unwrap()
    };
    sim.stop().await;
    let sim = restart("depot?channels=2&model=Recorder").await;
    let (status, shrunk) = api.call(Method::POST, &format!("/api/nvrs/{id}/sync"), None).await;
    assert_eq!(status, StatusCode::OK, "{shrunk}");
    assert_eq!(shrunk["nvr"]["channel_count"], 2);
    assert_eq!(camera_of(&shrunk, 3), camera_of(&first, 3), "the camera stays linked");
    assert_eq!(camera_names(&api).await.len(), 2);
    sim.stop().await;
    let sim = restart("depot?channels=3&model=Recorder").await;
    let (status, back) = api.call(Method::POST, &format!("/api/nvrs/{id}/sync"), None).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["nvr"]["channel_count"], 3);
    assert_eq!(back["cameras_updated"], json!([camera_of(&first, 3)]), "its streams given again");
    assert_eq!(back["cameras_created"], json!([]));
    // Another NVR at the address (another serial) is refused, not mapped onto these cameras.
    sim.stop().await;
    let other = restart("stranger?channels=3").await;
    let (status, refused) = api.call(Method::POST, &format!("/api/nvrs/{id}/sync"), None).await;
    assert_eq!((status, refused["code"].clone()), (StatusCode::CONFLICT, json!("failed_precondition")), "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("another NVR answers at this address"), "{refused}");
    other.stop().await;
    let sim = restart("depot?channels=3&model=Recorder").await;

    let (status, list) = api.call(Method::GET, "/api/nvrs", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["camera_count"], 2);
    let (status, detail) = api.call(Method::GET, &format!("/api/nvrs/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["channels"].as_array().unwrap().len(), 3);

    // Removing it keeps its cameras when asked to.
    let (status, body) = api.call(Method::DELETE, &format!("/api/nvrs/{id}"), None).await;
    assert_bad_field(status, &body, "cameras");
    let (status, _) = api.call(Method::DELETE, &format!("/api/nvrs/{id}?cameras=keep"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(camera_names(&api).await.len(), 2);
    let (status, _) = api.call(Method::GET, &format!("/api/nvrs/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Imported anew and removed with its cameras.
    let (status, again) = import(&api, &api.token, request("camsim", Some(vec![2]))).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let id = again["nvr"]["id"].as_str().unwrap();
    let (status, _) = api.call(Method::DELETE, &format!("/api/nvrs/{id}?cameras=remove"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(camera_names(&api).await.len(), 2);

    let (_, audit) = api.call(Method::GET, "/api/audit?action=nvr.import", None).await;
    let outcomes: Vec<&str> =
        audit["items"].as_array().unwrap().iter().map(|a| a["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "success").count(), 3, "{audit}");
    assert_eq!(outcomes.iter().filter(|o| **o == "failure").count(), 1, "{audit}");
    let (_, audit) = api.call(Method::GET, "/api/audit?action=nvr.delete", None).await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
    api.assert_never_returned("camsim\"");
    api.assert_never_returned("wrong-password");
    sim.stop().await;
}

#[tokio::test]
async fn hikvision_and_dahua_nvrs_import_with_their_channel_titles_and_states() {
    let loopback = "127.0.0.1:0".parse().unwrap();
    let hikvision = HikvisionNvr::start(
        NvrConfig::parse("warehouse?channels=4&offline=3&names=Gate,Dock").unwrap(),
        loopback,
        18554,
    )
    .await
    .unwrap();
    let dahua = DahuaNvr::start(NvrConfig::parse("office?channels=2").unwrap(), loopback, 18554).await.unwrap();
    let api = lab_api().await;
    let site = api.create_site("Plant").await;
    let body = |vendor: &str, address: &str, password: &str| json!({"vendor": vendor, "address": address, "username": "admin", "password": password, "site_id": site});

    let (status, hik) = import(&api, &api.token, body("hikvision", &hikvision.base_url(), "camsim")).await;
    assert_eq!(status, StatusCode::CREATED, "{hik}");
    assert_eq!(hik["nvr"]["manufacturer"], "Hikvision");
    assert_eq!(hik["nvr"]["vendor"], "hikvision");
    let channels = hik["channels"].as_array().unwrap();
    let titles: Vec<&str> = channels.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Gate", "Dock", "Camera 03", "Camera 04"]);
    assert_eq!(channels[2]["online"], false);
    assert_eq!(channels[0]["online"], true);
    assert_eq!(channels[0]["main_url"], "rtsp://127.0.0.1:18554/Streaming/Channels/101");
    assert_eq!(channels[0]["sub_url"], "rtsp://127.0.0.1:18554/Streaming/Channels/102");
    let name = hik["nvr"]["name"].as_str().unwrap().to_owned();
    assert!(camera_names(&api).await.contains(&format!("{name} 01 Gate")), "{:?}", camera_names(&api).await);
    // Imported again: the same NVR and cameras.
    let (status, again) = import(&api, &api.token, body("hikvision", &hikvision.base_url(), "camsim")).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["cameras_created"], json!([]));
    assert_eq!(again["cameras_updated"].as_array().unwrap().len(), 3, "an import gives the credentials anew");
    assert_eq!(camera_names(&api).await.len(), 3, "channel 3 has no camera connected: none made");

    let (status, refused) = import(&api, &api.token, body("dahua", &dahua.base_url(), "wrong-password")).await;
    assert_eq!((status, refused["code"].clone()), (StatusCode::BAD_REQUEST, json!("device_auth_failed")), "{refused}");
    let mut only_second = body("dahua", &dahua.base_url(), "camsim");
    only_second["channels"] = json!([2]);
    let (status, dh) = import(&api, &api.token, only_second).await;
    assert_eq!(status, StatusCode::CREATED, "{dh}");
    assert_eq!(dh["nvr"]["manufacturer"], "Dahua");
    assert_eq!(dh["channels"][1]["main_url"], "rtsp://127.0.0.1:18554/cam/realmonitor?channel=2&subtype=0");
    assert_eq!(dh["channels"][1]["sub_url"], "rtsp://127.0.0.1:18554/cam/realmonitor?channel=2&subtype=1");
    assert_eq!(camera_of(&dh, 1), Value::Null);
    let id = dh["nvr"]["id"].as_str().unwrap();
    let (status, synced) = api.call(Method::POST, &format!("/api/nvrs/{id}/sync"), None).await;
    assert_eq!(status, StatusCode::OK, "{synced}");
    assert_eq!(synced["cameras_created"], json!([]), "channel 1 was not asked for");
    assert_eq!(camera_names(&api).await.len(), 4);
    api.assert_never_returned("wrong-password");
    hikvision.stop().await;
    dahua.stop().await;
}

#[tokio::test]
async fn nvr_imports_say_what_is_wrong_with_the_request_or_the_nvr() {
    let sim = onvif_nvr("yard?channels=2").await;
    let api = lab_api().await;
    let site = api.create_site("Yard").await;
    let base = |vendor: &str, address: &str| json!({"vendor": vendor, "address": address, "username": "admin", "password": "camsim", "site_id": site});
    let mut no_such_channel = base("onvif", &sim.device_url());
    no_such_channel["channels"] = json!([2, 9]);
    let (status, body) = import(&api, &api.token, no_such_channel).await;
    assert_bad_field(status, &body, "channels");
    assert!(body["message"].as_str().unwrap().contains("no channel 9"), "{body}");
    for (body, field) in [
        (base("hikvision", "http://admin:pw@10.0.0.1"), "address"),
        (base("dahua", "https://10.0.0.1"), "address"),
        (base("hikvision", "169.254.169.254"), "address"),
        (base("dahua", "127.0.0.1:5432"), "address"),
    ] {
        let (status, answer) = import(&api, &api.token, body).await;
        assert_bad_field(status, &answer, field);
    }
    let mut zero = base("onvif", &sim.device_url());
    zero["channels"] = json!([0]);
    let (status, body) = import(&api, &api.token, zero).await;
    assert_bad_field(status, &body, "channels");
    let (status, _) = import(&api, &api.token, base("axis", "10.0.0.1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gone = closed.local_addr().unwrap().to_string();
    drop(closed);
    let (status, body) = import(&api, &api.token, base("hikvision", &gone)).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::GATEWAY_TIMEOUT, json!("device_unreachable")), "{body}");

    // Imported into one site, it cannot be taken into another.
    let (status, made) = import(&api, &api.token, base("onvif", &sim.device_url())).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let other = api.create_site("Elsewhere").await;
    let mut moved = base("onvif", &sim.device_url());
    moved["site_id"] = json!(other);
    let (status, body) = import(&api, &api.token, moved).await;
    assert_eq!((status, body["code"].clone()), (StatusCode::CONFLICT, json!("failed_precondition")), "{body}");
    sim.stop().await;
}

#[tokio::test]
async fn nvrs_stay_within_the_callers_sites_and_tenant() {
    let sim = onvif_nvr("gatehouse?channels=2").await;
    let api = lab_api().await;
    let (north, south) = (api.create_site("North").await, api.create_site("South").await);
    let body = |site: &str| json!({"vendor": "onvif", "address": sim.device_url(), "username": "admin", "password": "camsim", "site_id": site});
    let (status, made) = import(&api, &api.token, body(&south)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["nvr"]["id"].as_str().unwrap().to_owned();

    let (status, user) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "north-admin", "password": "Site-user-pw-1", "roles": [{"role": "admin", "site_id": north}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let north_admin = api.login("north-admin", "Site-user-pw-1").await;
    // A north manager neither imports into the south site nor sees, syncs or removes its NVR.
    let (status, _) = import(&api, &north_admin, body(&south)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // ... but imports into the north site, and lists that NVR and no other.
    let north_sim = onvif_nvr("northgate?channels=1").await;
    let north_body = json!({"vendor": "onvif", "address": north_sim.device_url(), "username": "admin",
        "password": "camsim", "site_id": north});
    let (status, north_nvr) = import(&api, &north_admin, north_body).await;
    assert_eq!(status, StatusCode::CREATED, "{north_nvr}");
    let (status, text) = api.raw(Method::GET, "/api/nvrs", Some(&north_admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text.contains(&id), "{text}");
    let listed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["items"][0]["id"], north_nvr["nvr"]["id"]);
    north_sim.stop().await;
    let (status, _) = api.raw(Method::GET, &format!("/api/nvrs/{id}"), Some(&north_admin), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api.raw(Method::POST, &format!("/api/nvrs/{id}/sync"), Some(&north_admin), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        api.raw(Method::DELETE, &format!("/api/nvrs/{id}?cameras=remove"), Some(&north_admin), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An operator manages no cameras at all.
    let operator = api.user_with_roles("op", &["operator"]).await;
    let (status, _) = api.raw(Method::GET, "/api/nvrs", Some(&operator), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another tenant does not find it.
    let (status, tenant) = api.call(Method::POST, "/api/tenants", Some(json!({"name": "elsewhere"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    let tenant = tenant["id"].as_str().unwrap().to_owned();
    let (status, text) = api.raw_with_header("x-vms-tenant", &tenant, Method::GET, "/api/nvrs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text.contains(&id), "{text}");
    let (status, _) = api.raw_with_header("x-vms-tenant", &tenant, Method::GET, &format!("/api/nvrs/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    sim.stop().await;
}
