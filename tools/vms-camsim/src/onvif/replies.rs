//! The simulated device's SOAP replies, written from the ONVIF WSDLs.

use vms_devices::{soap::NAMESPACES, xml::escape};

use super::{Device, ptz::Vector};

/// A whole reply envelope around `body`.
pub fn envelope(body: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><s:Envelope {NAMESPACES}><s:Body>{body}</s:Body></s:Envelope>"#)
}

/// A SOAP 1.2 fault with `code` (`Sender`/`Receiver`), a `ter:` subcode and a reason.
pub fn fault(code: &str, subcode: &str, reason: &str) -> String {
    envelope(&format!(
        r#"<s:Fault xmlns:ter="http://www.onvif.org/ver10/error"><s:Code><s:Value>s:{code}</s:Value><s:Subcode><s:Value>ter:{subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">{}</s:Text></s:Reason></s:Fault>"#,
        escape(reason)
    ))
}

pub fn system_date_and_time(now: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    envelope(&format!(
        "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>{}</tt:Hour><tt:Minute>{}</tt:Minute><tt:Second>{}</tt:Second></tt:Time><tt:Date><tt:Year>{}</tt:Year><tt:Month>{}</tt:Month><tt:Day>{}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>",
        now.hour(),
        now.minute(),
        now.second(),
        now.year(),
        now.month(),
        now.day()
    ))
}

fn services_list(device: &Device) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        ("http://www.onvif.org/ver10/device/wsdl", "device_service"),
        ("http://www.onvif.org/ver10/media/wsdl", "media"),
        ("http://www.onvif.org/ver20/media/wsdl", "media2"),
        ("http://www.onvif.org/ver10/events/wsdl", "events"),
    ];
    if device.config.ptz {
        out.push(("http://www.onvif.org/ver20/ptz/wsdl", "ptz"));
    }
    out
}

pub fn services(device: &Device) -> String {
    let entries: String = services_list(device)
        .into_iter()
        .map(|(ns, path)| {
            format!(
                "<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>",
                device.service_url(path)
            )
        })
        .collect();
    envelope(&format!("<tds:GetServicesResponse>{entries}</tds:GetServicesResponse>"))
}

pub fn capabilities(device: &Device) -> String {
    let ptz = if device.config.ptz {
        format!("<tt:PTZ><tt:XAddr>{}</tt:XAddr></tt:PTZ>", device.service_url("ptz"))
    } else {
        String::new()
    };
    envelope(&format!(
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>{}</tt:XAddr></tt:Device><tt:Events><tt:XAddr>{}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport></tt:Events><tt:Media><tt:XAddr>{}</tt:XAddr><tt:StreamingCapabilities><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>{ptz}</tds:Capabilities></tds:GetCapabilitiesResponse>",
        device.service_url("device_service"),
        device.service_url("events"),
        device.service_url("media"),
    ))
}

pub fn device_information(device: &Device) -> String {
    let c = &device.config;
    envelope(&format!(
        "<tds:GetDeviceInformationResponse><tds:Manufacturer>{}</tds:Manufacturer><tds:Model>{}</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>{}</tds:SerialNumber><tds:HardwareId>camsim</tds:HardwareId></tds:GetDeviceInformationResponse>",
        escape(&c.manufacturer),
        escape(&c.model),
        escape(&c.endpoint()[9..21])
    ))
}

/// One media profile the device offers.
struct ProfileSpec {
    token: String,
    source: String,
    width: u32,
    height: u32,
    /// Carries the PTZ configuration (the camera's main profile, if it has a head).
    ptz: bool,
}

/// A camera's two profiles, `main` (1280×720) and `sub` (640×360), of one
/// source; an NVR's `chK_main` and `chK_sub` for each channel K, each
/// channel its own source.
fn profile_specs(device: &Device) -> Vec<ProfileSpec> {
    let spec = |token: String, source: String, (width, height), ptz| ProfileSpec { token, source, width, height, ptz };
    if device.config.channels == 0 {
        return vec![
            spec("main".into(), "src0".into(), (1280, 720), device.config.ptz),
            spec("sub".into(), "src0".into(), (640, 360), false),
        ];
    }
    (1..=device.config.channels)
        .flat_map(|k| {
            [
                spec(format!("ch{k}_main"), format!("src{k}"), (1280, 720), false),
                spec(format!("ch{k}_sub"), format!("src{k}"), (640, 360), false),
            ]
        })
        .collect()
}

pub fn profiles_media1(device: &Device) -> String {
    let profiles: String = profile_specs(device)
        .iter()
        .map(|ProfileSpec { token, source, width: w, height: h, ptz }| {
            let ptz = if *ptz {
                r#"<tt:PTZConfiguration token="ptz0"><tt:Name>PTZ</tt:Name><tt:NodeToken>node0</tt:NodeToken></tt:PTZConfiguration>"#
            } else {
                ""
            };
            format!(
                r#"<trt:Profiles token="{token}" fixed="true"><tt:Name>{token}</tt:Name><tt:VideoSourceConfiguration token="vs_{source}"><tt:Name>vs_{source}</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>{source}</tt:SourceToken><tt:Bounds x="0" y="0" width="1280" height="720"/></tt:VideoSourceConfiguration><tt:VideoEncoderConfiguration token="ve_{token}"><tt:Name>ve_{token}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration>{ptz}</trt:Profiles>"#
            )
        })
        .collect();
    envelope(&format!("<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>"))
}

pub fn profiles_media2(device: &Device) -> String {
    let profiles: String = profile_specs(device)
        .iter()
        .map(|ProfileSpec { token, source, width: w, height: h, ptz }| {
            let ptz = if *ptz { r#"<tr2:PTZ token="ptz0"><tt:Name>PTZ</tt:Name><tt:NodeToken>node0</tt:NodeToken></tr2:PTZ>"# } else { "" };
            format!(
                r#"<tr2:Profiles token="{token}" fixed="true"><tr2:Name>{token}</tr2:Name><tr2:Configurations><tr2:VideoSource token="vs_{source}"><tt:Name>vs_{source}</tt:Name><tt:SourceToken>{source}</tt:SourceToken></tr2:VideoSource><tr2:VideoEncoder token="ve_{token}" GovLength="50" Profile="Main"><tt:Name>ve_{token}</tt:Name><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height></tt:Resolution><tt:RateControl ConstantBitRate="false"><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl></tr2:VideoEncoder>{ptz}</tr2:Configurations></tr2:Profiles>"#
            )
        })
        .collect();
    envelope(&format!("<tr2:GetProfilesResponse>{profiles}</tr2:GetProfilesResponse>"))
}

/// The RTSP path of a profile, if the token names one of the device's.
pub fn profile_path(device: &Device, token: &str) -> Option<String> {
    let config = &device.config;
    if config.channels == 0 {
        return match token {
            "main" => Some(config.main_path.clone()),
            "sub" => Some(config.sub_path.clone()),
            _ => None,
        };
    }
    let (channel, kind) = token.strip_prefix("ch")?.split_once('_')?;
    let channel: u32 = channel.parse().ok()?;
    ((1..=config.channels).contains(&channel) && matches!(kind, "main" | "sub"))
        .then(|| format!("nvr/ch{channel}/{kind}"))
}

pub fn uri(media2: bool, operation: &str, uri: &str) -> String {
    if media2 {
        envelope(&format!("<tr2:{operation}Response><tr2:Uri>{}</tr2:Uri></tr2:{operation}Response>", escape(uri)))
    } else {
        envelope(&format!(
            "<trt:{operation}Response><trt:MediaUri><tt:Uri>{}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:{operation}Response>",
            escape(uri)
        ))
    }
}

fn position(v: Vector) -> String {
    format!(
        r#"<tt:PanTilt x="{}" y="{}" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"/><tt:Zoom x="{}" space="http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"/>"#,
        v[0], v[1], v[2]
    )
}

pub fn ptz_status(v: Vector, moving: bool, now: chrono::DateTime<chrono::Utc>) -> String {
    let state = if moving { "MOVING" } else { "IDLE" };
    envelope(&format!(
        "<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>{}</tt:Position><tt:MoveStatus><tt:PanTilt>{state}</tt:PanTilt><tt:Zoom>{state}</tt:Zoom></tt:MoveStatus><tt:UtcTime>{}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>",
        position(v),
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ))
}

pub fn presets(list: &[(String, String, Vector)]) -> String {
    let presets: String = list
        .iter()
        .map(|(token, name, v)| {
            format!(
                r#"<tptz:Preset token="{}"><tt:Name>{}</tt:Name><tt:PTZPosition>{}</tt:PTZPosition></tptz:Preset>"#,
                escape(token),
                escape(name),
                position(*v)
            )
        })
        .collect();
    envelope(&format!("<tptz:GetPresetsResponse>{presets}</tptz:GetPresetsResponse>"))
}

pub fn set_preset(token: &str) -> String {
    envelope(&format!(
        "<tptz:SetPresetResponse><tptz:PresetToken>{}</tptz:PresetToken></tptz:SetPresetResponse>",
        escape(token)
    ))
}

/// An empty `<prefix:OperationResponse/>`.
pub fn empty(prefix: &str, operation: &str) -> String {
    envelope(&format!("<{prefix}:{operation}Response/>"))
}

/// The discovery reply to a Probe with `relates_to`.
pub fn probe_matches(device: &Device, relates_to: &str, xaddr: &str) -> String {
    let c = &device.config;
    let scopes = format!(
        "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/name/{} onvif://www.onvif.org/hardware/{} onvif://www.onvif.org/mfr/{}",
        percent(&c.name),
        percent(&c.model),
        percent(&c.manufacturer)
    );
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">"#,
            r#"<s:Header><a:MessageID>uuid:{id}</a:MessageID><a:RelatesTo>{relates}</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"#,
            r#"<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>"#,
            r#"<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference>"#,
            r#"<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>{scopes}</d:Scopes><d:XAddrs>{xaddr}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"#
        ),
        id = uuid::Uuid::new_v4(),
        relates = escape(relates_to),
        endpoint = c.endpoint(),
        scopes = escape(&scopes),
        xaddr = escape(xaddr),
    )
}

fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
