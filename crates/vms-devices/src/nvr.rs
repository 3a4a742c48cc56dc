//! What an NVR holds, whatever protocol it speaks: who it is and its
//! channels, each with its main and sub stream address.
//!
//! Each vendor's module reads the same [`Inventory`]: ONVIF (a video source
//! per channel, see [`crate::onvif::nvr`]), Hikvision ISAPI
//! ([`crate::hikvision`]) and Dahua RPC2 ([`crate::dahua`]). Stream
//! addresses never carry credentials: the NVR's own are used for its streams.

use url::Url;

use crate::{Credentials, DeviceError, Limits};

/// The most channels read from one NVR (the largest models have 256).
pub const MAX_CHANNELS: usize = 256;
/// The longest channel or device name kept from a device, in characters.
pub const MAX_NAME: usize = 200;
/// The highest channel number kept.
pub const MAX_NUMBER: u32 = 65_535;
/// The longest stream address kept, in bytes.
pub const MAX_URL: usize = 2048;

/// The protocol an NVR is spoken to with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// ONVIF Profile S: one video source per channel.
    Onvif,
    /// Hikvision ISAPI over HTTP Digest.
    Hikvision,
    /// Dahua RPC2 (JSON over HTTP with its own login challenge).
    Dahua,
}

impl Vendor {
    /// Its name in the API and the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Onvif => "onvif",
            Vendor::Hikvision => "hikvision",
            Vendor::Dahua => "dahua",
        }
    }

    /// The vendor named `name`, as [`Vendor::as_str`] writes it.
    pub fn parse(name: &str) -> Option<Vendor> {
        [Vendor::Onvif, Vendor::Hikvision, Vendor::Dahua].into_iter().find(|v| v.as_str() == name)
    }
}

/// Who an NVR says it is. Every field may be missing: devices leave them out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// The name its owner gave it.
    pub name: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Firmware version.
    pub firmware: Option<String>,
}

/// One channel of an NVR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Its number as the NVR's own screens show it, from 1.
    pub number: u32,
    /// Its title, if it has one.
    pub name: Option<String>,
    /// Whether a camera is connected and streaming to it, if the NVR says.
    pub online: Option<bool>,
    /// The main stream's RTSP address (no credentials in it).
    pub main: Url,
    /// The sub stream's, if the channel has one.
    pub sub: Option<Url>,
    /// The device's own name for the channel's video, where it has one (an
    /// ONVIF video source token): what says a channel is the same one when
    /// the device lists its channels in another order.
    pub source: Option<String>,
}

/// An NVR's identity and channels, sorted by number, at most [`MAX_CHANNELS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Who it is.
    pub identity: Identity,
    /// Its channels.
    pub channels: Vec<Channel>,
}

impl Inventory {
    /// Sorts the channels, drops repeated numbers (the first is kept),
    /// numbers out of range and addresses too long to store, and caps their
    /// count, so every vendor's reader ends the same way.
    pub fn settle(mut self) -> Inventory {
        self.channels.retain(|c| (1..=MAX_NUMBER).contains(&c.number) && c.main.as_str().len() <= MAX_URL);
        for channel in &mut self.channels {
            if channel.sub.as_ref().is_some_and(|s| s.as_str().len() > MAX_URL) {
                channel.sub = None;
            }
        }
        self.channels.sort_by_key(|c| c.number);
        self.channels.dedup_by_key(|c| c.number);
        self.channels.truncate(MAX_CHANNELS);
        self
    }
}

/// Parses an NVR address: `host`, `host:port` or `http://host[:port]`
/// (a path is ignored). User information and HTTPS are refused.
pub fn base_url(address: &str) -> Result<Url, DeviceError> {
    let address = address.trim();
    let text = if address.contains("://") { address.to_owned() } else { format!("http://{address}/") };
    let mut url = crate::http::plain_http_url(&text, "NVR")?;
    url.set_path("/");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Reads the identity and channels of the NVR at `address`, speaking `vendor`.
pub async fn inventory(
    vendor: Vendor,
    address: &str,
    credentials: &Credentials,
    limits: Limits,
) -> Result<Inventory, DeviceError> {
    let inventory = match vendor {
        Vendor::Onvif => {
            let url = crate::onvif::device_url(address)?;
            crate::onvif::nvr::inventory(url, credentials, limits).await?
        }
        Vendor::Hikvision => crate::hikvision::inventory(&base_url(address)?, credentials, limits).await?,
        Vendor::Dahua => crate::dahua::inventory(&base_url(address)?, credentials, limits).await?,
    };
    let inventory = inventory.settle();
    // A rebooting NVR may list nothing for a moment: not a reason to forget its channels.
    if inventory.channels.is_empty() {
        return Err(DeviceError::Missing("a channel"));
    }
    Ok(inventory)
}

/// `rtsp://host:port/` of a device reached at `base` whose RTSP server
/// listens on `port`, for building channel addresses.
pub fn rtsp_base(base: &Url, port: u16) -> Result<Url, DeviceError> {
    let host = base.host_str().ok_or(DeviceError::Missing("a host"))?;
    let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_owned() };
    Url::parse(&format!("rtsp://{host}:{port}/"))
        .map_err(|_| DeviceError::Invalid("the NVR's RTSP address is not valid".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_to_a_bare_http_base() {
        assert_eq!(base_url("10.0.0.5").unwrap().as_str(), "http://10.0.0.5/");
        assert_eq!(base_url(" 10.0.0.5:8080 ").unwrap().as_str(), "http://10.0.0.5:8080/");
        assert_eq!(base_url("http://nvr.local/ISAPI/x?y").unwrap().as_str(), "http://nvr.local/");
        assert!(base_url("https://10.0.0.5").unwrap_err().to_string().contains("HTTPS"));
        assert!(base_url("http://admin:pw@10.0.0.5").unwrap_err().to_string().contains("separately"));
        assert!(base_url("ftp://10.0.0.5").is_err());
        assert!(base_url("").is_err());
    }

    #[test]
    fn rtsp_bases_keep_the_host_and_take_the_port() {
        let base = base_url("10.0.0.5:8080").unwrap();
        assert_eq!(rtsp_base(&base, 554).unwrap().as_str(), "rtsp://10.0.0.5:554/");
        let v6 = base_url("http://[::1]:80").unwrap();
        assert_eq!(rtsp_base(&v6, 8554).unwrap().as_str(), "rtsp://[::1]:8554/");
    }

    #[test]
    fn inventories_settle_sorted_unique_and_bounded() {
        let channel = |number| Channel {
            number,
            name: None,
            online: None,
            main: Url::parse("rtsp://h/").unwrap(),
            sub: None,
            source: None,
        };
        let mut channels: Vec<Channel> = (1..=300).rev().map(channel).collect();
        channels.push(channel(5));
        channels.push(channel(0));
        channels.push(channel(70_000));
        let mut long = channel(301);
        long.main = Url::parse(&format!("rtsp://h/{}", "x".repeat(MAX_URL))).unwrap();
        channels.insert(0, long);
        let settled = Inventory { identity: Identity::default(), channels }.settle();
        assert_eq!(settled.channels.len(), MAX_CHANNELS);
        assert!(settled.channels.windows(2).all(|w| w[0].number < w[1].number));
        assert_eq!(settled.channels[0].number, 1);
    }

    #[test]
    fn vendors_round_trip_their_names() {
        for v in [Vendor::Onvif, Vendor::Hikvision, Vendor::Dahua] {
            assert_eq!(Vendor::parse(v.as_str()), Some(v));
        }
        assert_eq!(Vendor::parse("axis"), None);
    }
}
