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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevicesConfig {
    /// Allows camera URLs on loopback addresses (`127.0.0.0/8`, `::1`,
    /// `localhost`): for labs, the demo cameras and tests. The installation's
    /// own ports stay refused. Default: false.
    pub allow_loopback: bool,
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
            c.recorder.grpc_listen.port(),
            c.ai.grpc_listen.port(),
            c.database.embedded_port,
            c.redis.embedded_port,
            c.nats.embedded_port,
        ];
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
        let name = bare.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return self.check(SocketAddr::new(IpAddr::from([127, 0, 0, 1]), port));
        }
        Ok(())
    }
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
}
