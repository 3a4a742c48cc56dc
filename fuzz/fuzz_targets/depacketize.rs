//! A camera's RTP stream back into access units: the first byte picks the
//! codec, then each packet is a 2-byte length and that many bytes. Whatever
//! arrives, the depacketizer never panics and never yields an empty unit; the
//! Annex B and length-prefixed splitters take the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_codec::{Codec, depacketize::Depacketizer, nal, rtp};

fuzz_target!(|data: &[u8]| {
    let Some((&first, mut rest)) = data.split_first() else { return };
    let codec = if first & 1 == 0 { Codec::H264 } else { Codec::H265 };
    let mut depacketizer = Depacketizer::new(codec);
    while rest.len() >= 2 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let (packet, tail) = rest[2..].split_at(len);
        rest = tail;
        let Ok((header, payload)) = rtp::parse(packet) else { continue };
        if let Ok(Some(unit)) = depacketizer.push(&header, payload) {
            assert!(!unit.nals.is_empty(), "an access unit has NAL units");
            let nals: Vec<&[u8]> = unit.nals.iter().map(|n| &n[..]).collect();
            let _ = nal::access_units(codec, &nals);
        }
    }
    let _ = nal::split_annex_b(data);
    // Ingested pictures, as the restream and snapshots split them.
    if let Some(units) = nal::split_length_prefixed(data) {
        assert_eq!(nal::split_length_prefixed(&nal::join_length_prefixed(units.iter().copied())), Some(units));
    }
});
