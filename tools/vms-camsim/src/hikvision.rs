//! A simulated Hikvision NVR speaking ISAPI over HTTP Digest, written from
//! the public ISAPI documentation: `deviceInfo`, the InputProxy channel list
//! and its status, the video inputs (of a DVR, with the `analog` option) and
//! `adminAccesses` naming the RTSP port, and the alert stream
//! (`/ISAPI/Event/notification/alertStream`: `multipart/mixed`, boundary
//! `boundary`, one `EventNotificationAlert` per part, a `videoloss`
//! inactive heartbeat every 2 s or `heartbeat_ms`, and what
//! [`HikvisionNvr::raise`] raises). Every route wants HTTP Digest; a
//! wrong answer gets a 401 with a `userCheck` body, an unknown path a 404
//! with a `ResponseStatus`. Channels stream from the simulator's RTSP
//! server at `/Streaming/Channels/{id}01` and `{id}02`.

use std::{
    net::SocketAddr,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use vms_devices::{alarm::AlarmKind, xml::escape};

pub use crate::nvr::NvrConfig;
use crate::{
    event_stream::{EventStreams, Heartbeat},
    http_digest::DigestAuth,
    nvr::Served,
};

const XML: &str = "application/xml; charset=\"UTF-8\"";
const NAMESPACE: &str = "http://www.hikvision.com/ver20/XMLSchema";

/// The alert stream's heartbeat pace unless the config sets one.
const HEARTBEAT: Duration = Duration::from_secs(2);
const ALERT_STREAM: &str = "multipart/mixed; boundary=boundary";

struct Nvr {
    config: NvrConfig,
    rtsp_port: u16,
    digest: DigestAuth,
    /// Where it listens, once it does (alerts name it).
    addr: OnceLock<SocketAddr>,
    streams: EventStreams,
    /// Active alarms posted so far.
    posts: AtomicU32,
}

impl Nvr {
    /// One alert part: `channel` numbers a video channel, or the input of an `IO` alarm.
    fn alert(&self, code: &str, channel: Option<u32>, active: bool, description: &str) -> Bytes {
        let addr = self.addr.get().copied().unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 80)));
        let count = if active { self.posts.fetch_add(1, Ordering::Relaxed) + 1 } else { 0 };
        let place = match channel {
            Some(n) if code == "IO" => format!("<inputIOPortID>{n}</inputIOPortID>\n"),
            Some(n) if self.config.analog => format!("<channelID>{n}</channelID>\n"),
            // An NVR numbers IP channels after its 32 analog ones; dynChannelID is the channel list's number.
            Some(n) => format!("<channelID>{}</channelID>\n<dynChannelID>{n}</dynChannelID>\n", n + 32),
            None => "<channelID>1</channelID>\n".to_owned(),
        };
        let body = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="{NAMESPACE}">
<ipAddress>{ip}</ipAddress>
<portNo>{port}</portNo>
<protocol>HTTP</protocol>
<macAddress>02:00:00:00:00:01</macAddress>
{place}<dateTime>{time}</dateTime>
<activePostCount>{count}</activePostCount>
<eventType>{code}</eventType>
<eventState>{state}</eventState>
<eventDescription>{description}</eventDescription>
</EventNotificationAlert>
"#,
            ip = addr.ip(),
            port = addr.port(),
            time = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z"),
            state = if active { "active" } else { "inactive" },
        );
        Bytes::from(format!("--boundary\r\nContent-Type: {XML}\r\nContent-Length: {}\r\n\r\n{body}\r\n", body.len()))
    }

    fn heartbeat(&self) -> Bytes {
        self.alert("videoloss", None, false, "videoloss alarm")
    }
}

/// A running simulated Hikvision NVR.
pub struct HikvisionNvr {
    nvr: Arc<Nvr>,
    served: Served,
}

impl HikvisionNvr {
    /// Serves `config` on `http`; its channels stream from the simulator's
    /// RTSP server on `rtsp_port` of the same host.
    pub async fn start(config: NvrConfig, http: SocketAddr, rtsp_port: u16) -> anyhow::Result<HikvisionNvr> {
        let nvr = Arc::new(Nvr {
            config,
            rtsp_port,
            digest: DigestAuth::new("IP Camera(C1234)"),
            addr: OnceLock::new(),
            streams: EventStreams::default(),
            posts: AtomicU32::new(0),
        });
        let name = nvr.config.name.clone();
        let served = Served::start(Router::new().fallback(handle).with_state(nvr.clone()), http).await?;
        let _ = nvr.addr.set(served.addr);
        tracing::info!(%name, http = %served.addr, "simulated Hikvision NVR serving");
        Ok(HikvisionNvr { nvr, served })
    }

    /// Sends an alarm to every open alert stream: `channel` is the video
    /// channel (from 1), or the input's number for [`AlarmKind::Input`].
    /// Video loss that ends reads as a heartbeat, as on the real firmwares.
    pub fn raise(&self, kind: AlarmKind, channel: u32, active: bool) {
        let (code, description) = match kind {
            AlarmKind::Motion => ("VMD", "Motion alarm"),
            AlarmKind::LineCrossing => ("linedetection", "Line Crossing Detection"),
            AlarmKind::Intrusion => ("fielddetection", "Intrusion Detection"),
            AlarmKind::Tamper => ("tamperdetection", "Video Tampering Detection"),
            AlarmKind::VideoLoss => ("videoloss", "videoloss alarm"),
            AlarmKind::Input => ("IO", "IO alarm"),
            AlarmKind::Heartbeat => return self.nvr.streams.send(&self.nvr.heartbeat()),
            AlarmKind::Other => ("diskfull", "HDD Full"),
        };
        self.nvr.streams.send(&self.nvr.alert(code, Some(channel), active, description));
    }

    /// Breaks every open alert stream, as a dropped connection would.
    pub fn drop_event_streams(&self) {
        self.nvr.streams.drop_all();
    }

    /// `http://host:port/`.
    pub fn base_url(&self) -> String {
        self.served.base_url()
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.served.addr
    }

    /// Stops serving (open alert streams are broken first).
    pub async fn stop(self) {
        self.drop_event_streams();
        self.served.stop().await;
    }
}

fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, XML)], body).into_response()
}

fn response_status(url: &str, code: u32, text: &str, sub: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ResponseStatus version="2.0" xmlns="{NAMESPACE}">
<requestURL>{}</requestURL>
<statusCode>{code}</statusCode>
<statusString>{text}</statusString>
<subStatusCode>{sub}</subStatusCode>
</ResponseStatus>
"#,
        escape(url)
    )
}

const USER_CHECK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<userCheck>
<statusValue>401</statusValue>
<statusString>Unauthorized</statusString>
<isDefaultPassword>false</isDefaultPassword>
<isRiskPassword>false</isRiskPassword>
<isActivated>true</isActivated>
<lockStatus>unlock</lockStatus>
<unlockTime>0</unlockTime>
</userCheck>
"#;

async fn handle(State(nvr): State<Arc<Nvr>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let c = &nvr.config;
    if let Some(delay) = c.slow {
        tokio::time::sleep(delay).await;
    }
    if !nvr.digest.verify(&headers, method.as_str(), &c.username, &c.password) {
        return nvr.digest.challenge(XML, USER_CHECK.to_owned());
    }
    let path = uri.path();
    let not_support = |status| xml(status, response_status(path, 4, "Invalid Operation", "notSupport"));
    if method != Method::GET {
        return xml(StatusCode::METHOD_NOT_ALLOWED, response_status(path, 4, "Invalid Operation", "methodNotAllowed"));
    }
    match path {
        "/ISAPI/System/deviceInfo" => xml(StatusCode::OK, device_info(c)),
        // A DVR firmware says "not supported" with 200, as some do.
        "/ISAPI/ContentMgmt/InputProxy/channels" | "/ISAPI/ContentMgmt/InputProxy/channels/status" if c.analog => {
            not_support(StatusCode::OK)
        }
        "/ISAPI/ContentMgmt/InputProxy/channels" if c.malformed => xml(
            StatusCode::OK,
            format!(
                r#"<?xml version="1.0"?><InputProxyChannelList xmlns="{NAMESPACE}"><InputProxyChannel><id>1</id><name>Cam"#
            ),
        ),
        "/ISAPI/ContentMgmt/InputProxy/channels" => xml(StatusCode::OK, proxy_channels(c)),
        "/ISAPI/ContentMgmt/InputProxy/channels/status" => xml(StatusCode::OK, proxy_status(c)),
        "/ISAPI/System/Video/inputs/channels" => xml(StatusCode::OK, video_inputs(c)),
        "/ISAPI/Security/adminAccesses" => xml(StatusCode::OK, admin_accesses(nvr.rtsp_port)),
        "/ISAPI/Event/notification/alertStream" => {
            let beating = nvr.clone();
            let heartbeat: Heartbeat = Arc::new(move || beating.heartbeat());
            match nvr.streams.open(c.heartbeat.unwrap_or(HEARTBEAT), heartbeat) {
                Some(body) => ([(header::CONTENT_TYPE, ALERT_STREAM)], body).into_response(),
                None => xml(StatusCode::SERVICE_UNAVAILABLE, response_status(path, 3, "Device Busy", "deviceBusy")),
            }
        }
        _ => not_support(StatusCode::NOT_FOUND),
    }
}

fn device_info(c: &NvrConfig) -> String {
    let model = c.model.as_deref().unwrap_or("CamSim ISAPI NVR");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<DeviceInfo version="2.0" xmlns="{NAMESPACE}">
<deviceName>{name}</deviceName>
<deviceID>{id}</deviceID>
<model>{model}</model>
<serialNumber>{serial}</serialNumber>
<macAddress>02:00:00:00:00:01</macAddress>
<firmwareVersion>V4.62.210</firmwareVersion>
<firmwareReleasedDate>build 230316</firmwareReleasedDate>
<encoderVersion>V7.3</encoderVersion>
<encoderReleasedDate>build 230210</encoderReleasedDate>
<deviceType>{kind}</deviceType>
<telecontrolID>255</telecontrolID>
</DeviceInfo>
"#,
        name = escape(&c.name),
        id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, c.name.as_bytes()),
        model = escape(model),
        serial = c.serial("CAMSIM"),
        kind = if c.analog { "DVR" } else { "NVR" },
    )
}

fn proxy_channels(c: &NvrConfig) -> String {
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InputProxyChannelList version=\"2.0\" xmlns=\"{NAMESPACE}\">\n"
    );
    for id in 1..=c.channels {
        body.push_str(&format!(
            r#"<InputProxyChannel version="2.0" xmlns="{NAMESPACE}">
<id>{id}</id>
<name>{name}</name>
<sourceInputPortDescriptor>
<proxyProtocol>HIKVISION</proxyProtocol>
<addressingFormatType>ipaddress</addressingFormatType>
<ipAddress>192.168.254.{host}</ipAddress>
<managePortNo>8000</managePortNo>
<srcInputPort>1</srcInputPort>
<userName>admin</userName>
<streamType>auto</streamType>
</sourceInputPortDescriptor>
<enableAnr>false</enableAnr>
</InputProxyChannel>
"#,
            name = escape(&c.channel_name(id)),
            host = id % 250 + 2,
        ));
    }
    body.push_str("</InputProxyChannelList>\n");
    body
}

fn proxy_status(c: &NvrConfig) -> String {
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InputProxyChannelStatusList version=\"2.0\" xmlns=\"{NAMESPACE}\">\n"
    );
    for id in 1..=c.channels {
        let online = c.online(id);
        body.push_str(&format!(
            r#"<InputProxyChannelStatus version="2.0" xmlns="{NAMESPACE}">
<id>{id}</id>
<online>{online}</online>
<chanDetectResult>{detect}</chanDetectResult>
</InputProxyChannelStatus>
"#,
            detect = if online { "connect" } else { "netUnreachable" },
        ));
    }
    body.push_str("</InputProxyChannelStatusList>\n");
    body
}

/// A DVR's own inputs; an NVR has none (it lists an empty list, as real ones do).
fn video_inputs(c: &NvrConfig) -> String {
    let mut body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VideoInputChannelList version=\"1.0\" xmlns=\"http://www.hikvision.com/ver10/XMLSchema\">\n".to_owned();
    for id in (1..=c.channels).filter(|_| c.analog) {
        body.push_str(&format!(
            "<VideoInputChannel><id>{id}</id><inputPort>{id}</inputPort><videoInputEnabled>true</videoInputEnabled><name>{}</name><videoFormat>PAL</videoFormat><resDesc>{}</resDesc></VideoInputChannel>\n",
            escape(&c.channel_name(id)),
            if c.online(id) { "1080P25" } else { "NO VIDEO" },
        ));
    }
    body.push_str("</VideoInputChannelList>\n");
    body
}

fn admin_accesses(rtsp_port: u16) -> String {
    let protocol = |id: u32, name: &str, port: u16| {
        format!(
            "<AdminAccessProtocol><id>{id}</id><enabled>true</enabled><protocol>{name}</protocol><portNo>{port}</portNo></AdminAccessProtocol>\n"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AdminAccessProtocolList version=\"2.0\" xmlns=\"{NAMESPACE}\">\n{}{}{}</AdminAccessProtocolList>\n",
        protocol(1, "HTTP", 80),
        protocol(2, "DEV_MANAGE", 8000),
        protocol(3, "RTSP", rtsp_port),
    )
}
