//! The Hikvision ISAPI and Dahua RPC2 readers of vms-devices against the
//! simulated NVRs over HTTP on loopback: identity, channels and their state,
//! credentials, misbehaviour, bounds, and channel addresses that play.

use std::{process::Command, time::Duration};

use serde_json::{Value, json};
use vms_camsim::{Camsim, camera::Camera, dahua::DahuaNvr, hikvision::HikvisionNvr, nvr::NvrConfig};
use vms_devices::{
    Credentials, DeviceError, Limits,
    nvr::{Inventory, Vendor, inventory},
};

const LOOPBACK: &str = "127.0.0.1:0";
/// Where channels point when nothing plays them.
const RTSP_PORT: u16 = 8554;

async fn camsim() -> Camsim {
    // Clips are generated once per build directory, not per test run.
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let cameras = ["h264_720p", "h264_360p"].iter().map(|c| Camera::parse(c).unwrap()).collect();
    Camsim::start(LOOPBACK.parse().unwrap(), &clips, cameras).await.unwrap()
}

async fn hikvision(spec: &str, rtsp_port: u16) -> HikvisionNvr {
    HikvisionNvr::start(NvrConfig::parse(spec).unwrap(), LOOPBACK.parse().unwrap(), rtsp_port).await.unwrap()
}

async fn dahua(spec: &str, rtsp_port: u16) -> DahuaNvr {
    DahuaNvr::start(NvrConfig::parse(spec).unwrap(), LOOPBACK.parse().unwrap(), rtsp_port).await.unwrap()
}

fn limits(secs: u64) -> Limits {
    Limits { timeout: Duration::from_secs(secs), ..Limits::default() }
}

async fn read(vendor: Vendor, base: &str, password: &str, limits: Limits) -> Result<Inventory, DeviceError> {
    inventory(vendor, base, &Credentials::new("admin", password), limits).await
}

/// `codec,width,height` of the stream at `url`, as ffprobe reads it over TCP.
async fn probe(url: String) -> String {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v"])
            .args(["-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0"])
            .arg(&url)
            .output()
            .expect("ffprobe should be installed");
        assert!(out.status.success(), "{url}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    })
    .await
    .unwrap()
}

/// Checks what both simulators report for `channels=6&offline=2,5&names=Gate,Yard%20east`.
fn check_channels(inventory: &Inventory, rtsp_port: u16, main: &str, sub: &str) {
    let names: Vec<Option<&str>> = inventory.channels.iter().map(|c| c.name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("Gate"), Some("Yard east"), Some("Camera 03"), Some("Camera 04"), Some("Camera 05"), Some("Camera 06")]
    );
    let numbers: Vec<u32> = inventory.channels.iter().map(|c| c.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    let online: Vec<Option<bool>> = inventory.channels.iter().map(|c| c.online).collect();
    assert_eq!(online, [Some(true), Some(false), Some(true), Some(true), Some(false), Some(true)]);
    let first = &inventory.channels[0];
    assert_eq!(first.main.as_str(), format!("rtsp://127.0.0.1:{rtsp_port}/{main}"));
    assert_eq!(first.sub.as_ref().unwrap().as_str(), format!("rtsp://127.0.0.1:{rtsp_port}/{sub}"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hikvision_nvr_lists_its_channels_and_they_play() {
    let sim = camsim().await;
    let port = sim.addr().port();
    let nvr = hikvision("yard?channels=6&offline=2,5&names=Gate,Yard%20east", port).await;
    let inventory = read(Vendor::Hikvision, &nvr.base_url(), "camsim", limits(5)).await.unwrap();
    let identity = &inventory.identity;
    assert_eq!(identity.manufacturer.as_deref(), Some("Hikvision"));
    assert_eq!(identity.model.as_deref(), Some("CamSim ISAPI NVR"));
    assert_eq!(identity.name.as_deref(), Some("yard"));
    assert!(identity.serial.as_deref().is_some_and(|s| s.starts_with("CAMSIM")));
    assert_eq!(identity.firmware.as_deref(), Some("V4.62.210 build 230316"));
    check_channels(&inventory, port, "Streaming/Channels/101", "Streaming/Channels/102");
    assert_eq!(inventory.channels[5].main.path(), "/Streaming/Channels/601");
    assert_eq!(probe(inventory.channels[0].main.to_string()).await, "h264,1280,720");
    assert_eq!(probe(inventory.channels[2].sub.clone().unwrap().to_string()).await, "h264,640,360");
    nvr.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dahua_nvr_lists_its_channels_and_they_play() {
    let sim = camsim().await;
    let port = sim.addr().port();
    let nvr = dahua("gate?channels=6&offline=2,5&names=Gate,Yard%20east&model=DHI-NVR4208", port).await;
    let inventory = read(Vendor::Dahua, &nvr.base_url(), "camsim", limits(5)).await.unwrap();
    let identity = &inventory.identity;
    assert_eq!(identity.manufacturer.as_deref(), Some("Dahua"));
    assert_eq!(identity.model.as_deref(), Some("DHI-NVR4208"));
    assert_eq!(identity.name.as_deref(), Some("gate"));
    assert!(identity.serial.as_deref().is_some_and(|s| s.starts_with("CS")));
    assert_eq!(identity.firmware.as_deref(), Some("4.001.0000000.3.R"));
    check_channels(&inventory, port, "cam/realmonitor?channel=1&subtype=0", "cam/realmonitor?channel=1&subtype=1");
    assert_eq!(probe(inventory.channels[0].main.to_string()).await, "h264,1280,720");
    assert_eq!(probe(inventory.channels[3].sub.clone().unwrap().to_string()).await, "h264,640,360");
    nvr.stop().await;
    sim.stop().await;
}

#[tokio::test]
async fn older_firmwares_read_too() {
    // A DVR: no InputProxy ("notSupport" with HTTP 200), its video inputs are the channels.
    let dvr = hikvision("dvr?analog&channels=3", RTSP_PORT).await;
    let inventory = read(Vendor::Hikvision, &dvr.base_url(), "camsim", limits(5)).await.unwrap();
    assert_eq!(inventory.channels.len(), 3);
    assert_eq!(inventory.channels[2].name.as_deref(), Some("Camera 03"));
    assert_eq!(inventory.channels[2].online, None, "video inputs do not say");
    assert_eq!(inventory.channels[2].main.as_str(), "rtsp://127.0.0.1:8554/Streaming/Channels/301");
    dvr.stop().await;
    // Sessions as numbers.
    let old = dahua("old?numeric_session&channels=2", RTSP_PORT).await;
    let inventory = read(Vendor::Dahua, &old.base_url(), "camsim", limits(5)).await.unwrap();
    assert_eq!(inventory.channels.len(), 2);
    old.stop().await;
}

#[tokio::test]
async fn wrong_passwords_are_auth_failures() {
    let hik = hikvision("h", RTSP_PORT).await;
    assert_eq!(
        read(Vendor::Hikvision, &hik.base_url(), "wrong", limits(5)).await.unwrap_err(),
        DeviceError::AuthFailed
    );
    hik.stop().await;
    let dh = dahua("d", RTSP_PORT).await;
    assert_eq!(read(Vendor::Dahua, &dh.base_url(), "wrong", limits(5)).await.unwrap_err(), DeviceError::AuthFailed);
    let other_user = inventory(Vendor::Dahua, &dh.base_url(), &Credentials::new("root", "camsim"), limits(5)).await;
    assert_eq!(other_user.unwrap_err(), DeviceError::AuthFailed);
    dh.stop().await;
    let locked = dahua("l?locked", RTSP_PORT).await;
    let err = read(Vendor::Dahua, &locked.base_url(), "camsim", limits(5)).await.unwrap_err();
    assert!(matches!(&err, DeviceError::Fault { reason, .. } if reason.contains("locked")), "{err}");
    locked.stop().await;
}

#[tokio::test]
async fn misbehaving_nvrs_give_clear_errors() {
    let hik = hikvision("h?malformed", RTSP_PORT).await;
    let err = read(Vendor::Hikvision, &hik.base_url(), "camsim", limits(5)).await.unwrap_err();
    assert!(matches!(err, DeviceError::Xml(_)), "{err}");
    hik.stop().await;
    let dh = dahua("d?malformed", RTSP_PORT).await;
    let err = read(Vendor::Dahua, &dh.base_url(), "camsim", limits(5)).await.unwrap_err();
    assert!(matches!(err, DeviceError::Json(_)), "{err}");
    dh.stop().await;

    let slow_hik = hikvision("h?slow_ms=2500", RTSP_PORT).await;
    let slow_dh = dahua("d?slow_ms=2500", RTSP_PORT).await;
    for (vendor, base) in [(Vendor::Hikvision, slow_hik.base_url()), (Vendor::Dahua, slow_dh.base_url())] {
        let err = read(vendor, &base, "camsim", limits(1)).await.unwrap_err();
        assert!(matches!(err, DeviceError::Timeout { secs: 1, .. }), "{vendor:?}: {err}");
    }
    slow_hik.stop().await;
    slow_dh.stop().await;

    // Two hundred channels do not fit in 2 KiB; the identity does.
    let small = Limits { max_body: 2048, ..limits(5) };
    let big_hik = hikvision("h?channels=200", RTSP_PORT).await;
    let big_dh = dahua("d?channels=200", RTSP_PORT).await;
    for (vendor, base) in [(Vendor::Hikvision, big_hik.base_url()), (Vendor::Dahua, big_dh.base_url())] {
        let err = read(vendor, &base, "camsim", small.clone()).await.unwrap_err();
        assert_eq!(err, DeviceError::TooLarge { limit: 2048 }, "{vendor:?}");
    }
    big_hik.stop().await;
    big_dh.stop().await;
}

async fn rpc(url: &str, request: Value) -> Value {
    reqwest::Client::new().post(url).json(&request).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_simulated_dahua_refuses_unknown_sessions_and_methods() {
    let nvr = dahua("d", RTSP_PORT).await;
    let base = nvr.base_url();
    let stray =
        rpc(&format!("{base}RPC2"), json!({"method": "magicBox.getSerialNo", "id": 3, "session": "nope"})).await;
    assert_eq!(stray["result"], json!(false));
    assert_eq!(stray["error"]["code"], json!(287_637_505));

    // Log in by hand, then ask for something that does not exist.
    let login = format!("{base}RPC2_Login");
    let params = json!({"userName": "admin", "password": "", "clientType": "Web3.0", "loginType": "Direct"});
    let challenge = rpc(&login, json!({"method": "global.login", "params": params, "id": 1})).await;
    assert_eq!(challenge["error"]["code"], json!(268_632_079));
    let again = rpc(&login, json!({"method": "global.login", "params": params, "id": 1})).await;
    assert_ne!(challenge["params"]["random"], again["params"]["random"], "a fresh random per login");
    let (random, realm) =
        (challenge["params"]["random"].as_str().unwrap(), challenge["params"]["realm"].as_str().unwrap());
    let proof = vms_devices::dahua::login_hash("admin", "camsim", realm, random);
    let session = challenge["session"].clone();
    let second = json!({"method": "global.login", "id": 2, "session": session, "params": {
        "userName": "admin", "password": proof, "clientType": "Web3.0", "loginType": "Direct",
        "authorityType": "Default", "passwordType": "Default"}});
    assert_eq!(rpc(&login, second).await["result"], json!(true));
    let unknown = rpc(&format!("{base}RPC2"), json!({"method": "magicBox.reboot2", "id": 3, "session": session})).await;
    assert_eq!(unknown["error"]["code"], json!(268_894_210));
    let out = rpc(&format!("{base}RPC2"), json!({"method": "global.logout", "id": 4, "session": session})).await;
    assert_eq!(out["result"], json!(true));
    let after =
        rpc(&format!("{base}RPC2"), json!({"method": "magicBox.getSerialNo", "id": 5, "session": session})).await;
    assert_eq!(after["error"]["code"], json!(287_637_505), "a session ends with its logout");
    nvr.stop().await;
}
