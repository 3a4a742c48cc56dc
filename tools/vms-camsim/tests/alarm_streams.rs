//! Live alarm feeds of vms-devices against the simulated Hikvision and Dahua
//! NVRs' event streams on loopback: heartbeats, raised alarms, refused
//! passwords, dropped and silent streams, and devices whose streams break
//! the bounds.

use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use url::Url;
use vms_camsim::{dahua::DahuaNvr, hikvision::HikvisionNvr, nvr::NvrConfig};
use vms_devices::{
    Credentials, DeviceError, Limits,
    alarm::{Alarm, AlarmKind, StreamError},
    alarm_feed::AlarmFeed,
    nvr::Vendor,
};

const LOOPBACK: &str = "127.0.0.1:0";
/// Where channels point; nothing plays them here.
const RTSP_PORT: u16 = 8554;
/// Long enough for loopback, short enough that a hang fails fast.
const IDLE: Duration = Duration::from_secs(2);

fn limits() -> Limits {
    Limits { timeout: Duration::from_secs(2), ..Limits::default() }
}

/// A simulated NVR of either vendor.
enum Nvr {
    Hikvision(HikvisionNvr),
    Dahua(DahuaNvr),
}

impl Nvr {
    async fn start(vendor: Vendor, spec: &str) -> Nvr {
        let config = NvrConfig::parse(spec).unwrap();
        let http = LOOPBACK.parse().unwrap();
        match vendor {
            Vendor::Hikvision => Nvr::Hikvision(HikvisionNvr::start(config, http, RTSP_PORT).await.unwrap()),
            Vendor::Dahua => Nvr::Dahua(DahuaNvr::start(config, http, RTSP_PORT).await.unwrap()),
            Vendor::Onvif => unreachable!("no ONVIF NVR here"),
        }
    }

    fn base(&self) -> Url {
        let base = match self {
            Nvr::Hikvision(n) => n.base_url(),
            Nvr::Dahua(n) => n.base_url(),
        };
        Url::parse(&base).unwrap()
    }

    fn raise(&self, kind: AlarmKind, channel: u32, active: bool) {
        match self {
            Nvr::Hikvision(n) => n.raise(kind, channel, active),
            Nvr::Dahua(n) => n.raise(kind, channel, active),
        }
    }

    fn drop_event_streams(&self) {
        match self {
            Nvr::Hikvision(n) => n.drop_event_streams(),
            Nvr::Dahua(n) => n.drop_event_streams(),
        }
    }

    async fn stop(self) {
        match self {
            Nvr::Hikvision(n) => n.stop().await,
            Nvr::Dahua(n) => n.stop().await,
        }
    }
}

/// A feed read one alarm at a time.
struct Reader {
    feed: AlarmFeed,
    pending: VecDeque<Alarm>,
}

impl Reader {
    async fn open(vendor: Vendor, base: &Url, password: &str, idle: Duration) -> Result<Reader, DeviceError> {
        let credentials = Credentials::new("admin", password);
        let feed = AlarmFeed::subscribe(vendor, base, &credentials, limits(), idle).await?;
        Ok(Reader { feed, pending: VecDeque::new() })
    }

    /// The next alarm, heartbeats included.
    async fn alarm(&mut self) -> Result<Alarm, DeviceError> {
        loop {
            if let Some(alarm) = self.pending.pop_front() {
                return Ok(alarm);
            }
            self.pending.extend(self.feed.next().await?);
        }
    }

    /// The next alarm that is not a heartbeat.
    async fn event(&mut self) -> (AlarmKind, Option<u32>, bool) {
        loop {
            let alarm = self.alarm().await.unwrap();
            if alarm.kind != AlarmKind::Heartbeat {
                return (alarm.kind, alarm.channel, alarm.active);
            }
        }
    }

    /// Reads until the feed fails; how long that took.
    async fn failure(&mut self) -> (DeviceError, Duration) {
        let start = Instant::now();
        loop {
            match tokio::time::timeout(Duration::from_secs(5), self.alarm()).await.expect("the feed should fail") {
                Ok(_) => continue,
                Err(e) => return (e, start.elapsed()),
            }
        }
    }
}

async fn alarms_arrive_live(vendor: Vendor) {
    let nvr = Nvr::start(vendor, "yard?heartbeat_ms=100").await;
    let mut feed = Reader::open(vendor, &nvr.base(), "camsim", IDLE).await.unwrap();
    for _ in 0..2 {
        let beat = feed.alarm().await.unwrap();
        assert_eq!((beat.kind, beat.active), (AlarmKind::Heartbeat, false), "{vendor:?}");
    }
    nvr.raise(AlarmKind::Motion, 2, true);
    nvr.raise(AlarmKind::Motion, 2, false);
    nvr.raise(AlarmKind::LineCrossing, 3, true);
    nvr.raise(AlarmKind::Input, 1, true);
    let mut got = Vec::new();
    for _ in 0..4 {
        got.push(feed.event().await);
    }
    assert_eq!(
        got,
        [
            (AlarmKind::Motion, Some(2), true),
            (AlarmKind::Motion, Some(2), false),
            (AlarmKind::LineCrossing, Some(3), true),
            (AlarmKind::Input, Some(1), true),
        ],
        "{vendor:?}"
    );

    // A dropped connection fails the feed; subscribing again reconnects.
    nvr.drop_event_streams();
    let (error, _) = feed.failure().await;
    assert!(matches!(error, DeviceError::Unreachable { .. }), "{vendor:?}: {error}");
    assert!(error.to_string().contains("broke"), "{error}");
    let mut again = Reader::open(vendor, &nvr.base(), "camsim", IDLE).await.unwrap();
    assert_eq!(again.alarm().await.unwrap().kind, AlarmKind::Heartbeat);
    nvr.raise(AlarmKind::Tamper, 4, true);
    assert_eq!(again.event().await, (AlarmKind::Tamper, Some(4), true), "{vendor:?}");
    nvr.stop().await;
}

#[tokio::test]
async fn hikvision_alarms_arrive_live() {
    alarms_arrive_live(Vendor::Hikvision).await;
}

#[tokio::test]
async fn dahua_alarms_arrive_live() {
    alarms_arrive_live(Vendor::Dahua).await;
}

#[tokio::test]
async fn wrong_passwords_and_onvif_are_refused() {
    for vendor in [Vendor::Hikvision, Vendor::Dahua] {
        let nvr = Nvr::start(vendor, "yard").await;
        let error = Reader::open(vendor, &nvr.base(), "wrong", IDLE).await.err().unwrap();
        assert_eq!(error, DeviceError::AuthFailed, "{vendor:?}");
        nvr.stop().await;
    }
    let base = Url::parse("http://127.0.0.1:9/").unwrap();
    let error = Reader::open(Vendor::Onvif, &base, "camsim", IDLE).await.err().unwrap();
    assert!(matches!(error, DeviceError::Unsupported(_)), "{error}");
}

#[tokio::test]
async fn a_silent_stream_fails_within_its_idle_bound() {
    let idle = Duration::from_millis(300);
    for vendor in [Vendor::Hikvision, Vendor::Dahua] {
        let nvr = Nvr::start(vendor, "yard?heartbeat_ms=10000").await;
        let mut feed = Reader::open(vendor, &nvr.base(), "camsim", idle).await.unwrap();
        // The first heartbeat comes at once; the next not for ten seconds.
        assert_eq!(feed.alarm().await.unwrap().kind, AlarmKind::Heartbeat);
        let (error, took) = feed.failure().await;
        assert!(matches!(error, DeviceError::Silent { .. }), "{vendor:?}: {error}");
        assert!(error.to_string().contains("went silent"), "{error}");
        assert!(took >= idle && took < idle * 3, "{vendor:?}: failed after {took:?}");
        nvr.stop().await;
    }
}

/// A device that answers every request with `head` and then `body` over and over, forever.
async fn raw_device(head: &'static str, body: &'static [u8]) -> Url {
    let listener = TcpListener::bind(LOOPBACK).await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                while !body.is_empty() && socket.write_all(body).await.is_ok() {}
            });
        }
    });
    base
}

#[tokio::test]
async fn endless_parts_are_errors_not_growing_buffers() {
    let garbage: &'static [u8] = &[b'x'; 4096];
    for vendor in [Vendor::Hikvision, Vendor::Dahua] {
        let head = match vendor {
            Vendor::Hikvision => {
                "HTTP/1.1 200 OK\r\nContent-Type: multipart/mixed; boundary=boundary\r\nConnection: close\r\n\r\n"
            }
            _ => {
                "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=myboundary\r\nConnection: close\r\n\r\n"
            }
        };
        let base = raw_device(head, garbage).await;
        let mut feed = Reader::open(vendor, &base, "camsim", IDLE).await.unwrap();
        let (error, _) = feed.failure().await;
        assert!(matches!(error, DeviceError::Stream(StreamError::NoBoundary { .. })), "{vendor:?}: {error}");
    }
    // A boundary, then a part that never ends.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: multipart/mixed; boundary=boundary\r\nConnection: close\r\n\r\n--boundary\r\nContent-Type: application/xml\r\n\r\n<EventNotificationAlert>";
    let base = raw_device(head, garbage).await;
    let mut feed = Reader::open(Vendor::Hikvision, &base, "camsim", IDLE).await.unwrap();
    let (error, _) = feed.failure().await;
    assert!(matches!(error, DeviceError::Stream(StreamError::PartTooLarge { .. })), "{error}");
}

#[tokio::test]
async fn a_stream_that_is_not_multipart_is_refused() {
    for (vendor, content_type) in [(Vendor::Hikvision, "application/xml"), (Vendor::Dahua, "text/plain")] {
        let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n");
        let base = raw_device(Box::leak(head.into_boxed_str()), b"<a/>").await;
        let error = Reader::open(vendor, &base, "camsim", IDLE).await.err().unwrap();
        assert_eq!(error, DeviceError::Stream(StreamError::NoBoundaryParameter), "{vendor:?}");
        assert!(error.to_string().contains("not multipart"), "{error}");
    }
}

#[tokio::test]
async fn an_error_status_is_an_http_error() {
    let base = raw_device("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", b"").await;
    let error = Reader::open(Vendor::Hikvision, &base, "camsim", IDLE).await.err().unwrap();
    assert_eq!(error, DeviceError::Http { status: 404 });
}
