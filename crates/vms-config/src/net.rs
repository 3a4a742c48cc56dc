//! Address ranges in configuration: `10.0.0.0/8`, `2001:db8::/32`, or one
//! address (`192.0.2.7`, meaning just that host).

use std::{fmt, net::IpAddr, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A network given as CIDR, or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange(ipnet::IpNet);

impl IpRange {
    /// Returns true when `ip` lies in the range. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`, as a dual-stack listener reports IPv4 peers) counts
    /// as the IPv4 address it carries.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        self.0.contains(&ip)
    }
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let net = if s.contains('/') {
            s.parse::<ipnet::IpNet>().map_err(|_| format!("`{s}` is not an address range such as 10.0.0.0/8"))?
        } else {
            let ip = s.parse::<IpAddr>().map_err(|_| format!("`{s}` is not an IP address or range"))?;
            ipnet::IpNet::from(ip)
        };
        Ok(IpRange(net.trunc()))
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for IpRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IpRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_single_addresses() {
        let net: IpRange = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains("10.200.1.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.0.0.1".parse().unwrap()), "an IPv4-mapped peer is its IPv4 address");
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        let host: IpRange = "2001:db8::7".parse().unwrap();
        assert!(host.contains("2001:db8::7".parse().unwrap()));
        assert!(!host.contains("2001:db8::8".parse().unwrap()));
        assert_eq!("10.1.2.3/8".parse::<IpRange>().unwrap().to_string(), "10.0.0.0/8", "host bits are dropped");
        for bad in ["", "10.0.0.0/33", "proxy.example", "10.0.0"] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
    }
}
