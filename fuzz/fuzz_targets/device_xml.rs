//! Replies from devices: the forgiving XML reader, SOAP fault reading and
//! every ONVIF reply reader on whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_devices::{onvif, soap, xml};

fuzz_target!(|data: &[u8]| {
    let _ = xml::parse(data);
    let device = url::Url::parse("http://192.0.2.1/onvif/device_service").unwrap();
    for status in [200, 400, 401, 500] {
        if let Ok(reply) = soap::read_reply(status, data) {
            let _ = onvif::read_clock(&reply);
            let _ = onvif::read_services(&reply, &device);
            let _ = onvif::read_capabilities(&reply, &device);
            let _ = onvif::read_information(&reply);
            let profiles = onvif::read_profiles(&reply);
            let _ = onvif::pick_streams(&profiles);
            let _ = onvif::read_uri(&reply, &device);
            let _ = onvif::read_status(&reply);
            let _ = onvif::read_presets(&reply);
        }
    }
});
