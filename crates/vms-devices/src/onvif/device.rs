//! The device service: clock, services, capabilities and identity.

use chrono::{DateTime, NaiveDate, Utc};
use url::Url;

use super::{OnvifClient, Services, reachable};
use crate::{error::DeviceError, xml::Element};

pub(crate) const GET_SYSTEM_DATE_AND_TIME: &str = "<tds:GetSystemDateAndTime/>";
pub(crate) const GET_SERVICES: &str =
    "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>";
pub(crate) const GET_CAPABILITIES: &str = "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>";
const GET_DEVICE_INFORMATION: &str = "<tds:GetDeviceInformation/>";

/// Who the device says it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceInformation {
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware version.
    pub firmware: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Hardware id.
    pub hardware_id: Option<String>,
}

/// The device's UTC time from a `GetSystemDateAndTimeResponse`; `None` when
/// absent or impossible (some devices fill only LocalDateTime, or zeros).
pub fn read_clock(reply: &Element) -> Option<DateTime<Utc>> {
    let utc = reply.find("UTCDateTime")?;
    let number = |path: &[&str]| utc.find_path(path).and_then(|e| e.text.trim().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(
        number(&["Date", "Year"])? as i32,
        number(&["Date", "Month"])?,
        number(&["Date", "Day"])?,
    )?;
    let time =
        date.and_hms_opt(number(&["Time", "Hour"])?, number(&["Time", "Minute"])?, number(&["Time", "Second"])?)?;
    Some(time.and_utc())
}

/// Service addresses from a `GetServicesResponse`, by namespace.
pub fn read_services(reply: &Element, device: &Url) -> Services {
    let mut services = Services { device: device.clone(), media: None, media2: None, ptz: None, events: None };
    for service in reply.find_all("Service") {
        let (Some(namespace), Some(xaddr)) = (service.text_of("Namespace"), service.text_of("XAddr")) else { continue };
        let Some(url) = reachable(xaddr, device) else { continue };
        let slot = match namespace.trim_end_matches('/') {
            "http://www.onvif.org/ver10/media/wsdl" => &mut services.media,
            "http://www.onvif.org/ver20/media/wsdl" => &mut services.media2,
            "http://www.onvif.org/ver20/ptz/wsdl" => &mut services.ptz,
            "http://www.onvif.org/ver10/events/wsdl" => &mut services.events,
            _ => continue,
        };
        slot.get_or_insert(url);
    }
    services
}

/// Service addresses from a `GetCapabilitiesResponse` (older firmware).
pub fn read_capabilities(reply: &Element, device: &Url) -> Services {
    let xaddr = |name: &str| {
        reply
            .find("Capabilities")
            .and_then(|c| c.child(name))
            .and_then(|c| c.text_of("XAddr"))
            .and_then(|x| reachable(x, device))
    };
    // Media2 hides in the extension's own element on the firmwares that report it here.
    Services { device: device.clone(), media: xaddr("Media"), media2: None, ptz: xaddr("PTZ"), events: xaddr("Events") }
}

/// Identity from a `GetDeviceInformationResponse`.
pub fn read_information(reply: &Element) -> DeviceInformation {
    let field = |name: &str| reply.text_of(name).map(str::to_owned);
    DeviceInformation {
        manufacturer: field("Manufacturer"),
        model: field("Model"),
        firmware: field("FirmwareVersion"),
        serial: field("SerialNumber"),
        hardware_id: field("HardwareId"),
    }
}

impl OnvifClient {
    /// `GetDeviceInformation`: needs valid credentials on every conforming
    /// device, so onboarding uses it to check them.
    pub async fn device_information(&self) -> Result<DeviceInformation, DeviceError> {
        let reply = self.call(self.device_service(), GET_DEVICE_INFORMATION).await?;
        Ok(read_information(&reply))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onvif::tests::testdata;

    #[test]
    fn reads_the_clock_and_ignores_an_impossible_one() {
        let reply = testdata("system_date_and_time.xml");
        assert_eq!(read_clock(&reply).unwrap().to_rfc3339(), "2026-12-03T09:41:07+00:00");
        let zeros = crate::xml::parse(b"<R><UTCDateTime><Date><Year>0</Year><Month>0</Month><Day>0</Day></Date><Time><Hour>0</Hour><Minute>0</Minute><Second>0</Second></Time></UTCDateTime></R>").unwrap();
        assert_eq!(read_clock(&zeros), None);
        assert_eq!(read_clock(&crate::xml::parse(b"<R/>").unwrap()), None);
    }

    #[test]
    fn services_by_namespace_with_unreachable_hosts_rewritten() {
        let device = Url::parse("http://10.1.1.7/onvif/device_service").unwrap();
        let services = read_services(&testdata("services.xml"), &device);
        assert_eq!(services.media.unwrap().as_str(), "http://10.1.1.7/onvif/Media");
        assert_eq!(services.media2.unwrap().as_str(), "http://10.1.1.7/onvif/Media2");
        assert_eq!(services.ptz.unwrap().as_str(), "http://10.1.1.7/onvif/PTZ");
        assert_eq!(services.events, None, "an empty XAddr is no service");
    }

    #[test]
    fn capabilities_for_older_firmware() {
        let device = Url::parse("http://10.1.1.8:8000/onvif/device_service").unwrap();
        let services = read_capabilities(&testdata("capabilities_hikvision.xml"), &device);
        assert_eq!(services.media.unwrap().as_str(), "http://10.1.1.8:8000/onvif/Media");
        assert_eq!(services.events.unwrap().as_str(), "http://10.1.1.8:8000/onvif/Events");
        assert_eq!(services.ptz, None);
    }

    #[test]
    fn identity_with_blank_template_fields() {
        let info = read_information(&testdata("device_information_blank_fields.xml"));
        assert_eq!(info.manufacturer.as_deref(), Some("IPC"));
        assert_eq!(info.model, None, "an empty template field is missing, not an empty string");
        assert_eq!(info.serial.as_deref(), Some("E4F14C2B9A"));
    }
}
