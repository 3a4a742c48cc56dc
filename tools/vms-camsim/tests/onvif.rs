//! The ONVIF client of vms-devices against simulated ONVIF devices, over real
//! UDP and HTTP on loopback: discovery, credentials, clocks, profiles, PTZ
//! and the ways devices misbehave.

use std::{
    net::{Ipv4Addr, SocketAddr},
    time::Duration,
};

use tokio::{io::AsyncWriteExt, net::TcpListener};
use tokio_util::sync::CancellationToken;
use url::Url;
use vms_camsim::onvif::{OnvifConfig, OnvifDevice};
use vms_devices::{
    Credentials, DeviceError, Limits,
    alarm::AlarmKind,
    discovery::{ScanOptions, ScanUpdate, parse_ranges, scan},
    nvr::Vendor,
    onvif::{OnvifClient, PtzVector, pick_streams},
};

const RTSP: &str = "rtsp://127.0.0.1:8554";

async fn device(spec: &str) -> OnvifDevice {
    OnvifDevice::start(OnvifConfig::parse(spec).unwrap(), "127.0.0.1:0".parse().unwrap(), None, RTSP).await.unwrap()
}

fn limits(secs: u64) -> Limits {
    Limits { timeout: Duration::from_secs(secs), ..Limits::default() }
}

async fn connect(device: &OnvifDevice, password: &str) -> Result<OnvifClient, DeviceError> {
    let url = Url::parse(&device.device_url()).unwrap();
    OnvifClient::connect(url, Credentials::new("admin", password), limits(5)).await
}

#[tokio::test]
async fn discovers_devices_on_a_unicast_range_once_each() {
    // Four devices on four loopback addresses sharing one discovery port, and one address with nobody.
    let first = OnvifDevice::start(
        OnvifConfig::parse("cam-2").unwrap(),
        "127.0.0.2:0".parse().unwrap(),
        Some("127.0.0.2:0".parse().unwrap()),
        RTSP,
    )
    .await
    .unwrap();
    let port = first.discovery_addr().unwrap().port();
    let mut devices = vec![first];
    for n in 3..=5u8 {
        let spec = if n == 5 { format!("cam-{n}?xaddr_unspecified") } else { format!("cam-{n}") };
        let ip = Ipv4Addr::new(127, 0, 0, n);
        let device = OnvifDevice::start(
            OnvifConfig::parse(&spec).unwrap(),
            SocketAddr::from((ip, 0)),
            Some(SocketAddr::from((ip, port))),
            RTSP,
        )
        .await
        .unwrap();
        devices.push(device);
    }
    let options = ScanOptions {
        targets: parse_ranges(&["127.0.0.2-127.0.0.6".into()], 1024).unwrap(),
        multicast: false,
        window: Duration::from_millis(700),
        port,
        rate: 500,
        ..ScanOptions::default()
    };
    let mut updates = Vec::new();
    let outcome = scan(options, CancellationToken::new(), |u| updates.push(u)).await.unwrap();
    assert!(!outcome.cancelled);
    // Each device answers both probe types; each is reported once.
    assert_eq!(outcome.devices.len(), 4, "{:#?}", outcome.devices);
    let mut names: Vec<_> = outcome.devices.iter().map(|d| d.name.clone().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["cam-2", "cam-3", "cam-4", "cam-5"]);
    for found in &outcome.devices {
        let sim = devices.iter().find(|d| d.endpoint() == found.endpoint).expect("endpoint matches a device");
        assert_eq!(
            found.device_url.as_str(),
            sim.device_url(),
            "the service address, 0.0.0.0 corrected to the responder"
        );
        assert_eq!(found.manufacturer.as_deref(), Some("Techno Support"));
        assert_eq!(found.hardware.as_deref(), Some("CamSim ONVIF"));
    }
    assert_eq!(updates.iter().filter(|u| matches!(u, ScanUpdate::Found(_))).count(), 4);
    assert_eq!(
        updates.last().map(|u| matches!(u, ScanUpdate::Found(_) | ScanUpdate::Progress { probed: 5, total: 5 })),
        Some(true)
    );
    assert!(updates.contains(&ScanUpdate::Progress { probed: 5, total: 5 }));
    for d in devices {
        d.stop().await;
    }
}

#[tokio::test]
async fn a_scan_can_be_cancelled() {
    let cancel = CancellationToken::new();
    let options = ScanOptions {
        targets: parse_ranges(&["127.0.1.0/24".into()], 1024).unwrap(),
        multicast: false,
        window: Duration::from_secs(30),
        port: 9,
        rate: 10,
        ..ScanOptions::default()
    };
    let stop = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.cancel();
    });
    let outcome = tokio::time::timeout(Duration::from_secs(5), scan(options, cancel, |_| {})).await.unwrap().unwrap();
    assert!(outcome.cancelled);
}

#[tokio::test]
async fn onboarding_reads_identity_profiles_and_stream_addresses() {
    let sim = device("door?ptz").await;
    let client = connect(&sim, "camsim").await.unwrap();
    assert!(client.services().media2.is_some() && client.services().ptz.is_some());
    let info = client.device_information().await.unwrap();
    assert_eq!(info.manufacturer.as_deref(), Some("Techno Support"));
    let profiles = client.profiles().await.unwrap();
    let (main, sub) = pick_streams(&profiles).unwrap();
    assert_eq!((main.token.as_str(), main.width, main.height, main.ptz), ("main", 1280, 720, true));
    assert_eq!(sub.unwrap().token, "sub");
    assert_eq!(client.stream_uri(&main.token).await.unwrap().as_str(), "rtsp://127.0.0.1:8554/h264_720p");
    assert_eq!(client.stream_uri("sub").await.unwrap().as_str(), "rtsp://127.0.0.1:8554/h264_360p");
    assert!(client.snapshot_uri("main").await.unwrap().as_str().ends_with("/onvif/snapshot/main.jpg"));
    assert!(
        matches!(client.stream_uri("nope").await.unwrap_err(), DeviceError::Fault { code, .. } if code.ends_with("NoProfile"))
    );
    sim.stop().await;
}

#[tokio::test]
async fn an_onvif_nvr_reads_one_channel_per_video_source() {
    let nvr = device("recorder?channels=3&model=NVR%203").await;
    let credentials = Credentials::new("admin", "camsim");
    let inventory =
        vms_devices::nvr::inventory(Vendor::Onvif, &nvr.device_url(), &credentials, limits(5)).await.unwrap();
    assert_eq!(inventory.identity.model.as_deref(), Some("NVR 3"));
    let numbers: Vec<u32> = inventory.channels.iter().map(|c| c.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    for channel in &inventory.channels {
        let k = channel.number;
        assert_eq!(channel.main.as_str(), format!("{RTSP}/nvr/ch{k}/main"));
        assert_eq!(channel.sub.as_ref().map(Url::as_str), Some(format!("{RTSP}/nvr/ch{k}/sub").as_str()));
    }
    // A camera is an NVR of one channel.
    let camera = device("single").await;
    let one = vms_devices::nvr::inventory(Vendor::Onvif, &camera.device_url(), &credentials, limits(5)).await.unwrap();
    assert_eq!(one.channels.len(), 1);
    assert_eq!(one.channels[0].main.as_str(), format!("{RTSP}/h264_720p"));
    let wrong = Credentials::new("admin", "nope");
    let refused = vms_devices::nvr::inventory(Vendor::Onvif, &nvr.device_url(), &wrong, limits(5)).await;
    assert_eq!(refused.unwrap_err(), DeviceError::AuthFailed);
}

#[tokio::test]
async fn pull_point_subscriptions_bring_the_devices_alarms() {
    let sim = device("alarms").await;
    let client = connect(&sim, "camsim").await.unwrap();
    let subscription = client.create_pull_point(Duration::from_secs(30)).await.unwrap();
    assert!(subscription.address.as_str().starts_with(&sim.device_url()[..20]), "{subscription:?}");
    assert!(subscription.terminates.is_some());

    // Nothing raised: the pull waits its time and comes back empty.
    let started = std::time::Instant::now();
    let quiet = client.pull_messages(&subscription, Duration::from_secs(1)).await.unwrap();
    assert_eq!(quiet.notifications, 0);
    assert!(started.elapsed() >= Duration::from_millis(900), "the device held the pull");

    // An alarm raised during a pull ends it at once.
    let waiting = client.pull_messages(&subscription, Duration::from_secs(4));
    let raise = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        sim.raise(AlarmKind::Motion, true);
        sim.raise(AlarmKind::LineCrossing, true);
    };
    let started = std::time::Instant::now();
    let (pulled, ()) = tokio::join!(waiting, raise);
    assert!(started.elapsed() < Duration::from_secs(3), "the pull ended when the alarm came");
    let mut alarms = pulled.unwrap().alarms;
    if alarms.len() < 2 {
        alarms.extend(client.pull_messages(&subscription, Duration::from_secs(1)).await.unwrap().alarms);
    }
    let kinds: Vec<(AlarmKind, bool)> = alarms.iter().map(|a| (a.kind, a.active)).collect();
    assert_eq!(kinds, [(AlarmKind::Motion, true), (AlarmKind::LineCrossing, true)]);
    assert_eq!(alarms[0].source.as_deref(), Some("vs_src0"));

    // Renewed; a synchronization point repeats the current state.
    assert!(client.renew(&subscription, Duration::from_secs(30)).await.unwrap().is_some());
    sim.raise(AlarmKind::Motion, false);
    let cleared = client.pull_messages(&subscription, Duration::from_secs(1)).await.unwrap();
    assert_eq!(cleared.alarms.iter().map(|a| (a.kind, a.active)).collect::<Vec<_>>(), [(AlarmKind::Motion, false)]);
    client.set_synchronization_point(&subscription).await.unwrap();
    let state = client.pull_messages(&subscription, Duration::from_secs(1)).await.unwrap();
    let repeated: Vec<(AlarmKind, bool)> = state.alarms.iter().map(|a| (a.kind, a.active)).collect();
    assert_eq!(repeated, [(AlarmKind::Motion, false)], "properties are repeated, crossings are not");

    // A restarted device forgets its subscriptions: the pull fails, a new subscription works.
    sim.restart_events();
    let gone = client.pull_messages(&subscription, Duration::from_secs(1)).await.unwrap_err();
    assert!(matches!(gone, DeviceError::Fault { .. }), "{gone:?}");
    let again = client.create_pull_point(Duration::from_secs(30)).await.unwrap();
    assert_ne!(again.address, subscription.address);
    sim.raise(AlarmKind::Input, true);
    let input = client.pull_messages(&again, Duration::from_secs(1)).await.unwrap();
    assert_eq!(input.alarms[0].kind, AlarmKind::Input);
    client.unsubscribe(&again).await.unwrap();
    assert!(client.pull_messages(&again, Duration::from_secs(1)).await.is_err());

    // Subscribing needs the right password.
    let wrong = connect(&sim, "nope").await.unwrap();
    assert_eq!(wrong.create_pull_point(Duration::from_secs(30)).await.unwrap_err(), DeviceError::AuthFailed);
    sim.stop().await;
}

#[tokio::test]
async fn wrong_password_is_an_auth_failure_not_a_fault() {
    let sim = device("door").await;
    // The clock and services need no credentials, so connecting works ...
    let client = connect(&sim, "wrong").await.unwrap();
    // ... and the first real question says the credentials are wrong.
    assert_eq!(client.device_information().await.unwrap_err(), DeviceError::AuthFailed);
    let digest_sim = device("old?auth=digest").await;
    let client = connect(&digest_sim, "wrong").await.unwrap();
    assert_eq!(client.device_information().await.unwrap_err(), DeviceError::AuthFailed);
    sim.stop().await;
    digest_sim.stop().await;
}

#[tokio::test]
async fn a_device_refusing_username_tokens_gets_http_digest() {
    let sim = device("old?auth=digest").await;
    let client = connect(&sim, "camsim").await.unwrap();
    assert_eq!(client.device_information().await.unwrap().model.as_deref(), Some("CamSim ONVIF"));
    assert_eq!(client.profiles().await.unwrap().len(), 2);
    sim.stop().await;
}

#[tokio::test]
async fn tokens_are_dated_on_a_skewed_device_clock() {
    let sim = device("skewed?skew=600").await;
    // A token dated on our clock is ten minutes off for the device and refused.
    let header = vms_devices::soap::security_header("admin", "camsim", chrono::Utc::now());
    let envelope = vms_devices::soap::envelope(Some(&header), "<tds:GetDeviceInformation/>");
    let reply = reqwest::Client::new().post(sim.device_url()).body(envelope).send().await.unwrap();
    let status = reply.status().as_u16();
    let body = reply.bytes().await.unwrap();
    assert_eq!(vms_devices::soap::read_reply(status, &body).unwrap_err(), DeviceError::AuthFailed);
    // The client reads the device's clock first and dates its tokens on it.
    let client = connect(&sim, "camsim").await.unwrap();
    let skew = client.clock_skew().num_seconds();
    assert!((598..=602).contains(&skew), "skew {skew}");
    assert!(client.device_information().await.is_ok());
    sim.stop().await;
}

#[tokio::test]
async fn misbehaving_devices_give_clear_errors() {
    let malformed = device("bad?malformed").await;
    let client = connect(&malformed, "camsim").await.unwrap();
    assert!(matches!(client.profiles().await.unwrap_err(), DeviceError::Xml(_)));
    malformed.stop().await;

    let fault_200 = device("quirky?fault_200").await;
    let client = connect(&fault_200, "camsim").await.unwrap();
    let err = client.stream_uri("missing").await.unwrap_err();
    assert!(matches!(&err, DeviceError::Fault { code, .. } if code.contains("NoProfile")), "{err}");
    // Not PTZ-capable: the client says so without asking.
    assert_eq!(client.stop("main").await.unwrap_err(), DeviceError::Unsupported("PTZ"));
    fault_200.stop().await;

    let slow = device("slow?slow_ms=3000").await;
    let url = Url::parse(&slow.device_url()).unwrap();
    let err = OnvifClient::connect(url, Credentials::new("admin", "camsim"), limits(1)).await.err().unwrap();
    assert!(matches!(err, DeviceError::Timeout { secs: 1, .. }), "{err}");
    slow.stop().await;

    // Nobody listening.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/onvif/device_service", closed.local_addr().unwrap())).unwrap();
    drop(closed);
    let err = OnvifClient::connect(url, Credentials::new("admin", "secret-pw"), limits(2)).await.err().unwrap();
    assert!(matches!(&err, DeviceError::Unreachable { .. }), "{err}");
    assert!(!format!("{err} {err:?}").contains("secret-pw"), "no credential in errors");
}

#[tokio::test]
async fn the_address_guard_refuses_a_device_by_address_and_by_name() {
    let sim = device("guarded").await;
    let port = Url::parse(&sim.device_url()).unwrap().port().unwrap();
    let guard: vms_devices::http::AddressGuard =
        std::sync::Arc::new(
            move |addr: SocketAddr| {
                if addr.port() == port { Err("not this one".to_owned()) } else { Ok(()) }
            },
        );
    let guarded = Limits { guard: Some(guard), ..limits(5) };
    // By address, and by a name that resolves to it.
    for url in [sim.device_url(), sim.device_url().replace("127.0.0.1", "localhost")] {
        let err = OnvifClient::connect(Url::parse(&url).unwrap(), Credentials::new("admin", "camsim"), guarded.clone())
            .await
            .err()
            .unwrap();
        assert!(matches!(&err, DeviceError::Refused { reason, .. } if reason == "not this one"), "{url}: {err}");
    }
    sim.stop().await;
}

/// A device that answers with an endless body, or accepts and never answers.
async fn hostile(endless: bool) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
                if !endless {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    return;
                }
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n\r\n<s:Envelope>")
                    .await;
                let chunk = vec![b'x'; 64 * 1024];
                while socket.write_all(&chunk).await.is_ok() {}
            });
        }
    });
    Url::parse(&format!("http://{addr}/onvif/device_service")).unwrap()
}

#[tokio::test]
async fn endless_and_silent_devices_are_bounded() {
    let small = Limits { timeout: Duration::from_secs(5), max_body: 256 * 1024, guard: None };
    let err = OnvifClient::connect(hostile(true).await, Credentials::new("a", "b"), small).await.err().unwrap();
    assert_eq!(err, DeviceError::TooLarge { limit: 256 * 1024 });
    let err = OnvifClient::connect(hostile(false).await, Credentials::new("a", "b"), limits(1)).await.err().unwrap();
    assert!(matches!(err, DeviceError::Timeout { .. }), "{err}");
}

#[tokio::test]
async fn ptz_moves_the_simulated_head() {
    let sim = device("dome?ptz").await;
    let client = connect(&sim, "camsim").await.unwrap();
    client.continuous_move("main", PtzVector { pan: 1.0, tilt: 0.5, zoom: 0.0 }, None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let status = client.ptz_status("main").await.unwrap();
    assert!(status.moving);
    client.stop("main").await.unwrap();
    let [pan, tilt, _] = sim.ptz_position();
    assert!(pan > 0.1 && tilt > 0.05, "moved right and up: {pan} {tilt}");
    assert!(!client.ptz_status("main").await.unwrap().moving);

    client.absolute_move("main", PtzVector { pan: -0.5, tilt: 0.25, zoom: 0.5 }).await.unwrap();
    assert_eq!(sim.ptz_position(), [-0.5, 0.25, 0.5]);
    let token = client.set_preset("main", "Gate & yard", None).await.unwrap();
    client.relative_move("main", PtzVector { pan: 0.25, tilt: 0.0, zoom: 0.0 }).await.unwrap();
    assert_eq!(sim.ptz_position(), [-0.25, 0.25, 0.5]);
    let presets = client.presets("main").await.unwrap();
    assert_eq!(presets.len(), 1);
    assert_eq!(presets[0].name.as_deref(), Some("Gate & yard"));
    client.goto_preset("main", &token).await.unwrap();
    assert_eq!(client.ptz_status("main").await.unwrap().position, Some(PtzVector { pan: -0.5, tilt: 0.25, zoom: 0.5 }));
    client.goto_home("main").await.unwrap();
    assert_eq!(sim.ptz_position(), [0.0, 0.0, 0.0]);
    client.remove_preset("main", &token).await.unwrap();
    assert!(client.presets("main").await.unwrap().is_empty());
    assert!(matches!(client.goto_preset("main", &token).await.unwrap_err(), DeviceError::Fault { .. }));
    sim.stop().await;
}

/// A responder on `ip:port` answering every datagram with a ProbeMatch
/// carrying `relates_to` (none when `None`).
async fn raw_responder(ip: Ipv4Addr, port: u16, endpoint: &'static str, relates_to: Option<&'static str>) {
    let socket = tokio::net::UdpSocket::bind((ip, port)).await.unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65_535];
        while let Ok((_, from)) = socket.recv_from(&mut buf).await {
            let relates = relates_to.map(|r| format!("<a:RelatesTo>{r}</a:RelatesTo>")).unwrap_or_default();
            let reply = format!(
                "<s:Envelope><s:Header>{relates}</s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference><d:XAddrs>http://{ip}/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"
            );
            let _ = socket.send_to(reply.as_bytes(), from).await;
        }
    });
}

#[tokio::test]
async fn only_answers_to_this_scans_probes_count() {
    let probe = tokio::net::UdpSocket::bind("127.0.0.7:0").await.unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    // One answers someone else's probe; one gives no RelatesTo but was probed; both on the same port.
    raw_responder(Ipv4Addr::new(127, 0, 0, 7), port, "urn:uuid:spoofed", Some("uuid:someone-else")).await;
    raw_responder(Ipv4Addr::new(127, 0, 0, 8), port, "urn:uuid:plain", None).await;
    let options = ScanOptions {
        targets: parse_ranges(&["127.0.0.7-127.0.0.8".into()], 1024).unwrap(),
        multicast: false,
        window: Duration::from_millis(500),
        port,
        rate: 500,
        ..ScanOptions::default()
    };
    let outcome = scan(options, CancellationToken::new(), |_| {}).await.unwrap();
    let endpoints: Vec<&str> = outcome.devices.iter().map(|d| d.endpoint.as_str()).collect();
    assert_eq!(endpoints, ["urn:uuid:plain"]);
}
