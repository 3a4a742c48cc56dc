//! The Dahua event stream, fed in chunks whose size the first byte picks:
//! never a panic, and every buffer within its bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_devices::dahua::event_stream::{EventStream, read_events};

fuzz_target!(|data: &[u8]| {
    let Some((&size, rest)) = data.split_first() else { return };
    let _ = read_events(&String::from_utf8_lossy(rest));
    let mut stream = EventStream::new(None);
    for chunk in rest.chunks(usize::from(size).max(1)) {
        if stream.push(chunk).is_err() {
            break;
        }
    }
});
