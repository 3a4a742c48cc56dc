//! The ISAPI alert stream, fed in chunks whose size the first byte picks:
//! never a panic, and every buffer within its bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_devices::hikvision::alert_stream::{AlertStream, read_alert};

fuzz_target!(|data: &[u8]| {
    let Some((&size, rest)) = data.split_first() else { return };
    let _ = read_alert(rest);
    let mut stream = AlertStream::new("multipart/mixed; boundary=boundary").expect("the boundary is named");
    for chunk in rest.chunks(usize::from(size).max(1)) {
        if stream.push(chunk).is_err() {
            break;
        }
    }
});
