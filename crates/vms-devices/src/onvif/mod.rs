//! The ONVIF client: one device, its services, its clock and its credentials.
//!
//! [`OnvifClient::connect`] reads the device's clock (`GetSystemDateAndTime`,
//! which needs no credentials) so every WS-Security token is dated on the
//! device's clock rather than ours — a device ten minutes off would otherwise
//! refuse every request — then learns where its services live
//! (`GetServices`, or `GetCapabilities` on older firmware).
//!
//! Each request carries a WS-UsernameToken with a password digest. A device
//! that wants HTTP Digest instead answers 401 with a challenge, which the HTTP
//! layer answers; one that refuses the token is asked again without it, and
//! from then on gets HTTP Digest only.

pub mod device;
pub mod events;
pub mod media;
pub mod nvr;
pub mod ptz;

use std::sync::{
    Mutex,
    atomic::{AtomicBool, Ordering},
};

use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Method;
use url::Url;

pub use self::{device::*, media::*, ptz::*};
use crate::{
    error::DeviceError,
    http::{Credentials, DeviceHttp, Limits},
    soap,
    xml::Element,
};

/// The content type of SOAP 1.2 requests.
const SOAP_CONTENT_TYPE: &str = "application/soap+xml; charset=utf-8";

/// Where a device's services answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Services {
    /// The device service (the URL connected to).
    pub device: Url,
    /// Media (ver10).
    pub media: Option<Url>,
    /// Media2 (ver20), which also reports H.265.
    pub media2: Option<Url>,
    /// PTZ.
    pub ptz: Option<Url>,
    /// Events.
    pub events: Option<Url>,
}

/// A connected ONVIF device.
pub struct OnvifClient {
    http: DeviceHttp,
    /// The same, without credentials: for what anyone may ask.
    anonymous: DeviceHttp,
    credentials: Credentials,
    /// The device's clock minus ours.
    skew: Mutex<TimeDelta>,
    /// Set once the device refused a UsernameToken but took HTTP Digest.
    digest_only: AtomicBool,
    services: Services,
}

/// Parses a device service URL or a bare address (`10.0.0.5`, `10.0.0.5:8080`)
/// into the device service URL, refusing user information in it.
pub fn device_url(address: &str) -> Result<Url, DeviceError> {
    let address = address.trim();
    let text =
        if address.contains("://") { address.to_owned() } else { format!("http://{address}/onvif/device_service") };
    crate::http::plain_http_url(&text, "device")
}

/// Points `xaddr` at the host and port the device was reached on when the
/// device reports another host: devices behind NAT or port forwarding, and
/// firmwares that say `0.0.0.0` or `localhost`, report addresses we cannot
/// reach. A service on the device's own host keeps its port.
pub fn reachable(xaddr: &str, device: &Url) -> Option<Url> {
    let mut url = Url::parse(xaddr.trim()).ok()?;
    if url.host_str() != device.host_str() {
        url.set_host(device.host_str()).ok()?;
        url.set_port(device.port()).ok()?;
    }
    Some(url)
}

impl OnvifClient {
    /// Connects to the device service at `device_url`: reads the device's
    /// clock and where its services are. Fails with
    /// [`DeviceError::AuthFailed`] only if the device wants credentials even
    /// for these and refuses the ones given.
    pub async fn connect(device_url: Url, credentials: Credentials, limits: Limits) -> Result<Self, DeviceError> {
        let mut client = OnvifClient {
            anonymous: DeviceHttp::new(limits.clone(), None),
            http: DeviceHttp::new(limits, Some(credentials.clone())),
            credentials,
            skew: Mutex::new(TimeDelta::zero()),
            digest_only: AtomicBool::new(false),
            services: Services { device: device_url.clone(), media: None, media2: None, ptz: None, events: None },
        };
        // Some devices answer the clock only to a signed request; neither is an error worth stopping for.
        let clock = match client
            .post(&client.anonymous, &device_url, &soap::envelope(None, device::GET_SYSTEM_DATE_AND_TIME))
            .await
        {
            Ok(reply) => Some(reply),
            Err(DeviceError::AuthFailed | DeviceError::Fault { .. }) => None,
            Err(e) => return Err(e),
        };
        if let Some(device_now) = clock.as_ref().and_then(device::read_clock) {
            *client.skew.lock().expect("skew lock") = device_now - Utc::now();
        }
        client.services = match client.pre_auth(&device_url, device::GET_SERVICES).await {
            Ok(reply) => device::read_services(&reply, &device_url),
            Err(DeviceError::Fault { .. } | DeviceError::Http { .. }) => {
                let reply = client.pre_auth(&device_url, device::GET_CAPABILITIES).await?;
                device::read_capabilities(&reply, &device_url)
            }
            Err(e) => return Err(e),
        };
        Ok(client)
    }

    /// An operation the standard lets anyone call: asked without credentials
    /// first (so a wrong password costs no failed login here, and says
    /// nothing about how the device wants them), and with them only if the
    /// device insists.
    async fn pre_auth(&self, service: &Url, body: &str) -> Result<Element, DeviceError> {
        match self.post(&self.anonymous, service, &soap::envelope(None, body)).await {
            Err(DeviceError::AuthFailed) => self.call(service, body).await,
            other => other,
        }
    }

    /// How long one request may take (the limits it was connected with).
    pub fn request_timeout(&self) -> std::time::Duration {
        self.http.limits().timeout
    }

    /// Where the device's services answer.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The device's clock minus ours, as read at connection.
    pub fn clock_skew(&self) -> TimeDelta {
        *self.skew.lock().expect("skew lock")
    }

    /// The device's current time by its own clock.
    pub fn device_now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_skew()
    }

    /// Sends `body` to `service` with credentials, and returns the reply's
    /// body element. A device that refuses the UsernameToken with a fault is
    /// asked once more with HTTP Digest alone; one that already refused an
    /// HTTP Digest answer is not asked again (each try is a failed login
    /// the device counts towards locking the installation out).
    pub async fn call(&self, service: &Url, body: &str) -> Result<Element, DeviceError> {
        self.call_with(service, "", body).await
    }

    /// [`OnvifClient::call`] with `extra` (already XML: WS-Addressing
    /// headers, say) in the SOAP header beside the security token.
    pub async fn call_with(&self, service: &Url, extra: &str, body: &str) -> Result<Element, DeviceError> {
        if !self.digest_only.load(Ordering::Relaxed) {
            let token =
                soap::security_header(&self.credentials.username, &self.credentials.password, self.device_now());
            let envelope = soap::envelope(Some(&format!("{token}{extra}")), body);
            let reply = self.http.send(Method::POST, service, Some(SOAP_CONTENT_TYPE), Bytes::from(envelope)).await?; // A refused Digest answer ends here.
            match soap::read_reply(reply.status, &reply.body) {
                Err(DeviceError::AuthFailed) => {}
                other => return other,
            }
        }
        let reply = self.post(&self.http, service, &soap::envelope(Some(extra), body)).await;
        if reply.is_ok() && !self.digest_only.swap(true, Ordering::Relaxed) {
            tracing::debug!(host = %crate::http::host_of(service), "device refuses UsernameToken, using HTTP Digest");
        }
        reply
    }

    /// Sends `body` with no WS-Security header (HTTP Digest still answered).
    pub async fn call_unsigned(&self, service: &Url, body: &str) -> Result<Element, DeviceError> {
        self.post(&self.http, service, &soap::envelope(None, body)).await
    }

    async fn post(&self, http: &DeviceHttp, service: &Url, envelope: &str) -> Result<Element, DeviceError> {
        let reply = http.send(Method::POST, service, Some(SOAP_CONTENT_TYPE), Bytes::from(envelope.to_owned())).await?;
        soap::read_reply(reply.status, &reply.body)
    }

    /// The device service URL.
    pub fn device_service(&self) -> &Url {
        &self.services.device
    }

    fn ptz_service(&self) -> Result<&Url, DeviceError> {
        self.services.ptz.as_ref().ok_or(DeviceError::Unsupported("PTZ"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The body element of a device's reply kept in `testdata/onvif/<name>`.
    pub(crate) fn testdata(name: &str) -> Element {
        let path = format!("{}/testdata/onvif/{name}", env!("CARGO_MANIFEST_DIR"));
        soap::read_reply(200, &std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
    }

    #[test]
    fn addresses_become_device_service_urls_without_credentials() {
        assert_eq!(device_url("10.0.0.5").unwrap().as_str(), "http://10.0.0.5/onvif/device_service");
        assert_eq!(device_url(" 10.0.0.5:8080 ").unwrap().as_str(), "http://10.0.0.5:8080/onvif/device_service");
        assert_eq!(device_url("http://h:81/onvif/dev").unwrap().as_str(), "http://h:81/onvif/dev");
        assert!(device_url("http://admin:pw@h/onvif").unwrap_err().to_string().contains("separately"));
        assert!(device_url("rtsp://h/").is_err());
        assert!(device_url("https://h/onvif/device_service").unwrap_err().to_string().contains("HTTPS"));
        assert!(device_url("http://").is_err());
    }

    #[test]
    fn service_addresses_on_other_hosts_point_back_at_the_device() {
        let device = Url::parse("http://203.0.113.9:8081/onvif/device_service").unwrap();
        let nat = reachable("http://192.168.1.64/onvif/Media", &device).unwrap();
        assert_eq!(nat.as_str(), "http://203.0.113.9:8081/onvif/Media");
        assert_eq!(
            reachable("http://0.0.0.0:80/onvif/ptz", &device).unwrap().as_str(),
            "http://203.0.113.9:8081/onvif/ptz"
        );
        let same_host = reachable("http://203.0.113.9:8999/onvif/events", &device).unwrap();
        assert_eq!(same_host.port(), Some(8999), "a service on the device's own host keeps its port");
        assert!(reachable("not a url", &device).is_none());
    }
}
