//! The `[mqtt]` section: the broker the rules' MQTT action publishes to
//! (docs/guide/events.md, "MQTT"). No URL, no MQTT.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::ConfigError;

/// The `[mqtt]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MqttConfig {
    /// The broker: `mqtt://host:port` (1883 when left out) or
    /// `mqtts://host:port` (TLS, 8883). Default: none, no MQTT.
    pub url: Option<String>,
    /// User name given to the broker. Default: none (anonymous).
    pub username: Option<String>,
    /// File holding the password (kept out of the configuration file and
    /// the logs). Default: none.
    pub password_file: Option<PathBuf>,
    /// Certificates (PEM) trusted for an `mqtts://` broker instead of the
    /// system's. Default: none (the system's).
    pub ca_file: Option<PathBuf>,
    /// Client id given to the broker. Default: `vms-<node_id>`.
    pub client_id: Option<String>,
    /// First level of every topic: `<prefix>/<site>/<server>/<camera>/<event type>`.
    /// Default: `vms`.
    pub topic_prefix: String,
    /// Publishes Home Assistant discovery messages, so each camera's labels
    /// appear there as binary sensors and its latest snapshot as an image.
    /// Default: false.
    pub home_assistant: bool,
    /// Home Assistant's discovery prefix. Default: `homeassistant`.
    pub discovery_prefix: String,
    /// Messages held while the broker is away, 1–1,000,000; beyond it the
    /// oldest are dropped and counted. Default: 10,000.
    pub queue_max: u32,
}

impl Default for MqttConfig {
    fn default() -> Self {
        Self {
            url: None,
            username: None,
            password_file: None,
            ca_file: None,
            client_id: None,
            topic_prefix: "vms".to_owned(),
            home_assistant: false,
            discovery_prefix: "homeassistant".to_owned(),
            queue_max: 10_000,
        }
    }
}

/// Where the broker is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MqttBroker {
    /// Its host.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// Whether to speak TLS.
    pub tls: bool,
}

impl MqttConfig {
    /// The broker of `url`, or why it cannot be one.
    pub fn broker(&self) -> Result<Option<MqttBroker>, ConfigError> {
        let Some(url) = &self.url else { return Ok(None) };
        let bad = |why: &str| ConfigError::invalid("mqtt.url", why);
        let (tls, rest) = if let Some(rest) = url.strip_prefix("mqtts://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("mqtt://") {
            (false, rest)
        } else {
            return Err(bad("must start with mqtt:// or mqtts://"));
        };
        let authority = rest.trim_end_matches('/');
        if authority.contains(['/', '@', '?', '#']) {
            return Err(bad("must be mqtt[s]://host[:port] (credentials go in mqtt.username and mqtt.password_file)"));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
                (host, port.parse::<u16>().map_err(|_| bad("has a bad port"))?)
            }
            _ => (authority, if tls { 8883 } else { 1883 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || port == 0 {
            return Err(bad("needs a host and a port above 0"));
        }
        Ok(Some(MqttBroker { host: host.to_owned(), port, tls }))
    }

    /// Checks the section.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        self.broker()?;
        for (key, value) in
            [("mqtt.topic_prefix", &self.topic_prefix), ("mqtt.discovery_prefix", &self.discovery_prefix)]
        {
            if value.is_empty() || value.len() > 100 || value.contains(['+', '#', '\0']) || value.starts_with('/') {
                return Err(ConfigError::invalid(key, "must be 1 to 100 characters without `+`, `#` or a leading `/`"));
            }
        }
        if !(1..=1_000_000).contains(&self.queue_max) {
            return Err(ConfigError::invalid("mqtt.queue_max", "must be between 1 and 1000000"));
        }
        if self.client_id.as_ref().is_some_and(|id| id.is_empty() || id.len() > 100) {
            return Err(ConfigError::invalid("mqtt.client_id", "must be 1 to 100 characters"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broker(url: &str) -> Result<Option<MqttBroker>, ConfigError> {
        MqttConfig { url: Some(url.into()), ..Default::default() }.broker()
    }

    #[test]
    fn broker_urls_read_with_their_default_ports() {
        let at = |host: &str, port, tls| Some(MqttBroker { host: host.into(), port, tls });
        assert_eq!(broker("mqtt://broker.lan").unwrap(), at("broker.lan", 1883, false));
        assert_eq!(broker("mqtts://broker.lan").unwrap(), at("broker.lan", 8883, true));
        assert_eq!(broker("mqtt://10.0.0.5:1884/").unwrap(), at("10.0.0.5", 1884, false));
        assert_eq!(broker("mqtt://[::1]:1884").unwrap(), at("::1", 1884, false));
        assert_eq!(MqttConfig::default().broker().unwrap(), None);
        for bad in ["tcp://x:1", "mqtt://", "mqtt://x:0", "mqtt://x:port", "mqtt://u:p@x", "mqtt://x/topic"] {
            assert!(broker(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_refuse_wildcards() {
        assert!(MqttConfig::default().validate().is_ok());
        for bad in ["", "vms/#", "a+b", "/vms"] {
            assert!(MqttConfig { topic_prefix: bad.into(), ..Default::default() }.validate().is_err(), "{bad}");
        }
        assert!(MqttConfig { queue_max: 0, ..Default::default() }.validate().is_err());
    }
}
