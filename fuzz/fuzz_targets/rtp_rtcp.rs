//! RTP packets and RTCP compound packets from cameras and clients.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_codec::{rtcp, rtp};

fuzz_target!(|data: &[u8]| {
    if let Ok((header, payload)) = rtp::parse(data) {
        assert!(payload.len() <= data.len());
        let mut rewritten = Vec::new();
        rtp::write(&header, payload, &mut rewritten);
        assert_eq!(rtp::parse(&rewritten).map(|(h, p)| (h, p.to_vec())), Ok((header, payload.to_vec())));
    }
    let _ = rtcp::packet_types(data);
});
