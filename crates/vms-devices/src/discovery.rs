//! WS-Discovery (the 2005/04 draft ONVIF uses): Probe messages sent to the
//! multicast group on every local network and to each address of the ranges
//! asked for, and the ProbeMatches that come back read into devices.
//!
//! Multicast only reaches the local link (routers do not forward it, and
//! some switches filter it); unicast probes to a range reach routed networks
//! and devices whose multicast is off. Replies are de-duplicated by endpoint
//! reference, and `0.0.0.0` (or loopback) service addresses are pointed at
//! the address the reply came from.

use std::{
    collections::HashMap,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    time::Duration,
};

use percent_encoding::percent_decode_str;
use tokio::{net::UdpSocket, time::Instant};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::{error::DeviceError, xml};

/// The WS-Discovery multicast group.
pub const MULTICAST_GROUP: Ipv4Addr = Ipv4Addr::new(239, 255, 255, 250);
/// The WS-Discovery port.
pub const PORT: u16 = 3702;
/// The largest datagram read.
const MAX_DATAGRAM: usize = 65_535;

/// The device types probed for: cameras (`NetworkVideoTransmitter`) and, for
/// firmwares that only answer that, any ONVIF device.
const PROBE_TYPES: [&str; 2] = ["dn:NetworkVideoTransmitter", "tds:Device"];

/// A Probe message with `message_id` for `types`.
pub fn probe_message(message_id: &str, types: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" "#,
            r#"xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" "#,
            r#"xmlns:tds="http://www.onvif.org/ver10/device/wsdl">"#,
            r#"<s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>"#,
            r#"<a:MessageID>{id}</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"#,
            r#"<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>"#,
            r#"<s:Body><d:Probe><d:Types>{types}</d:Types></d:Probe></s:Body></s:Envelope>"#
        ),
        id = xml::escape(message_id),
        types = xml::escape(types),
    )
}

/// Scopes kept per device, and the longest kept.
const MAX_SCOPES: usize = 32;
const MAX_SCOPE_LEN: usize = 256;
/// Service addresses kept per device, and the longest kept.
const MAX_XADDRS: usize = 8;
const MAX_XADDR_LEN: usize = 512;
/// The longest endpoint reference accepted.
const MAX_ENDPOINT_LEN: usize = 512;
/// ProbeMatches read from one datagram (a device sends one).
const MAX_MATCHES_PER_DATAGRAM: usize = 16;

/// One ProbeMatch as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeMatch {
    /// The message id of the Probe it answers (`RelatesTo`), if given.
    pub relates_to: Option<String>,
    /// The endpoint reference (usually `urn:uuid:...`), stable per device.
    pub endpoint: String,
    /// The types it claims.
    pub types: Vec<String>,
    /// Its scopes (`onvif://www.onvif.org/name/...`).
    pub scopes: Vec<String>,
    /// Its service addresses, corrected to the responder's address where needed.
    pub xaddrs: Vec<Url>,
}

/// The ProbeMatches in one datagram from `responder`, bounded (16 matches,
/// 32 scopes and 8 service addresses each, long ones dropped). Matches
/// without any usable service address are dropped; an unreadable datagram
/// is an error.
pub fn read_probe_matches(datagram: &[u8], responder: IpAddr) -> Result<Vec<ProbeMatch>, DeviceError> {
    let root = xml::parse(datagram)?;
    let relates_to = root.text_of("RelatesTo").map(str::to_owned);
    Ok(root
        .find_all("ProbeMatch")
        .into_iter()
        .take(MAX_MATCHES_PER_DATAGRAM)
        .filter_map(|m| {
            let words = |name: &str, max: usize, max_len: usize| -> Vec<String> {
                m.text_of(name)
                    .map(|t| t.split_whitespace().filter(|w| w.len() <= max_len).take(max).map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            let xaddrs: Vec<Url> =
                words("XAddrs", MAX_XADDRS, MAX_XADDR_LEN).iter().filter_map(|x| correct_host(x, responder)).collect();
            if xaddrs.is_empty() {
                return None;
            }
            let endpoint = m
                .find("EndpointReference")
                .and_then(|e| e.text_of("Address"))
                .map(str::to_owned)
                .unwrap_or_else(|| xaddrs[0].to_string());
            if endpoint.len() > MAX_ENDPOINT_LEN {
                return None;
            }
            Some(ProbeMatch {
                relates_to: relates_to.clone(),
                endpoint,
                types: words("Types", MAX_SCOPES, MAX_SCOPE_LEN),
                scopes: words("Scopes", MAX_SCOPES, MAX_SCOPE_LEN),
                xaddrs,
            })
        })
        .collect())
}

/// Parses a service address, pointing an unspecified or loopback host at `responder`.
fn correct_host(xaddr: &str, responder: IpAddr) -> Option<Url> {
    let mut url = Url::parse(xaddr).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let unreachable = match url.host()? {
        url::Host::Ipv4(ip) => ip.is_unspecified() || (ip.is_loopback() && !responder.is_loopback()),
        url::Host::Ipv6(ip) => ip.is_unspecified() || (ip.is_loopback() && !responder.is_loopback()),
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost") && !responder.is_loopback(),
    };
    if unreachable {
        url.set_ip_host(responder).ok()?;
    }
    Some(url)
}

/// A device found by a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDevice {
    /// The endpoint reference.
    pub endpoint: String,
    /// The address the reply came from.
    pub address: IpAddr,
    /// The device service URL to connect to: the first service address on
    /// the responder's own address, else the first given.
    pub device_url: Url,
    /// All service addresses.
    pub xaddrs: Vec<Url>,
    /// From the `name` scope.
    pub name: Option<String>,
    /// From the `hardware` scope (the model, on most firmwares).
    pub hardware: Option<String>,
    /// From the `manufacturer` or `mfr` scope.
    pub manufacturer: Option<String>,
    /// From the `location` scope.
    pub location: Option<String>,
    /// Every scope as sent.
    pub scopes: Vec<String>,
}

/// The decoded value of scope `onvif://www.onvif.org/<key>/<value>`.
fn scope(scopes: &[String], keys: &[&str]) -> Option<String> {
    scopes.iter().find_map(|s| {
        let rest = s.strip_prefix("onvif://www.onvif.org/")?;
        let (key, value) = rest.split_once('/')?;
        if !keys.iter().any(|k| k.eq_ignore_ascii_case(key)) || value.is_empty() {
            return None;
        }
        let decoded = percent_decode_str(value).decode_utf8_lossy().replace('_', " ");
        Some(crate::soap::clip(decoded.trim(), 128)).filter(|v| !v.is_empty())
    })
}

impl FoundDevice {
    /// The device a ProbeMatch from `address` describes. Its device URL is
    /// always on `address`: the first service address there, else the first
    /// given with its host replaced, so a reply cannot send whoever onboards
    /// it (and the password they type) to a host of its choosing.
    pub fn from_match(m: ProbeMatch, address: IpAddr) -> FoundDevice {
        let on_responder =
            |x: &&Url| x.host_str().and_then(|h| h.trim_matches(['[', ']']).parse::<IpAddr>().ok()) == Some(address);
        let device_url = match m.xaddrs.iter().find(on_responder) {
            Some(url) => url.clone(),
            None => {
                let mut url = m.xaddrs[0].clone();
                // Only fails for URLs without a host, which correct_host never keeps.
                let _ = url.set_ip_host(address);
                url
            }
        };
        FoundDevice {
            name: scope(&m.scopes, &["name"]),
            hardware: scope(&m.scopes, &["hardware"]),
            manufacturer: scope(&m.scopes, &["manufacturer", "mfr"]),
            location: scope(&m.scopes, &["location"]),
            endpoint: m.endpoint,
            address,
            device_url,
            xaddrs: m.xaddrs,
            scopes: m.scopes,
        }
    }
}

/// The most addresses one scan may probe (a /22).
pub const MAX_TARGETS: usize = 1024;

/// Expands ranges — `192.168.1.0/24`, `10.0.0.5-10.0.0.40`, `10.0.0.5-40` or
/// a single address — into addresses, without duplicates, refusing more than
/// `max` in all. A CIDR block leaves out its network and broadcast addresses
/// (except /31 and /32).
pub fn parse_ranges(ranges: &[String], max: usize) -> Result<Vec<Ipv4Addr>, DeviceError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for range in ranges {
        let range = range.trim();
        let bad = || DeviceError::Invalid(format!("`{range}` is not an IPv4 address, CIDR block or a–b range"));
        let (first, last) = if let Some((net, bits)) = range.split_once('/') {
            let net: Ipv4Addr = net.trim().parse().map_err(|_| bad())?;
            let bits: u32 = bits.trim().parse().map_err(|_| bad())?;
            if bits > 32 {
                return Err(bad());
            }
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            let base = u32::from(net) & mask;
            let top = base | !mask;
            if bits >= 31 { (base, top) } else { (base + 1, top - 1) }
        } else if let Some((a, b)) = range.split_once('-') {
            let a: Ipv4Addr = a.trim().parse().map_err(|_| bad())?;
            let b: Ipv4Addr = match b.trim().parse::<u8>() {
                Ok(octet) => {
                    let o = a.octets();
                    Ipv4Addr::new(o[0], o[1], o[2], octet)
                }
                Err(_) => b.trim().parse().map_err(|_| bad())?,
            };
            if u32::from(b) < u32::from(a) {
                return Err(DeviceError::Invalid(format!("`{range}` ends before it starts")));
            }
            (u32::from(a), u32::from(b))
        } else {
            let ip: Ipv4Addr = range.parse().map_err(|_| bad())?;
            (u32::from(ip), u32::from(ip))
        };
        if u64::from(last - first) + 1 + out.len() as u64 > max as u64 {
            return Err(DeviceError::Invalid(format!("a scan may cover at most {max} addresses")));
        }
        for ip in first..=last {
            if seen.insert(ip) {
                out.push(Ipv4Addr::from(ip));
            }
        }
    }
    Ok(out)
}

/// What a scan does.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Addresses to probe one by one.
    pub targets: Vec<Ipv4Addr>,
    /// Whether to probe the multicast group on every local IPv4 network too.
    pub multicast: bool,
    /// How long to listen after the last probe.
    pub window: Duration,
    /// The port probes go to (3702; tests use others).
    pub port: u16,
    /// Addresses probed per second, at most.
    pub rate: u32,
    /// Devices recorded at most; answers beyond are ignored.
    pub max_devices: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            targets: Vec::new(),
            multicast: true,
            window: Duration::from_secs(3),
            port: PORT,
            rate: 200,
            max_devices: 1024,
        }
    }
}

/// Progress reported while a scan runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanUpdate {
    /// `probed` of `total` addresses have been sent probes.
    Progress {
        /// Probed so far.
        probed: usize,
        /// All to probe.
        total: usize,
    },
    /// A device answered for the first time.
    Found(Box<FoundDevice>),
}

/// How a scan ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOutcome {
    /// Every device found, in order of first answer.
    pub devices: Vec<FoundDevice>,
    /// Whether it was cancelled before its window ended.
    pub cancelled: bool,
}

/// The local IPv4 addresses multicast probes leave from.
fn multicast_interfaces() -> Vec<Ipv4Addr> {
    if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| match i.ip() {
            IpAddr::V4(ip) if !ip.is_loopback() => Some(ip),
            _ => None,
        })
        .collect()
}

/// Probes and listens, reporting each new device and progress through
/// `on_update`, until the window after the last probe passes or `cancel` fires.
///
/// Only answers to this scan's probes count: a reply must name one of its
/// probes (`RelatesTo`) or, if it names none, come from an address probed
/// by unicast; without multicast, it must come from an address probed. Anyone on the network can send datagrams to the scan's port,
/// so what is kept is bounded ([`ScanOptions::max_devices`], and the limits
/// of [`read_probe_matches`]).
pub async fn scan(
    options: ScanOptions,
    cancel: CancellationToken,
    mut on_update: impl FnMut(ScanUpdate),
) -> Result<ScanOutcome, DeviceError> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .await
        .map_err(|e| DeviceError::Invalid(format!("cannot open a UDP socket for discovery: {e}")))?;
    let probes: Vec<(String, String)> = PROBE_TYPES
        .iter()
        .map(|types| {
            let id = format!("uuid:{}", uuid::Uuid::new_v4());
            (id.clone(), probe_message(&id, types))
        })
        .collect();
    if options.multicast {
        let sock = socket2::SockRef::from(&socket);
        let _ = sock.set_multicast_ttl_v4(1);
        for interface in multicast_interfaces() {
            if sock.set_multicast_if_v4(&interface).is_err() {
                continue;
            }
            for (_, message) in &probes {
                if let Err(e) = socket.send_to(message.as_bytes(), (MULTICAST_GROUP, options.port)).await {
                    tracing::debug!(%interface, error = %e, "multicast probe not sent");
                }
            }
        }
    }
    let total = options.targets.len();
    let interval = Duration::from_secs(1) / options.rate.max(1);
    let mut next_probe = Instant::now();
    let mut targets = options.targets.iter();
    let mut probed = 0usize;
    let mut sending = total > 0;
    let mut listen_until = Instant::now() + options.window;
    let mut found: Vec<FoundDevice> = Vec::new();
    let mut by_endpoint: HashMap<String, usize> = HashMap::new();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let probed_addresses: std::collections::HashSet<IpAddr> = options.targets.iter().map(|t| IpAddr::V4(*t)).collect();
    let multicast = options.multicast;
    let ours = |m: &ProbeMatch, from: IpAddr| {
        // Without multicast, only the addresses probed can answer.
        let from_probed = probed_addresses.contains(&from);
        match &m.relates_to {
            Some(id) => probes.iter().any(|(ours, _)| ours == id.trim()) && (multicast || from_probed),
            None => from_probed,
        }
    };
    on_update(ScanUpdate::Progress { probed: 0, total });
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return Ok(ScanOutcome { devices: found, cancelled: true }),
            received = socket.recv_from(&mut buf) => {
                let Ok((len, from)) = received else { continue };
                if found.len() >= options.max_devices {
                    continue;
                }
                let matches = match read_probe_matches(&buf[..len], from.ip()) {
                    Ok(matches) => matches,
                    Err(e) => {
                        tracing::debug!(%from, error = %e, "unreadable discovery reply ignored");
                        continue;
                    }
                };
                for m in matches {
                    if by_endpoint.contains_key(&m.endpoint) || !ours(&m, from.ip()) || found.len() >= options.max_devices {
                        continue;
                    }
                    let device = FoundDevice::from_match(m, from.ip());
                    by_endpoint.insert(device.endpoint.clone(), found.len());
                    on_update(ScanUpdate::Found(Box::new(device.clone())));
                    found.push(device);
                }
            }
            _ = tokio::time::sleep_until(next_probe), if sending => {
                match targets.next() {
                    Some(target) => {
                        for (_, message) in &probes {
                            // An unreachable network refuses at once; that address simply answers nothing.
                            let _ = socket.send_to(message.as_bytes(), SocketAddr::from((*target, options.port))).await;
                        }
                        probed += 1;
                        if probed.is_multiple_of(16) || probed == total {
                            on_update(ScanUpdate::Progress { probed, total });
                        }
                        next_probe += interval;
                    }
                    None => {
                        sending = false;
                        listen_until = Instant::now() + options.window;
                    }
                }
            }
            _ = tokio::time::sleep_until(listen_until), if !sending => {
                return Ok(ScanOutcome { devices: found, cancelled: false });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/discovery/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn probe_is_a_soap_envelope_with_its_id_and_types() {
        let message = probe_message("uuid:1", "dn:NetworkVideoTransmitter");
        let root = xml::parse(message.as_bytes()).unwrap();
        assert_eq!(root.text_of("MessageID"), Some("uuid:1"));
        assert_eq!(root.text_of("Types"), Some("dn:NetworkVideoTransmitter"));
        assert!(root.text_of("Action").unwrap().ends_with("/discovery/Probe"));
    }

    #[test]
    fn probe_match_with_unspecified_host_points_at_the_responder() {
        let responder: IpAddr = "192.168.1.64".parse().unwrap();
        let matches = read_probe_matches(&testdata("probe_match_hikvision.xml"), responder).unwrap();
        assert_eq!(matches.len(), 1);
        let m = &matches[0];
        assert_eq!(m.endpoint, "urn:uuid:4d454930-0000-1000-8000-bcad28e4f7b1");
        assert_eq!(m.xaddrs[0].as_str(), "http://192.168.1.64/onvif/device_service");
        assert_eq!(m.xaddrs.len(), 2, "the IPv6 address is kept as a second choice");
        let device = FoundDevice::from_match(m.clone(), responder);
        assert_eq!(device.device_url.as_str(), "http://192.168.1.64/onvif/device_service");
        assert_eq!(device.name.as_deref(), Some("HIKVISION DS-2CD2143G2-I"));
        assert_eq!(device.hardware.as_deref(), Some("DS-2CD2143G2-I"));
        assert_eq!(device.location.as_deref(), Some("city/hangzhou"));
    }

    #[test]
    fn probe_match_without_envelope_wrapper_and_odd_scopes() {
        let responder: IpAddr = "10.0.0.21".parse().unwrap();
        let matches = read_probe_matches(&testdata("probe_match_no_wrapper.xml"), responder).unwrap();
        assert_eq!(matches.len(), 2, "a match without a usable XAddr is dropped: {matches:?}");
        let device = FoundDevice::from_match(matches[0].clone(), responder);
        assert_eq!(
            device.device_url.as_str(),
            "http://10.0.0.21:8899/onvif/device_service",
            "the responder's own address is preferred"
        );
        assert_eq!(device.manufacturer.as_deref(), Some("Dahua"));
        assert_eq!(device.name.as_deref(), Some("Front Door"));
        assert_eq!(
            matches[1].endpoint, "http://10.0.0.22/onvif/device_service",
            "no endpoint reference: keyed by address"
        );
    }

    #[test]
    fn what_one_datagram_may_hold_is_bounded() {
        let responder: IpAddr = "10.0.0.1".parse().unwrap();
        let scopes: String = (0..100).map(|i| format!("onvif://www.onvif.org/x/{i} ")).collect();
        let long = "a".repeat(600);
        let one = |i: usize| {
            format!(
                "<ProbeMatch><EndpointReference><Address>urn:{i}</Address></EndpointReference><Scopes>{scopes} onvif://www.onvif.org/name/{long}</Scopes><XAddrs>http://10.0.0.1/{long} http://10.0.0.1/d</XAddrs></ProbeMatch>"
            )
        };
        let datagram = format!(
            "<ProbeMatches><RelatesTo>uuid:1</RelatesTo>{}</ProbeMatches>",
            (0..100).map(one).collect::<String>()
        );
        let matches = read_probe_matches(datagram.as_bytes(), responder).unwrap();
        assert_eq!(matches.len(), 16);
        assert_eq!(matches[0].scopes.len(), 32);
        assert_eq!(matches[0].xaddrs.len(), 1, "the over-long address is dropped");
        assert_eq!(matches[0].relates_to.as_deref(), Some("uuid:1"));
        let huge_endpoint = format!(
            "<ProbeMatch><EndpointReference><Address>{}</Address></EndpointReference><XAddrs>http://10.0.0.1/d</XAddrs></ProbeMatch>",
            "u".repeat(600)
        );
        assert!(read_probe_matches(huge_endpoint.as_bytes(), responder).unwrap().is_empty());
    }

    #[test]
    fn the_device_url_is_always_on_the_responder() {
        let responder: IpAddr = "10.0.0.30".parse().unwrap();
        let datagram = b"<ProbeMatches><ProbeMatch><XAddrs>http://198.51.100.7:8080/onvif/device_service</XAddrs><Scopes>onvif://www.onvif.org/name/%E2%80%AEevil</Scopes></ProbeMatch></ProbeMatches>";
        let m = read_probe_matches(datagram, responder).unwrap().remove(0);
        let device = FoundDevice::from_match(m, responder);
        assert_eq!(device.device_url.as_str(), "http://10.0.0.30:8080/onvif/device_service");
        assert_eq!(device.name.as_deref(), Some("evil"), "bidirectional overrides are dropped");
    }

    #[test]
    fn garbage_datagrams_are_errors_not_panics() {
        let responder: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(read_probe_matches(b"\x00\x01binary", responder).is_err());
        assert_eq!(read_probe_matches(b"<Hello/>", responder).unwrap(), vec![]);
    }

    #[test]
    fn ranges_expand_and_are_bounded() {
        let r = |s: &[&str]| parse_ranges(&s.iter().map(|s| s.to_string()).collect::<Vec<_>>(), MAX_TARGETS);
        assert_eq!(r(&["192.168.1.0/30"]).unwrap(), vec![Ipv4Addr::new(192, 168, 1, 1), Ipv4Addr::new(192, 168, 1, 2)]);
        assert_eq!(r(&["10.0.0.5-10.0.0.7"]).unwrap().len(), 3);
        assert_eq!(r(&["10.0.0.5-7", "10.0.0.6"]).unwrap().len(), 3, "duplicates are probed once");
        assert_eq!(r(&["10.0.0.9/32"]).unwrap(), vec![Ipv4Addr::new(10, 0, 0, 9)]);
        assert_eq!(r(&["10.0.0.0/31"]).unwrap().len(), 2);
        assert_eq!(r(&["10.0.0.0/22"]).unwrap().len(), 1022);
        assert!(r(&["10.0.0.0/21"]).unwrap_err().to_string().contains("at most 1024"));
        assert!(r(&["10.0.0.0/22", "10.9.0.0/24"]).is_err(), "the cap is over all ranges together");
        assert!(r(&["10.0.0.9-10.0.0.1"]).unwrap_err().to_string().contains("ends before"));
        for bad in ["", "10.0.0.256", "10.0.0.0/33", "host.example", "10.0.0.1-x", "::1"] {
            assert!(r(&[bad]).is_err(), "{bad}");
        }
    }
}
