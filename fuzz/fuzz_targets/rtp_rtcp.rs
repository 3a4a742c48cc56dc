//! RTP packets and RTCP compound packets from cameras and clients, and STUN
//! from WebRTC viewers (which share one UDP port with RTP and DTLS).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_codec::{rtcp, rtp, stun};

fuzz_target!(|data: &[u8]| {
    if let Ok((header, payload)) = rtp::parse(data) {
        assert!(payload.len() <= data.len());
        let mut rewritten = Vec::new();
        rtp::write(&header, payload, &mut rewritten);
        assert_eq!(rtp::parse(&rewritten).map(|(h, p)| (h, p.to_vec())), Ok((header, payload.to_vec())));
    }
    let _ = rtcp::packet_types(data);
    if let Some(ufrag) = stun::local_ufrag(data) {
        assert!(ufrag.len() < data.len());
    }
});
