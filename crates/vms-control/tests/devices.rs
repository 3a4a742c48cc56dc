//! Discovery, onboarding and PTZ through the API, against simulated ONVIF
//! devices speaking real WS-Discovery (UDP) and SOAP (HTTP) on loopback.

mod common;

use std::{
    net::{Ipv4Addr, SocketAddr},
    time::Duration,
};

use axum::http::{Method, StatusCode};
use common::{api_with, assert_bad_field};
use serde_json::{Value, json};
use vms_camsim::onvif::{OnvifConfig, OnvifDevice};

/// Where the simulated devices say their streams are (not one of the installation's own ports).
const RTSP: &str = "rtsp://127.0.0.1:18554";

async fn device(spec: &str) -> OnvifDevice {
    OnvifDevice::start(OnvifConfig::parse(spec).unwrap(), "127.0.0.1:0".parse().unwrap(), None, RTSP).await.unwrap()
}

/// An API that may reach loopback devices and sends probes to `discovery_port`.
async fn lab_api(discovery_port: u16) -> common::Api {
    api_with(|c| {
        c.devices.allow_loopback = true;
        c.devices.discovery_port = discovery_port;
    })
    .await
}

async fn wait_for_scan(api: &common::Api, id: &str) -> Value {
    for _ in 0..100 {
        let (status, scan) = api.call(Method::GET, &format!("/api/discovery/scan/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{scan}");
        if scan["state"] != "running" {
            return scan;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the scan did not end");
}

/// A user holding `role` on `site` only; returns their token.
async fn site_user(api: &common::Api, username: &str, role: &str, site: &str) -> String {
    let body = json!({"username": username, "password": "Site-user-pw-1", "roles": [{"role": role, "site_id": site}]});
    let (status, made) = api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    api.login(username, "Site-user-pw-1").await
}

async fn onboard(api: &common::Api, token: &str, body: Value) -> (StatusCode, Value) {
    let (status, text) = api.raw(Method::POST, "/api/cameras/onboard", Some(token), Some(&body.to_string())).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_scan_finds_devices_and_says_which_are_cameras_already() {
    let first = OnvifDevice::start(
        OnvifConfig::parse("gate").unwrap(),
        "127.0.0.2:0".parse().unwrap(),
        Some("127.0.0.2:0".parse().unwrap()),
        RTSP,
    )
    .await
    .unwrap();
    let port = first.discovery_addr().unwrap().port();
    let second = OnvifDevice::start(
        OnvifConfig::parse("yard?ptz").unwrap(),
        SocketAddr::from((Ipv4Addr::new(127, 0, 0, 3), 0)),
        Some(SocketAddr::from((Ipv4Addr::new(127, 0, 0, 3), port))),
        RTSP,
    )
    .await
    .unwrap();
    let api = lab_api(port).await;
    let site = api.create_site("North").await;
    let body = json!({"ranges": ["127.0.0.2-127.0.0.4"], "multicast": false, "window_secs": 1});
    let (status, started) = api.call(Method::POST, "/api/discovery/scan", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_str().unwrap().to_owned();
    let scan = wait_for_scan(&api, &id).await;
    assert_eq!(scan["state"], "done", "{scan}");
    assert_eq!(scan["progress"], json!({"probed": 3, "total": 3}));
    let devices = scan["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{scan}");
    let yard = devices.iter().find(|d| d["name"] == "yard").expect("yard found");
    assert_eq!(yard["device_url"], second.device_url());
    assert_eq!(yard["manufacturer"], "Techno Support");
    assert_eq!(yard["camera_id"], Value::Null);

    // Onboard what the scan found; the scan then names its camera.
    let (status, made) = onboard(
        &api,
        &api.token,
        json!({"device_url": yard["device_url"], "username": "admin", "password": "camsim", "site_id": site}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let scan = wait_for_scan(&api, &id).await;
    let yard = scan["devices"].as_array().unwrap().iter().find(|d| d["name"] == "yard").unwrap().clone();
    assert_eq!(yard["camera_id"], made["camera"]["id"]);
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn scans_are_bounded_checked_and_cancellable() {
    let strict = api_with(|_| {}).await;
    let (status, body) = strict
        .call(Method::POST, "/api/discovery/scan", Some(json!({"ranges": ["127.0.0.1"], "multicast": false})))
        .await;
    assert_bad_field(status, &body, "ranges");
    assert!(body["message"].as_str().unwrap().contains("loopback"), "{body}");

    let api = lab_api(9).await;
    for (body, field) in [
        (json!({"ranges": ["10.0.0.0/21"]}), "ranges"),
        (json!({"ranges": ["10.0.0.300"]}), "ranges"),
        (json!({"ranges": ["169.254.1.1"]}), "ranges"),
        (json!({"ranges": [], "multicast": false}), "ranges"),
        (json!({"ranges": ["10.0.0.1"], "window_secs": 0}), "window_secs"),
    ] {
        let (status, answer) = api.call(Method::POST, "/api/discovery/scan", Some(body.clone())).await;
        assert_bad_field(status, &answer, field);
    }
    let (status, _) =
        api.call(Method::POST, "/api/discovery/scan", Some(json!({"ranges": ["10.0.0.1"], "bogus": 1}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Multicast reaches every network and tenant of the installation: super-admins only.
    let tenant_admin = api.user_with_roles("local-admin", &["admin"]).await;
    let multicast = json!({"ranges": [], "multicast": true, "window_secs": 1}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/discovery/scan", Some(&tenant_admin), Some(&multicast)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Only a tenant-wide camera manager scans.
    let site = api.create_site("Somewhere").await;
    let site_admin = site_user(&api, "site-admin", "admin", &site).await;
    let unicast = json!({"ranges": ["127.0.1.1"], "multicast": false, "window_secs": 1}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/discovery/scan", Some(&site_admin), Some(&unicast)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let operator = api.user_with_roles("op", &["operator"]).await;
    let body = json!({"ranges": ["127.0.1.1"], "multicast": false}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/discovery/scan", Some(&operator), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A long scan, cancelled: what it found so far stays readable.
    let body = json!({"ranges": ["127.0.1.0/24"], "multicast": false, "window_secs": 30});
    let (status, started) = api.call(Method::POST, "/api/discovery/scan", Some(body.clone())).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_str().unwrap();
    // Two running at once per tenant, no more.
    let (status, second) = api.call(Method::POST, "/api/discovery/scan", Some(body.clone())).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{second}");
    let (status, third) = api.call(Method::POST, "/api/discovery/scan", Some(body)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{third}");
    for scan in [id, second["id"].as_str().unwrap()] {
        let (status, _) = api.call(Method::DELETE, &format!("/api/discovery/scan/{scan}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(wait_for_scan(&api, scan).await["state"], "cancelled");
    }
    let (status, _) = api.call(Method::GET, &format!("/api/discovery/scan/{}", uuid::Uuid::new_v4()), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.call(Method::GET, "/api/discovery/scan/not-a-uuid", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn onboarding_checks_credentials_and_never_duplicates_a_device() {
    let sim = device("lobby?ptz").await;
    let api = lab_api(9).await;
    let site = api.create_site("Lobby").await;
    let request = |password: &str| json!({"device_url": sim.device_url(), "username": "admin", "password": password, "site_id": site});

    let (status, refused) = onboard(&api, &api.token, request("wrong-password")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["code"], "device_auth_failed");
    let (_, cameras) = api.call(Method::GET, "/api/cameras", None).await;
    assert_eq!(cameras["items"].as_array().unwrap().len(), 0, "nothing added on refusal");

    let (status, made) = onboard(&api, &api.token, request("camsim")).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["created"], true);
    assert_eq!(made["device"]["ptz"], true);
    assert_eq!(made["device"]["main_profile"], "main");
    assert_eq!(made["device"]["sub_profile"], "sub");
    let streams = made["camera"]["streams"].as_array().unwrap();
    let url_of = |role: &str| streams.iter().find(|s| s["role"] == role).map(|s| s["url"].clone());
    assert_eq!(url_of("main"), Some(json!("rtsp://127.0.0.1:18554/h264_720p")));
    assert_eq!(url_of("sub"), Some(json!("rtsp://127.0.0.1:18554/h264_360p")));
    assert!(streams.iter().all(|s| s["has_credentials"] == true));
    assert_eq!(made["camera"]["name"], "Techno Support CamSim ONVIF 127.0.0.1:".to_owned() + &sim.device_url()[17..22]);

    // Again, by address this time and with a name: the same camera, renamed.
    let address = sim.device_url()[7..].split('/').next().unwrap().to_owned();
    let again =
        json!({"address": address, "username": "admin", "password": "camsim", "site_id": site, "name": "Lobby PTZ"});
    let (status, updated) = onboard(&api, &api.token, again).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["created"], false);
    assert_eq!(updated["camera"]["id"], made["camera"]["id"]);
    assert_eq!(updated["camera"]["name"], "Lobby PTZ");
    let (_, cameras) = api.call(Method::GET, "/api/cameras", None).await;
    assert_eq!(cameras["items"].as_array().unwrap().len(), 1);

    // Both onboardings and the refused one are audited, without the password.
    let (_, audit) = api.call(Method::GET, "/api/audit?action=camera.onboard", None).await;
    let outcomes: Vec<&str> =
        audit["items"].as_array().unwrap().iter().map(|a| a["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "success").count(), 2, "{audit}");
    assert_eq!(outcomes.iter().filter(|o| **o == "failure").count(), 1, "{audit}");
    api.assert_never_returned("camsim\"");
    api.assert_never_returned("wrong-password");
    sim.stop().await;
}

#[tokio::test]
async fn onboarding_says_what_is_wrong_with_the_request_or_the_device() {
    let api = lab_api(9).await;
    let site = api.create_site("Depot").await;
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gone = closed.local_addr().unwrap().to_string();
    drop(closed);
    let (status, body) =
        onboard(&api, &api.token, json!({"address": gone, "username": "a", "password": "b", "site_id": site})).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{body}");
    assert_eq!(body["code"], "device_unreachable");

    let malformed = device("broken?malformed").await;
    let (status, body) = onboard(
        &api,
        &api.token,
        json!({"device_url": malformed.device_url(), "username": "admin", "password": "camsim", "site_id": site}),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["message"].as_str().unwrap().contains("did not answer in the protocol asked of it"), "{body}");

    for (body, field) in [
        (json!({"username": "a", "password": "b", "site_id": site}), "address"),
        (
            json!({"address": "10.0.0.1", "device_url": "http://10.0.0.1/onvif/device_service", "username": "a", "password": "b", "site_id": site}),
            "address",
        ),
        (
            json!({"device_url": "http://admin:pw@10.0.0.1/onvif/device_service", "username": "a", "password": "b", "site_id": site}),
            "address",
        ),
        (json!({"address": "169.254.169.254", "username": "a", "password": "b", "site_id": site}), "address"),
        (json!({"address": "127.0.0.1:5432", "username": "a", "password": "b", "site_id": site}), "address"),
    ] {
        let (status, answer) = onboard(&api, &api.token, body).await;
        assert_bad_field(status, &answer, field);
    }
    let strict = api_with(|_| {}).await;
    let strict_site = strict.create_site("S").await;
    let (status, answer) = onboard(
        &strict,
        &strict.token,
        json!({"device_url": malformed.device_url(), "username": "a", "password": "b", "site_id": strict_site}),
    )
    .await;
    assert_bad_field(status, &answer, "address");
    // Onboarding needs camera.manage on the site.
    let operator = api.user_with_roles("op", &["operator"]).await;
    let (status, _) =
        onboard(&api, &operator, json!({"address": "10.0.0.1", "username": "a", "password": "b", "site_id": site}))
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    malformed.stop().await;
}

#[tokio::test]
async fn ptz_steers_the_device_for_those_allowed() {
    let dome = device("dome?ptz").await;
    let fixed = device("fixed").await;
    let api = lab_api(9).await;
    let site = api.create_site("Car park").await;
    let made = |sim: &OnvifDevice| json!({"device_url": sim.device_url(), "username": "admin", "password": "camsim", "site_id": site});
    let (_, dome_cam) = onboard(&api, &api.token, made(&dome)).await;
    let (_, fixed_cam) = onboard(&api, &api.token, made(&fixed)).await;
    let dome_id = dome_cam["camera"]["id"].as_str().unwrap().to_owned();
    let ptz = |path: &str| format!("/api/cameras/{dome_id}/ptz/{path}");
    let operator = api.user_with_roles("op", &["operator"]).await;
    let viewer = api.user_with_roles("watcher", &["viewer"]).await;
    let send = |token: String, method: Method, uri: String, body: Option<Value>| {
        let api = &api;
        async move {
            let body = body.map(|b| b.to_string());
            let (status, text) = api.raw(method, &uri, Some(&token), body.as_deref()).await;
            (status, serde_json::from_str::<Value>(&text).unwrap_or(Value::Null))
        }
    };

    let (status, _) = send(operator.clone(), Method::POST, ptz("move"), Some(json!({"pan": 1.0, "tilt": 0.5}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, moving) = send(operator.clone(), Method::GET, ptz("status"), None).await;
    assert_eq!((status, moving["moving"].clone()), (StatusCode::OK, json!(true)), "{moving}");
    let (status, _) = send(operator.clone(), Method::POST, ptz("stop"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let [pan, tilt, _] = dome.ptz_position();
    assert!(pan > 0.05 && tilt > 0.02, "the simulated head moved: {pan} {tilt}");

    let (status, _) =
        send(operator.clone(), Method::POST, ptz("absolute"), Some(json!({"pan": -0.5, "tilt": 0.25, "zoom": 0.5})))
            .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(dome.ptz_position(), [-0.5, 0.25, 0.5]);
    let (status, preset) =
        send(api.token.clone(), Method::POST, ptz("presets"), Some(json!({"name": "Barrier"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{preset}");
    let token = preset["token"].as_str().unwrap().to_owned();
    let (status, _) = send(operator.clone(), Method::POST, ptz("relative"), Some(json!({"pan": 0.25}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(dome.ptz_position(), [-0.25, 0.25, 0.5]);
    let (_, presets) = send(operator.clone(), Method::GET, ptz("presets"), None).await;
    assert_eq!(presets["items"], json!([{"token": token, "name": "Barrier"}]));
    let (status, _) = send(operator.clone(), Method::POST, ptz(&format!("presets/{token}/goto")), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(dome.ptz_position(), [-0.5, 0.25, 0.5]);
    let (status, _) = send(operator.clone(), Method::POST, ptz("home"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(dome.ptz_position(), [0.0, 0.0, 0.0]);
    let (status, _) = send(api.token.clone(), Method::DELETE, ptz(&format!("presets/{token}")), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Bad input, other people, other cameras.
    for (path, body, field) in [
        ("move", json!({"pan": 2.0}), "pan"),
        ("move", json!({"zoom": -1.5}), "zoom"),
        ("move", json!({"pan": 0.1, "timeout_ms": 0}), "timeout_ms"),
        ("absolute", json!({"zoom": -0.5}), "zoom"),
        ("presets", json!({"name": ""}), "name"),
    ] {
        let (status, answer) = send(api.token.clone(), Method::POST, ptz(path), Some(body)).await;
        assert_bad_field(status, &answer, field);
    }
    let (status, answer) = send(operator.clone(), Method::POST, ptz("presets/..%2F/goto"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let (status, _) = send(viewer.clone(), Method::POST, ptz("move"), Some(json!({"pan": 0.1}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let fixed_id = fixed_cam["camera"]["id"].as_str().unwrap();
    let (status, answer) =
        send(operator.clone(), Method::POST, format!("/api/cameras/{fixed_id}/ptz/move"), Some(json!({"pan": 0.1})))
            .await;
    assert_eq!((status, answer["code"].clone()), (StatusCode::CONFLICT, json!("failed_precondition")), "{answer}");

    // A flood of moves (at once, so a slow machine cannot spread them over seconds) is cut off; a stop always gets through.
    let flood = (0..15).map(|_| send(operator.clone(), Method::POST, ptz("move"), Some(json!({"pan": 0.1}))));
    let statuses: Vec<StatusCode> = futures::future::join_all(flood).await.into_iter().map(|(s, _)| s).collect();
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    assert_eq!(send(operator.clone(), Method::POST, ptz("stop"), None).await.0, StatusCode::NO_CONTENT);

    // Moves are audited in aggregate, presets one by one.
    let (_, audit) = api.call(Method::GET, "/api/audit?action=camera.ptz.move", None).await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
    let (_, audit) = api.call(Method::GET, "/api/audit?action=camera.ptz.preset_set", None).await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
    dome.stop().await;
    fixed.stop().await;
}

#[tokio::test]
async fn onboarding_and_ptz_stay_within_the_callers_sites() {
    let dome = device("mast?ptz").await;
    let api = lab_api(9).await;
    let (north, south) = (api.create_site("North").await, api.create_site("South").await);
    let north_admin = site_user(&api, "north-admin", "admin", &north).await;
    let body = |site: &str| json!({"device_url": dome.device_url(), "username": "admin", "password": "camsim", "site_id": site});
    // A site's manager adds cameras to that site only.
    let (status, _) = onboard(&api, &north_admin, body(&south)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The device becomes a camera of the south site ...
    let (status, made) = onboard(&api, &api.token, body(&south)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    // ... which the north site's manager cannot touch (nor learn where it is) ...
    let (status, refused) = onboard(&api, &north_admin, body(&north)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert!(!refused.to_string().contains(made["camera"]["id"].as_str().unwrap()));
    // ... and which onboarding it into another site neither moves nor rewrites.
    let (status, refused) = onboard(&api, &api.token, body(&north)).await;
    assert_eq!((status, refused["code"].clone()), (StatusCode::CONFLICT, json!("failed_precondition")), "{refused}");
    // PTZ needs camera.ptz on that camera's site.
    let north_operator = site_user(&api, "north-op", "operator", &north).await;
    let south_operator = site_user(&api, "south-op", "operator", &south).await;
    let uri = format!("/api/cameras/{}/ptz/move", made["camera"]["id"].as_str().unwrap());
    let moving = json!({"pan": 0.2}).to_string();
    let (status, _) = api.raw(Method::POST, &uri, Some(&north_operator), Some(&moving)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api.raw(Method::POST, &uri, Some(&south_operator), Some(&moving)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Presets change the device: an operator may go to them, not store them.
    let presets = format!("/api/cameras/{}/ptz/presets", made["camera"]["id"].as_str().unwrap());
    let (status, _) =
        api.raw(Method::POST, &presets, Some(&south_operator), Some(&json!({"name": "x"}).to_string())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    dome.stop().await;
}
