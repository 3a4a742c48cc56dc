//! Transport and Authorization headers from clients.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_rtsp::{auth, transport};

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    if let Ok(chosen) = transport::parse(header) {
        let _ = transport::response(chosen, Some((5000, 5001)), 1);
    }
    if let Some(presented) = auth::parse(header) {
        let _ = auth::digest_matches(&presented, "DESCRIBE", "vms", "nonce", "password");
    }
});
