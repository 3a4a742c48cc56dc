//! The `[limits]` section: what each public listener (control's HTTP(S) API,
//! the RTSP restream, WebRTC's ICE-TCP port) allows before a client has
//! authenticated. Each listener applies these numbers on its own.

use std::{net::IpAddr, time::Duration};

use serde::{Deserialize, Serialize};
use vms_base::conn_limit::ConnLimits;

use crate::ConfigError;

/// Connection limits of the public listeners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Most connections one listener holds open; further ones are closed at
    /// once. Default: 4096.
    pub max_connections: u32,
    /// Most connections one listener holds open from one client address (an
    /// IPv6 client counts per /64). Default: 64.
    pub max_connections_per_ip: u32,
    /// New connections one address may open per second, on average, before
    /// any authentication. Default: 20.
    pub new_connections_per_ip_per_second: u32,
    /// New connections one address may open at once before that rate applies. Default: 100.
    pub new_connections_burst: u32,
    /// Seconds a client has to send a request's line and headers (and to
    /// finish the TLS handshake); slower connections are closed. Default: 10.
    pub header_timeout_secs: u32,
    /// Seconds a connection may stay open with no request in flight (an RTSP
    /// session that is playing is never idle). Default: 60.
    pub idle_timeout_secs: u32,
    /// Addresses exempt from the per-address cap and rate: this machine's
    /// planes (the recorder and analytics read every stream from the
    /// restream), a reverse proxy in front of control, other nodes. They
    /// still count toward `max_connections`. Default: `["127.0.0.1", "::1"]`.
    pub exempt_addresses: Vec<IpAddr>,
    /// Request bodies control's API holds in memory at once, in MiB, all
    /// requests together (each is at most 2 MiB, read whole before it is
    /// handled); a request that finds no room waits up to 5 s, then gets 503.
    /// Default: 64.
    pub max_buffered_body_mib: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            max_connections_per_ip: 64,
            new_connections_per_ip_per_second: 20,
            new_connections_burst: 100,
            header_timeout_secs: 10,
            idle_timeout_secs: 60,
            exempt_addresses: vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from(std::net::Ipv6Addr::LOCALHOST)],
            max_buffered_body_mib: 64,
        }
    }
}

impl LimitsConfig {
    /// Returns the limits one listener enforces.
    pub fn conn_limits(&self) -> ConnLimits {
        ConnLimits {
            max_connections: self.max_connections as usize,
            max_per_address: self.max_connections_per_ip as usize,
            header_timeout: Duration::from_secs(self.header_timeout_secs.into()),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs.into()),
            new_per_second: self.new_connections_per_ip_per_second,
            burst: self.new_connections_burst,
            exempt: self.exempt_addresses.clone(),
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        for (key, value) in [
            ("limits.max_connections", self.max_connections),
            ("limits.max_connections_per_ip", self.max_connections_per_ip),
            ("limits.new_connections_per_ip_per_second", self.new_connections_per_ip_per_second),
            ("limits.new_connections_burst", self.new_connections_burst),
        ] {
            if value == 0 {
                return Err(ConfigError::invalid(key, "must be at least 1"));
            }
        }
        if self.max_connections_per_ip > self.max_connections {
            return Err(ConfigError::invalid("limits.max_connections_per_ip", "must not be above max_connections"));
        }
        if !(4..=65536).contains(&self.max_buffered_body_mib) {
            return Err(ConfigError::invalid("limits.max_buffered_body_mib", "must be between 4 and 65536"));
        }
        if !(1..=300).contains(&self.header_timeout_secs) {
            return Err(ConfigError::invalid("limits.header_timeout_secs", "must be between 1 and 300"));
        }
        if !(1..=3600).contains(&self.idle_timeout_secs) {
            return Err(ConfigError::invalid("limits.idle_timeout_secs", "must be between 1 and 3600"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_checked() {
        LimitsConfig::default().validate().unwrap();
        let zero = LimitsConfig { max_connections_per_ip: 0, ..LimitsConfig::default() };
        assert!(zero.validate().unwrap_err().to_string().contains("limits.max_connections_per_ip"));
        let above = LimitsConfig { max_connections: 10, ..LimitsConfig::default() };
        assert!(above.validate().is_err());
        let slow = LimitsConfig { header_timeout_secs: 0, ..LimitsConfig::default() };
        assert!(slow.validate().is_err());
    }
}
