//! RTP packets back into access units: H.264 (RFC 6184: single NAL, STAP-A,
//! FU-A) and H.265 (RFC 7798: single NAL, AP, FU).
//!
//! A lost packet (a gap in sequence numbers) spoils the access unit it falls
//! in: that unit is dropped rather than passed on half-built, and the next one
//! starts clean. An access unit ends at the marker bit, or when the timestamp
//! changes (for senders that forget the marker).

use crate::{
    Codec,
    packetize::{H264_FU_A, H264_STAP_A, H265_AP, H265_FU},
    rtp::RtpHeader,
};

/// One picture's NAL units, without start codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessUnit {
    /// RTP timestamp.
    pub timestamp: u32,
    /// The NAL units, in order.
    pub nals: Vec<Vec<u8>>,
}

/// Why a payload could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DepacketizeError {
    /// The payload is malformed for its codec.
    #[error("malformed {codec:?} payload in packet {sequence}: {reason}")]
    Malformed {
        /// Codec of the stream.
        codec: Codec,
        /// Sequence number of the packet.
        sequence: u16,
        /// What is wrong.
        reason: &'static str,
    },
    /// Packets were lost; the access unit they belonged to is dropped.
    #[error("{lost} packets lost before packet {sequence}; access unit dropped")]
    Lost {
        /// Sequence number of the packet after the gap.
        sequence: u16,
        /// How many are missing.
        lost: u16,
    },
}

/// Reassembles access units from one stream's RTP packets.
#[derive(Debug, Clone)]
pub struct Depacketizer {
    codec: Codec,
    last_sequence: Option<u16>,
    timestamp: Option<u32>,
    nals: Vec<Vec<u8>>,
    fragment: Option<Vec<u8>>,
    spoiled: bool,
}

impl Depacketizer {
    /// Creates a depacketizer for `codec`.
    pub fn new(codec: Codec) -> Self {
        Self { codec, last_sequence: None, timestamp: None, nals: Vec::new(), fragment: None, spoiled: false }
    }

    /// Feeds one packet; returns an access unit when one is complete.
    ///
    /// An error reports a malformed or lost packet; the depacketizer stays
    /// usable and resumes with the next clean access unit.
    pub fn push(&mut self, header: &RtpHeader, payload: &[u8]) -> Result<Option<AccessUnit>, DepacketizeError> {
        let mut finished = None;
        if self.timestamp.is_some_and(|t| t != header.timestamp) {
            finished = self.finish();
        }
        let gap = self.last_sequence.map(|last| header.sequence.wrapping_sub(last).wrapping_sub(1)).unwrap_or(0);
        self.last_sequence = Some(header.sequence);
        self.timestamp = Some(header.timestamp);
        if gap != 0 && gap < 0x8000 {
            self.fragment = None;
            self.spoiled = true;
            if header.marker {
                self.reset();
            }
            return Err(DepacketizeError::Lost { sequence: header.sequence, lost: gap });
        }
        if let Err(reason) = self.read(payload) {
            self.fragment = None;
            self.spoiled = true;
            if header.marker {
                self.reset();
            }
            return Err(DepacketizeError::Malformed { codec: self.codec, sequence: header.sequence, reason });
        }
        if header.marker {
            finished = self.finish().or(finished);
        }
        Ok(finished)
    }

    fn reset(&mut self) {
        self.nals.clear();
        self.fragment = None;
        self.spoiled = false;
        self.timestamp = None;
    }

    fn finish(&mut self) -> Option<AccessUnit> {
        let timestamp = self.timestamp?;
        let nals = std::mem::take(&mut self.nals);
        let spoiled = std::mem::replace(&mut self.spoiled, false);
        self.fragment = None;
        self.timestamp = None;
        (!spoiled && !nals.is_empty()).then_some(AccessUnit { timestamp, nals })
    }

    fn read(&mut self, payload: &[u8]) -> Result<(), &'static str> {
        let header_len = self.codec.header_len();
        if payload.len() < header_len {
            return Err("payload shorter than its header");
        }
        let kind = match self.codec {
            Codec::H264 => payload[0] & 0x1f,
            Codec::H265 => (payload[0] >> 1) & 0x3f,
        };
        match (self.codec, kind) {
            (Codec::H264, H264_STAP_A) | (Codec::H265, H265_AP) => self.aggregate(&payload[header_len..]),
            (Codec::H264, H264_FU_A) | (Codec::H265, H265_FU) => self.fragment_unit(payload),
            (Codec::H264, 1..=23) | (Codec::H265, 0..=47) => {
                if self.fragment.is_some() {
                    return Err("unfinished fragment before a whole NAL unit");
                }
                self.nals.push(payload.to_vec());
                Ok(())
            }
            _ => Err("unsupported packetization"),
        }
    }

    fn aggregate(&mut self, mut rest: &[u8]) -> Result<(), &'static str> {
        if rest.is_empty() {
            return Err("empty aggregation packet");
        }
        while !rest.is_empty() {
            if rest.len() < 2 {
                return Err("truncated aggregation size");
            }
            let size = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            if size == 0 || rest.len() < 2 + size {
                return Err("aggregated unit overruns the packet");
            }
            self.nals.push(rest[2..2 + size].to_vec());
            rest = &rest[2 + size..];
        }
        Ok(())
    }

    fn fragment_unit(&mut self, payload: &[u8]) -> Result<(), &'static str> {
        let fu_at = self.codec.header_len();
        let Some(&fu) = payload.get(fu_at) else { return Err("fragment without its header") };
        let (start, end, kind) = (fu & 0x80 != 0, fu & 0x40 != 0, fu & 0x3f);
        let data = &payload[fu_at + 1..];
        if start {
            if self.fragment.is_some() {
                return Err("fragment started twice");
            }
            let mut nal = match self.codec {
                Codec::H264 => vec![(payload[0] & 0xe0) | (kind & 0x1f)],
                Codec::H265 => vec![(payload[0] & 0x81) | (kind << 1), payload[1]],
            };
            nal.extend_from_slice(data);
            self.fragment = Some(nal);
        } else {
            let Some(nal) = self.fragment.as_mut() else { return Err("fragment continues without a start") };
            nal.extend_from_slice(data);
        }
        if end {
            let nal = self.fragment.take().expect("a fragment is open here");
            self.nals.push(nal);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{packetize::Packetizer, rtp};

    fn round_trip(codec: Codec, nals: &[Vec<u8>], max_payload: usize) -> Vec<Vec<u8>> {
        let mut p = Packetizer::new(codec, 96, 7, 65530, max_payload);
        let mut d = Depacketizer::new(codec);
        let refs: Vec<&[u8]> = nals.iter().map(Vec::as_slice).collect();
        let packets = p.packetize(&refs, 9000);
        let mut out = None;
        for packet in &packets {
            let (h, payload) = rtp::parse(packet).unwrap();
            if let Some(au) = d.push(&h, payload).unwrap() {
                assert_eq!(au.timestamp, 9000);
                out = Some(au.nals);
            }
        }
        out.expect("the marker closes the access unit")
    }

    #[test]
    fn large_units_fragment_and_reassemble_for_both_codecs() {
        let h264 = vec![vec![0x67, 1, 2, 3], vec![0x68, 4], [vec![0x65], vec![0xab; 5000]].concat()];
        assert_eq!(round_trip(Codec::H264, &h264, 1400), h264);
        let h265 = vec![vec![32 << 1, 1, 9], vec![33 << 1, 1, 8], [vec![19 << 1, 1], vec![0xcd; 4000]].concat()];
        assert_eq!(round_trip(Codec::H265, &h265, 1200), h265);
    }

    #[test]
    fn aggregation_packets_are_unpacked() {
        let mut d = Depacketizer::new(Codec::H264);
        let stap = [H264_STAP_A, 0, 2, 0x67, 1, 0, 1, 0x68];
        let h = RtpHeader { marker: true, payload_type: 96, sequence: 1, timestamp: 5, ssrc: 1 };
        assert_eq!(d.push(&h, &stap).unwrap().unwrap().nals, vec![vec![0x67, 1], vec![0x68]]);
        let bad = [H264_STAP_A, 0, 9, 0x67];
        assert!(d.push(&RtpHeader { sequence: 2, timestamp: 6, ..h }, &bad).is_err());
    }

    #[test]
    fn a_lost_fragment_drops_only_its_access_unit() {
        let mut p = Packetizer::new(Codec::H264, 96, 7, 0, 100);
        let mut d = Depacketizer::new(Codec::H264);
        let big = [vec![0x65], vec![1; 500]].concat();
        let first = p.packetize(&[&big], 3000);
        let second = p.packetize(&[&[0x41, 2, 2][..]], 6000);
        let mut results = Vec::new();
        for (i, packet) in first.iter().chain(second.iter()).enumerate() {
            if i == 2 {
                continue; // lost in transit
            }
            let (h, payload) = rtp::parse(packet).unwrap();
            results.push(d.push(&h, payload));
        }
        assert!(results.iter().any(|r| matches!(r, Err(DepacketizeError::Lost { lost: 1, .. }))));
        let units: Vec<AccessUnit> = results.into_iter().filter_map(|r| r.ok().flatten()).collect();
        assert_eq!(units.len(), 1, "only the intact second unit comes out");
        assert_eq!(units[0].timestamp, 6000);
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_payloads(
            payloads in proptest::collection::vec((any::<bool>(), proptest::collection::vec(any::<u8>(), 0..40)), 0..20),
            h265 in any::<bool>(),
        ) {
            let codec = if h265 { Codec::H265 } else { Codec::H264 };
            let mut d = Depacketizer::new(codec);
            for (i, (marker, payload)) in payloads.iter().enumerate() {
                let h = RtpHeader { marker: *marker, payload_type: 96, sequence: i as u16, timestamp: (i / 3) as u32, ssrc: 1 };
                let _ = d.push(&h, payload);
            }
        }

        #[test]
        fn packetize_then_depacketize_is_identity(
            bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..3000), 1..6),
            max in 16usize..1500,
        ) {
            let nals: Vec<Vec<u8>> = bodies.into_iter().map(|b| [vec![0x41], b].concat()).collect();
            prop_assert_eq!(round_trip(Codec::H264, &nals, max), nals.clone());
            let nals: Vec<Vec<u8>> = nals.into_iter().map(|n| [vec![1 << 1, 1], n[1..].to_vec()].concat()).collect();
            prop_assert_eq!(round_trip(Codec::H265, &nals, max), nals);
        }
    }
}
