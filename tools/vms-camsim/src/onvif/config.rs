//! What a simulated ONVIF device is and how it misbehaves.
//!
//! Devices come from the command line (`--onvif lobby?ptz&skew=600`):
//!
//! | option | effect |
//! |---|---|
//! | `user`, `password` | its credentials (default `admin` / `camsim`) |
//! | `auth=digest` | refuses WS-UsernameToken, wants HTTP Digest (older firmwares) |
//! | `ptz` | has a PTZ head (pan, tilt, zoom, presets, home) |
//! | `skew=SECS` | its clock is SECS ahead (negative: behind); tokens are checked against it |
//! | `slow_ms=MS` | every answer waits MS milliseconds |
//! | `malformed` | GetProfiles answers with broken XML |
//! | `fault_200` | faults come with HTTP 200 instead of 400/500 |
//! | `xaddr_unspecified` | discovery replies give `http://0.0.0.0/...` as the service address |
//! | `main=PATH`, `sub=PATH` | the RTSP paths of its two profiles (default `h264_720p`, `h264_360p`) |
//! | `manufacturer=M`, `model=M` | its identity (values percent-decoded: `model=PTZ%20dome`) |
//! | `channels=N` | an NVR of N channels (1–256): a video source and two profiles per channel, streaming `/nvr/chK/main` and `/nvr/chK/sub` |

use std::time::Duration;

use anyhow::{Context, bail};

/// One simulated ONVIF device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnvifConfig {
    /// Its name (also the `name` scope and the endpoint reference's seed).
    pub name: String,
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Refuses UsernameToken and wants HTTP Digest.
    pub digest_only: bool,
    /// Has a PTZ head.
    pub ptz: bool,
    /// Its clock's offset from ours, in seconds.
    pub skew_secs: i64,
    /// Delay before every answer.
    pub slow: Option<Duration>,
    /// GetProfiles answers broken XML.
    pub malformed: bool,
    /// Faults come with HTTP 200.
    pub fault_200: bool,
    /// Discovery gives an unspecified host.
    pub xaddr_unspecified: bool,
    /// RTSP path of the main profile, on the simulator's RTSP server.
    pub main_path: String,
    /// RTSP path of the sub profile.
    pub sub_path: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Channels of an NVR; 0 for a camera (one source, the paths above).
    pub channels: u32,
}

impl OnvifConfig {
    /// A well-behaved device named `name`.
    pub fn new(name: &str) -> Self {
        OnvifConfig {
            name: name.to_owned(),
            username: "admin".into(),
            password: "camsim".into(),
            digest_only: false,
            ptz: false,
            skew_secs: 0,
            slow: None,
            malformed: false,
            fault_200: false,
            xaddr_unspecified: false,
            main_path: "h264_720p".into(),
            sub_path: "h264_360p".into(),
            manufacturer: "Techno Support".into(),
            model: "CamSim ONVIF".into(),
            channels: 0,
        }
    }

    /// Parses `name[?option&option=value...]` (see the module's table).
    pub fn parse(spec: &str) -> anyhow::Result<Self> {
        let (name, query) = spec.split_once('?').unwrap_or((spec, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            bail!("an ONVIF device name is letters, digits, `_` and `-`: `{name}`");
        }
        let mut config = OnvifConfig::new(name);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(raw).decode_utf8().context("option values are UTF-8")?;
            let value = value.as_ref();
            let number = || value.parse::<i64>().with_context(|| format!("`{key}` takes a number"));
            match key {
                "user" => config.username = value.to_owned(),
                "password" => config.password = value.to_owned(),
                "auth" if value == "digest" => config.digest_only = true,
                "ptz" => config.ptz = true,
                "skew" => config.skew_secs = number()?,
                "slow_ms" => config.slow = Some(Duration::from_millis(number()?.max(0) as u64)),
                "malformed" => config.malformed = true,
                "fault_200" => config.fault_200 = true,
                "xaddr_unspecified" => config.xaddr_unspecified = true,
                "main" => config.main_path = value.to_owned(),
                "sub" => config.sub_path = value.to_owned(),
                "manufacturer" => config.manufacturer = value.to_owned(),
                "model" => config.model = value.to_owned(),
                "channels" => match number()? {
                    n @ 1..=256 => config.channels = n as u32,
                    _ => bail!("`channels` is 1 to 256"),
                },
                _ => bail!("unknown ONVIF device option `{pair}`"),
            }
        }
        Ok(config)
    }

    /// The device's endpoint reference: stable per name.
    pub fn endpoint(&self) -> String {
        format!("urn:uuid:{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, self.name.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let c =
            OnvifConfig::parse("lobby?ptz&skew=-600&auth=digest&user=root&password=p&slow_ms=250&fault_200").unwrap();
        assert_eq!(c.name, "lobby");
        assert!(c.ptz && c.digest_only && c.fault_200);
        assert_eq!(c.skew_secs, -600);
        assert_eq!(c.slow, Some(Duration::from_millis(250)));
        assert_eq!((c.username.as_str(), c.password.as_str()), ("root", "p"));
        assert_eq!(OnvifConfig::parse("x?model=PTZ%20dome").unwrap().model, "PTZ dome");
        assert_eq!(OnvifConfig::parse("x?channels=16").unwrap().channels, 16);
        assert!(OnvifConfig::parse("x?channels=0").is_err());
        assert_eq!(OnvifConfig::parse("x").unwrap(), OnvifConfig::new("x"));
        assert!(OnvifConfig::parse("x?bogus").is_err());
        assert!(OnvifConfig::parse("x?skew=soon").is_err());
        assert!(OnvifConfig::parse("a/b").is_err());
        assert_ne!(OnvifConfig::new("a").endpoint(), OnvifConfig::new("b").endpoint());
    }
}
