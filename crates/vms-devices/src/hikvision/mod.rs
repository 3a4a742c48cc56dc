//! Hikvision ISAPI: an NVR's identity and channels over HTTP Digest.
//!
//! | request | what is read |
//! |---|---|
//! | `GET /ISAPI/System/deviceInfo` | name, model, serial, firmware |
//! | `GET /ISAPI/ContentMgmt/InputProxy/channels` | an NVR's IP channels: id, name |
//! | `GET /ISAPI/ContentMgmt/InputProxy/channels/status` | whether each is online (optional) |
//! | `GET /ISAPI/System/Video/inputs/channels` | a camera's or DVR's own inputs, when there are no IP channels |
//! | `GET /ISAPI/Security/adminAccesses` | the RTSP port (554 when not said) |
//!
//! Channel `id` streams at `rtsp://host:port/Streaming/Channels/{id}01`
//! (main) and `{id}02` (sub). Replies are read by local element name, as
//! firmwares use the ver10 or ver20 namespace or none. An ISAPI
//! `ResponseStatus` error is read whatever HTTP status it came with; one
//! saying the resource is not supported (some firmwares send it with 200 or
//! 403) is treated as a 404.

pub mod alert_stream;

use bytes::Bytes;
use reqwest::Method;
use url::Url;

use crate::{
    Credentials, DeviceError, Limits,
    http::DeviceHttp,
    nvr::{self, Channel, Identity, Inventory},
    soap::clip,
    xml::{self, Element},
};

/// The RTSP port when the device does not say.
pub const DEFAULT_RTSP_PORT: u16 = 554;

/// `/ISAPI/System/deviceInfo`, each field as the device gave it (clipped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceInfo {
    /// `deviceName`: the name its owner gave it.
    pub name: Option<String>,
    /// `model`.
    pub model: Option<String>,
    /// `serialNumber`.
    pub serial: Option<String>,
    /// `firmwareVersion`.
    pub firmware: Option<String>,
    /// `firmwareReleasedDate` (`build 230316`).
    pub firmware_date: Option<String>,
    /// `deviceType` (`NVR`, `DVR`, `IPCamera`).
    pub device_type: Option<String>,
}

/// One entry of a channel list (`InputProxyChannel` or `VideoInputChannel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedChannel {
    /// Its `id`, from 1.
    pub id: u32,
    /// Its `name`, if not blank.
    pub name: Option<String>,
}

/// An ISAPI `ResponseStatus` (or a `userCheck`) that reports an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsapiStatus {
    /// `statusCode` (1 is OK, 4 an invalid operation, ...), or `statusValue`.
    pub code: Option<u32>,
    /// `subStatusCode` (`notSupport`, `badAuthorization`, ...).
    pub sub_code: Option<String>,
    /// `statusString`.
    pub text: Option<String>,
}

impl IsapiStatus {
    /// Whether it says the resource does not exist on this device.
    pub fn not_supported(&self) -> bool {
        match self.sub_code.as_deref() {
            Some(sub) => sub.eq_ignore_ascii_case("notSupport") || sub.eq_ignore_ascii_case("invalidOperation"),
            // Older firmwares send only "4 Invalid Operation" for an unknown resource.
            None => self.code == Some(4),
        }
    }

    /// Whether it says the credentials are wrong.
    fn auth_failed(&self) -> bool {
        self.code == Some(401) || self.sub_code.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("badAuthorization"))
    }

    fn error(&self) -> DeviceError {
        if self.auth_failed() {
            return DeviceError::AuthFailed;
        }
        let code = match (self.code, self.sub_code.as_deref()) {
            (Some(code), Some(sub)) => format!("{code}/{}", clip(sub, 64)),
            (Some(code), None) => code.to_string(),
            (None, Some(sub)) => clip(sub, 64),
            (None, None) => "unknown".to_owned(),
        };
        DeviceError::Fault { code, reason: self.text.as_deref().map(|t| clip(t, 200)).unwrap_or_default() }
    }
}

/// Device text fit to keep: clipped, `None` when blank.
fn field(text: Option<&str>) -> Option<String> {
    crate::soap::clip_field(text, nvr::MAX_NAME)
}

/// The error status `root` is, if it is a `ResponseStatus` or `userCheck`
/// reporting anything but success.
pub fn error_status(root: &Element) -> Option<IsapiStatus> {
    let code = |name: &str| root.text_of(name).and_then(|c| c.trim().parse::<u32>().ok());
    let status = if root.name.eq_ignore_ascii_case("ResponseStatus") {
        IsapiStatus {
            code: code("statusCode"),
            sub_code: field(root.text_of("subStatusCode")),
            text: field(root.text_of("statusString")),
        }
    } else if root.name.eq_ignore_ascii_case("userCheck") {
        IsapiStatus { code: code("statusValue"), sub_code: None, text: field(root.text_of("statusString")) }
    } else {
        return None;
    };
    let ok = status.code.is_none_or(|c| c == 1 || c == 200)
        && status.sub_code.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("ok"));
    (!ok).then_some(status)
}

/// Reads one ISAPI reply: its root element, `None` when the device does not
/// have the resource (404, or a `notSupport` status whatever the HTTP
/// status), or the error it reports.
pub fn read_reply(status: u16, body: &[u8]) -> Result<Option<Element>, DeviceError> {
    let root = match xml::parse(body) {
        Ok(root) => root,
        Err(_) if status == 401 => return Err(DeviceError::AuthFailed),
        Err(_) if status == 404 => return Ok(None),
        Err(_) if !(200..300).contains(&status) => return Err(DeviceError::Http { status }),
        Err(e) => return Err(e.into()),
    };
    if let Some(error) = error_status(&root) {
        if status == 404 || error.not_supported() {
            return Ok(None);
        }
        return Err(error.error());
    }
    match status {
        200..=299 => Ok(Some(root)),
        401 => Err(DeviceError::AuthFailed),
        404 => Ok(None),
        _ => Err(DeviceError::Http { status }),
    }
}

/// Reads `deviceInfo`.
pub fn read_device_info(root: &Element) -> DeviceInfo {
    DeviceInfo {
        name: field(root.text_of("deviceName")),
        model: field(root.text_of("model")),
        serial: field(root.text_of("serialNumber")),
        firmware: field(root.text_of("firmwareVersion")),
        firmware_date: field(root.text_of("firmwareReleasedDate")),
        device_type: field(root.text_of("deviceType")),
    }
}

/// Reads a channel list: every `entry` element (`InputProxyChannel`,
/// `VideoInputChannel`) with a numeric `id` from 1; others are skipped.
pub fn read_channels(root: &Element, entry: &str) -> Vec<ListedChannel> {
    root.find_all(entry)
        .into_iter()
        .filter_map(|e| {
            let id = e.child("id")?.text.trim().parse::<u32>().ok().filter(|id| (1..=99_999).contains(id))?;
            Some(ListedChannel { id, name: field(e.child("name").map(|n| n.text.as_str())) })
        })
        .collect()
}

/// Reads `InputProxy/channels/status`: each channel id with whether a camera
/// is connected (`online`, or failing that `chanDetectResult`).
pub fn read_channel_status(root: &Element) -> Vec<(u32, bool)> {
    root.find_all("InputProxyChannelStatus")
        .into_iter()
        .filter_map(|e| {
            let id = e.child("id")?.text.trim().parse::<u32>().ok()?;
            let online = match e.child("online").map(|o| o.text.trim().to_ascii_lowercase()) {
                Some(o) if o == "true" => true,
                Some(o) if o == "false" => false,
                _ => {
                    let detect = e.child("chanDetectResult")?.text.trim();
                    if detect.is_empty() {
                        return None;
                    }
                    detect.eq_ignore_ascii_case("connect")
                }
            };
            Some((id, online))
        })
        .collect()
}

/// Reads `adminAccesses`: the RTSP protocol's port, if listed.
pub fn read_rtsp_port(root: &Element) -> Option<u16> {
    root.find_all("AdminAccessProtocol").into_iter().find_map(|p| {
        let protocol = p.text_of("protocol")?;
        if !protocol.eq_ignore_ascii_case("RTSP") {
            return None;
        }
        p.text_of("portNo")?.trim().parse::<u16>().ok().filter(|p| *p != 0)
    })
}

/// The channels of `listed`, numbered by id, streaming from `rtsp`.
pub fn channels(listed: &[ListedChannel], status: &[(u32, bool)], rtsp: &Url) -> Result<Vec<Channel>, DeviceError> {
    listed
        .iter()
        .take(nvr::MAX_CHANNELS)
        .map(|c| {
            let stream = |kind: u32| {
                rtsp.join(&format!("Streaming/Channels/{}", c.id * 100 + kind))
                    .map_err(|_| DeviceError::Invalid("a channel's RTSP address is not valid".into()))
            };
            Ok(Channel {
                number: c.id,
                name: c.name.clone(),
                online: status.iter().find(|(id, _)| *id == c.id).map(|(_, online)| *online),
                main: stream(1)?,
                sub: Some(stream(2)?),
                source: None,
            })
        })
        .collect()
}

async fn get(http: &DeviceHttp, base: &Url, path: &str) -> Result<Option<Element>, DeviceError> {
    let url = base.join(path).map_err(|_| DeviceError::Invalid("the NVR address cannot take a path".into()))?;
    let reply = http.send(Method::GET, &url, None, Bytes::new()).await?;
    read_reply(reply.status, &reply.body)
}

/// Reads the identity and channels of the ISAPI device at `base`.
pub async fn inventory(base: &Url, credentials: &Credentials, limits: Limits) -> Result<Inventory, DeviceError> {
    let http = DeviceHttp::new(limits, Some(credentials.clone()));
    let info = get(&http, base, "ISAPI/System/deviceInfo").await?.ok_or(DeviceError::Unsupported("ISAPI"))?;
    let info = read_device_info(&info);
    let proxied = match get(&http, base, "ISAPI/ContentMgmt/InputProxy/channels").await? {
        Some(list) => read_channels(&list, "InputProxyChannel"),
        None => Vec::new(),
    };
    let (listed, status) = if proxied.is_empty() {
        // A camera or DVR: its own video inputs are its channels.
        let inputs = get(&http, base, "ISAPI/System/Video/inputs/channels").await?;
        if inputs.is_none() {
            tracing::debug!(host = %crate::http::host_of(base), "device lists neither IP channels nor video inputs");
        }
        (inputs.map(|i| read_channels(&i, "VideoInputChannel")).unwrap_or_default(), Vec::new())
    } else {
        // Online state is a nicety: a device that will not say still lists its channels.
        let status = match get(&http, base, "ISAPI/ContentMgmt/InputProxy/channels/status").await {
            Ok(Some(status)) => read_channel_status(&status),
            Ok(None) => Vec::new(),
            Err(e) => {
                tracing::debug!(host = %crate::http::host_of(base), error = %e, "channel status unreadable");
                Vec::new()
            }
        };
        (proxied, status)
    };
    let port = match get(&http, base, "ISAPI/Security/adminAccesses").await {
        Ok(Some(access)) => read_rtsp_port(&access),
        _ => None,
    };
    let rtsp = nvr::rtsp_base(base, port.unwrap_or(DEFAULT_RTSP_PORT))?;
    let firmware = match (info.firmware, info.firmware_date) {
        (Some(version), Some(date)) => Some(format!("{version} {date}")),
        (version, _) => version,
    };
    Ok(Inventory {
        identity: Identity {
            manufacturer: Some("Hikvision".into()),
            model: info.model,
            name: info.name,
            serial: info.serial,
            firmware,
        },
        channels: channels(&listed, &status, &rtsp)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/hikvision/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn doc(name: &str) -> Element {
        read_reply(200, &testdata(name)).unwrap().unwrap()
    }

    #[test]
    fn device_info_reads_with_or_without_a_namespace() {
        let info = read_device_info(&doc("device_info_ver20.xml"));
        assert_eq!(info.name.as_deref(), Some("Warehouse NVR"));
        assert_eq!(info.model.as_deref(), Some("DS-7608NI-K2"));
        assert_eq!(info.serial.as_deref(), Some("DS-7608NI-K20820190101CCRRC12345678WCVU"));
        assert_eq!(info.firmware.as_deref(), Some("V4.30.005"));
        assert_eq!(info.firmware_date.as_deref(), Some("build 200708"));
        assert_eq!(info.device_type.as_deref(), Some("NVR"));
        let bare = read_device_info(&doc("device_info_no_namespace.xml"));
        assert_eq!(bare.model.as_deref(), Some("DS-2CD2143G0-I"));
        assert_eq!(bare.name, None, "a blank name is missing");
        assert_eq!(bare.firmware_date, None);
    }

    #[test]
    fn proxy_channels_skip_entries_without_a_numeric_id() {
        let listed = read_channels(&doc("input_proxy_channels.xml"), "InputProxyChannel");
        let ids: Vec<u32> = listed.iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 2, 3, 5]);
        assert_eq!(listed[0].name.as_deref(), Some("Gate"));
        assert_eq!(listed[1].name, None, "an empty name is missing");
        let status = read_channel_status(&doc("input_proxy_status.xml"));
        assert_eq!(status, [(1, true), (2, false), (3, false), (5, true)]);
        let rtsp = Url::parse("rtsp://10.0.0.5:554/").unwrap();
        let channels = channels(&listed, &status, &rtsp).unwrap();
        assert_eq!(channels[3].main.as_str(), "rtsp://10.0.0.5:554/Streaming/Channels/501");
        assert_eq!(channels[3].sub.as_ref().unwrap().as_str(), "rtsp://10.0.0.5:554/Streaming/Channels/502");
        assert_eq!(channels[3].online, Some(true));
    }

    #[test]
    fn video_inputs_read_in_the_ver10_namespace() {
        let listed = read_channels(&doc("video_inputs_ver10.xml"), "VideoInputChannel");
        assert_eq!(
            listed,
            [ListedChannel { id: 1, name: Some("Lobby".into()) }, ListedChannel { id: 2, name: Some("Dock".into()) }]
        );
    }

    #[test]
    fn not_supported_reads_as_absent_whatever_the_http_status() {
        for status in [200, 403, 404] {
            assert_eq!(read_reply(status, &testdata("response_status_not_support.xml")).unwrap(), None, "{status}");
        }
        assert_eq!(read_reply(404, b"<html>Not Found</html>").unwrap(), None);
        assert_eq!(read_reply(404, b"").unwrap(), None);
    }

    #[test]
    fn errors_are_faults_and_auth_failures() {
        let err = read_reply(200, &testdata("response_status_device_busy.xml")).unwrap_err();
        assert_eq!(err, DeviceError::Fault { code: "3/deviceBusy".into(), reason: "Device Busy".into() });
        assert_eq!(read_reply(401, &testdata("user_check_401.xml")).unwrap_err(), DeviceError::AuthFailed);
        assert_eq!(read_reply(500, b"oops").unwrap_err(), DeviceError::Http { status: 500 });
        assert!(matches!(read_reply(200, b"<DeviceInfo><model>x").unwrap_err(), DeviceError::Xml(_)));
        let ok = br#"<ResponseStatus><statusCode>1</statusCode><subStatusCode>ok</subStatusCode></ResponseStatus>"#;
        assert!(read_reply(200, ok).unwrap().is_some());
    }

    #[test]
    fn the_rtsp_port_comes_from_admin_accesses() {
        assert_eq!(read_rtsp_port(&doc("admin_accesses.xml")), Some(10554));
        let without = xml::parse(b"<AdminAccessProtocolList><AdminAccessProtocol><protocol>HTTP</protocol><portNo>80</portNo></AdminAccessProtocol></AdminAccessProtocolList>").unwrap();
        assert_eq!(read_rtsp_port(&without), None);
    }
}
