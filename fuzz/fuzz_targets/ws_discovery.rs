//! WS-Discovery datagrams from anyone on the network, read into devices.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_devices::discovery::{FoundDevice, read_probe_matches};

fuzz_target!(|data: &[u8]| {
    let responder = std::net::IpAddr::from([192, 0, 2, 7]);
    if let Ok(matches) = read_probe_matches(data, responder) {
        for m in matches {
            let _ = FoundDevice::from_match(m, responder);
        }
    }
});
