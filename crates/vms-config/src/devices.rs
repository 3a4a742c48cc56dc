//! Which device addresses the VMS connects to.
//!
//! A camera URL is chosen by a tenant's administrator, but the connection is
//! made by the installation: without a policy, `rtsp://127.0.0.1:<port>/`
//! would reach the installation's own Redis, NATS, PostgreSQL or gRPC, and a
//! link-local address would reach a cloud provider's metadata service. So
//! loopback, link-local, unspecified and multicast addresses are refused
//! unless `devices.allow_loopback` (labs, the demo and the tests) allows
//! loopback; and the installation's own ports on this machine are refused
//! always. Both control (on the URL as typed) and the media plane (on every
//! address a host name resolves to, just before connecting) apply it.

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
};

use serde::{Deserialize, Serialize};

use crate::Config;

/// The `[devices]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevicesConfig {
    /// Allows camera URLs on loopback addresses (`127.0.0.0/8`, `::1`,
    /// `localhost`): for labs, the demo cameras and tests. The installation's
    /// own ports stay refused. Default: false.
    pub allow_loopback: bool,
    /// The UDP port WS-Discovery probes are sent to. Default: 3702, the
    /// standard's; only labs and tests with simulated devices change it.
    pub discovery_port: u16,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        DevicesConfig { allow_loopback: false, discovery_port: 3702 }
    }
}

/// Why a device address is refused: a short reason fit for an API answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressRefusal {
    /// `127.0.0.0/8`, `::1` or `localhost`, while loopback is not allowed.
    Loopback,
    /// `169.254.0.0/16` or `fe80::/10`.
    LinkLocal,
    /// `0.0.0.0`, `::`, broadcast or multicast.
    NotAHost,
    /// A port this installation listens on, on this machine.
    OwnPort(u16),
}

impl fmt::Display for AddressRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressRefusal::Loopback => {
                f.write_str("loopback addresses are refused (devices.allow_loopback allows them for labs)")
            }
            AddressRefusal::LinkLocal => f.write_str("link-local addresses are refused"),
            AddressRefusal::NotAHost => f.write_str("not the address of a single host"),
            AddressRefusal::OwnPort(port) => write!(f, "port {port} is one of this installation's own services"),
        }
    }
}

/// The rules of [this module](self), resolved from a configuration.
#[derive(Debug, Clone)]
pub struct DevicePolicy {
    allow_loopback: bool,
    own_ports: Vec<u16>,
    local: Vec<IpAddr>,
}

impl DevicePolicy {
    /// Builds the policy of `config`; `local` lists this machine's own
    /// addresses beyond loopback (where the installation's ports are refused too).
    pub fn new(config: &Config, local: Vec<IpAddr>) -> Self {
        let c = config;
        let mut own_ports = vec![
            c.control.listen.port(),
            c.control.grpc_listen.port(),
            c.media.grpc_listen.port(),
            c.restream.listen.port(),
            c.live.listen.port(),
            c.live.webrtc_port,
            c.link.listen.port(),
            c.archive.listen.port(),
            c.recorder.grpc_listen.port(),
            c.ai.grpc_listen.port(),
            c.metrics.control.port(),
            c.metrics.media.port(),
            c.metrics.recorder.port(),
            c.metrics.ai.port(),
            c.database.embedded_port,
            c.redis.embedded_port,
            c.nats.embedded_port,
        ];
        // External PostgreSQL, Redis and NATS may run on this machine too:
        // their standard ports, and those their URLs name.
        own_ports.extend(EXTERNAL_DEFAULT_PORTS);
        own_ports
            .extend([&c.database.url, &c.redis.url, &c.nats.url].into_iter().flatten().filter_map(|u| url_port(u)));
        own_ports.sort_unstable();
        own_ports.dedup();
        Self { allow_loopback: c.devices.allow_loopback, own_ports, local }
    }

    /// Checks one address a device would be reached at.
    pub fn check(&self, addr: SocketAddr) -> Result<(), AddressRefusal> {
        let ip = canonical(addr.ip());
        let this_machine = ip.is_loopback() || ip.is_unspecified() || self.local.contains(&ip);
        if this_machine && self.own_ports.contains(&addr.port()) {
            return Err(AddressRefusal::OwnPort(addr.port()));
        }
        if ip.is_loopback() && !self.allow_loopback {
            return Err(AddressRefusal::Loopback);
        }
        if ip.is_unspecified() || ip.is_multicast() || ip == IpAddr::from([255, 255, 255, 255]) {
            return Err(AddressRefusal::NotAHost);
        }
        let link_local = match ip {
            IpAddr::V4(v4) => v4.is_link_local(),
            IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
        };
        if link_local {
            return Err(AddressRefusal::LinkLocal);
        }
        Ok(())
    }

    /// Checks a host as written in a URL, before any name lookup: IP literals
    /// and `localhost` (which always means loopback). Other names pass here
    /// and are checked on what they resolve to.
    pub fn check_host(&self, host: &str, port: u16) -> Result<(), AddressRefusal> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return self.check(SocketAddr::new(ip, port));
        }
        if let Some(v4) = inet_aton(bare.trim_end_matches('.')) {
            return self.check(SocketAddr::new(IpAddr::V4(v4), port));
        }
        let name = bare.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return self.check(SocketAddr::new(IpAddr::from([127, 0, 0, 1]), port));
        }
        Ok(())
    }
}

/// The standard ports of PostgreSQL, Redis and NATS.
const EXTERNAL_DEFAULT_PORTS: [u16; 3] = [5432, 6379, 4222];

/// The explicit port of a service URL (`redis://:pw@127.0.0.1:6380/0`), if any.
fn url_port(url: &str) -> Option<u16> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = match host_port.rsplit_once("]:") {
        Some((_, port)) => port,
        None if host_port.starts_with('[') => return None,
        None => host_port.rsplit_once(':')?.1,
    };
    port.parse().ok()
}

/// Reads a host the way the system resolver (`inet_aton`) does: besides
/// dotted quads it takes one to four parts, each decimal, octal (`0177`) or
/// hex (`0x7f`), the last filling the remaining bytes: `2130706433`,
/// `127.1` and `0x7f.0.0.1` are all 127.0.0.1. Such a host is no name, and
/// must be checked as the address it means.
fn inet_aton(host: &str) -> Option<std::net::Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(parts.len());
    for part in &parts {
        let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
            (hex, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (&part[1..], 8)
        } else {
            (*part, 10)
        };
        if digits.is_empty() && radix != 16 {
            return None;
        }
        let value = if digits.is_empty() { 0 } else { u32::from_str_radix(digits, radix).ok()? };
        values.push(value);
    }
    let (last, leading) = values.split_last()?;
    let mut address: u32 = 0;
    for (i, byte) in leading.iter().enumerate() {
        if *byte > 255 {
            return None;
        }
        address |= byte << (24 - 8 * i);
    }
    let room = 32 - 8 * leading.len() as u32;
    if room < 32 && *last >= (1u32 << room) {
        return None;
    }
    Some(std::net::Ipv4Addr::from(address | last))
}

/// Treats an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow_loopback: bool) -> DevicePolicy {
        let mut config = Config::default();
        config.devices.allow_loopback = allow_loopback;
        DevicePolicy::new(&config, vec!["192.0.2.10".parse().unwrap()])
    }

    #[test]
    fn refuses_loopback_link_local_and_own_ports_by_default() {
        let p = policy(false);
        assert_eq!(p.check_host("127.0.0.1", 554), Err(AddressRefusal::Loopback));
        assert_eq!(p.check_host("127.8.9.10", 554), Err(AddressRefusal::Loopback));
        assert_eq!(p.check_host("[::1]", 554), Err(AddressRefusal::Loopback));
        assert_eq!(p.check_host("[::ffff:127.0.0.1]", 554), Err(AddressRefusal::Loopback));
        assert_eq!(p.check_host("LocalHost.", 554), Err(AddressRefusal::Loopback));
        assert_eq!(p.check_host("169.254.169.254", 80), Err(AddressRefusal::LinkLocal));
        assert_eq!(p.check_host("[fe80::1]", 554), Err(AddressRefusal::LinkLocal));
        assert_eq!(p.check_host("0.0.0.0", 554), Err(AddressRefusal::NotAHost));
        assert_eq!(p.check_host("224.0.0.1", 554), Err(AddressRefusal::NotAHost));
        assert_eq!(p.check_host("127.0.0.1", 56379), Err(AddressRefusal::OwnPort(56379)), "Redis");
        assert_eq!(p.check_host("192.0.2.10", 55432), Err(AddressRefusal::OwnPort(55432)), "this machine");
        assert_eq!(p.check_host("192.0.2.11", 55432), Ok(()), "another machine may use any port");
        assert_eq!(p.check_host("10.0.0.9", 554), Ok(()));
        assert_eq!(p.check_host("camera.example", 554), Ok(()), "names are checked once resolved");
    }

    #[test]
    fn loopback_may_be_allowed_for_labs_but_never_the_installations_ports() {
        let p = policy(true);
        assert_eq!(p.check_host("127.0.0.1", 8654), Ok(()));
        assert_eq!(p.check_host("localhost", 8654), Ok(()));
        for port in [54222, 56379, 55432, 50051, 8080] {
            assert_eq!(p.check_host("127.0.0.1", port), Err(AddressRefusal::OwnPort(port)));
        }
        assert_eq!(p.check_host("169.254.1.1", 554), Err(AddressRefusal::LinkLocal), "only loopback is allowed");
    }

    /// Review of issue 11: hosts the resolver reads as addresses are checked as those addresses.
    #[test]
    fn numeric_hosts_in_every_form_the_resolver_takes_are_checked_as_addresses() {
        let p = policy(false);
        for host in ["2130706433", "127.1", "0x7f.0.0.1", "0177.0.0.01", "0x7F000001", "127.0.1", "127.1."] {
            assert_eq!(p.check_host(host, 554), Err(AddressRefusal::Loopback), "{host}");
        }
        assert_eq!(p.check_host("0", 554), Err(AddressRefusal::NotAHost));
        assert_eq!(p.check_host("169.16689662", 80), Err(AddressRefusal::LinkLocal), "169.254.169.254");
        assert_eq!(inet_aton("10.1"), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(inet_aton("192.168.257"), Some("192.168.1.1".parse().unwrap()));
        for name in ["256.1.1.1", "1.2.3.4.5", "cam1", "1e3", "08", "1..2", "", "4294967296"] {
            assert_eq!(inet_aton(name), None, "{name}");
        }
        assert_eq!(p.check_host("cam-01.example", 554), Ok(()));
    }

    /// Review of issue 11: external PostgreSQL, Redis and NATS on this machine are the installation's too.
    #[test]
    fn external_service_ports_on_this_machine_are_refused() {
        let mut config = Config::default();
        config.devices.allow_loopback = true;
        config.redis.url = Some("redis://:secret@127.0.0.1:6380/0".into());
        config.database.url = Some("postgres://vms@[::1]:5433/vms".into());
        config.nats.url = Some("nats://localhost".into());
        let p = DevicePolicy::new(&config, Vec::new());
        for port in [5432, 6379, 4222, 6380, 5433] {
            assert_eq!(p.check_host("127.0.0.1", port), Err(AddressRefusal::OwnPort(port)), "{port}");
        }
        assert_eq!(p.check_host("127.0.0.1", 554), Ok(()));
        assert_eq!(url_port("nats://localhost"), None);
        assert_eq!(url_port("postgres://u:p@host:5/db?x=1"), Some(5));
    }
}
