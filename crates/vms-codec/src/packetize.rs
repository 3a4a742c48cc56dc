//! Access units to RTP packets: H.264 (RFC 6184) and H.265 (RFC 7798).
//!
//! A NAL unit that fits travels alone; a larger one is split into FU-A (H.264)
//! or FU (H.265) fragments. The marker bit is set on the last packet of each
//! access unit. Sequence numbers continue across calls.

use crate::{
    Codec,
    rtp::{self, RtpHeader},
};

/// H.264 FU-A payload type (RFC 6184 §5.8).
pub const H264_FU_A: u8 = 28;
/// H.264 STAP-A payload type (RFC 6184 §5.7.1).
pub const H264_STAP_A: u8 = 24;
/// H.265 fragmentation unit type (RFC 7798 §4.4.3).
pub const H265_FU: u8 = 49;
/// H.265 aggregation packet type (RFC 7798 §4.4.2).
pub const H265_AP: u8 = 48;

/// Turns access units into RTP packets for one stream.
#[derive(Debug, Clone)]
pub struct Packetizer {
    codec: Codec,
    payload_type: u8,
    ssrc: u32,
    sequence: u16,
    max_payload: usize,
}

impl Packetizer {
    /// Creates a packetizer; `max_payload` is the largest RTP payload (e.g. 1400
    /// bytes to stay under a 1500-byte MTU with IP/UDP/RTP headers).
    pub fn new(codec: Codec, payload_type: u8, ssrc: u32, first_sequence: u16, max_payload: usize) -> Self {
        assert!(max_payload >= 16, "max_payload must leave room for fragment headers");
        Self { codec, payload_type, ssrc, sequence: first_sequence, max_payload }
    }

    /// Returns the sequence number the next packet will carry.
    pub fn next_sequence(&self) -> u16 {
        self.sequence
    }

    /// Skips `count` sequence numbers (for packets sent outside the packetizer).
    pub fn skip(&mut self, count: u16) {
        self.sequence = self.sequence.wrapping_add(count);
    }

    /// Packetizes one access unit (its NAL units, without start codes) at `timestamp`.
    pub fn packetize(&mut self, nals: &[&[u8]], timestamp: u32) -> Vec<Vec<u8>> {
        let header_len = self.codec.header_len();
        let nals: Vec<&[u8]> = nals.iter().copied().filter(|n| n.len() > header_len).collect();
        let mut payloads: Vec<Vec<u8>> = Vec::new();
        for nal in &nals {
            if nal.len() <= self.max_payload {
                payloads.push(nal.to_vec());
            } else {
                self.fragment(nal, &mut payloads);
            }
        }
        let last = payloads.len().saturating_sub(1);
        payloads
            .iter()
            .enumerate()
            .map(|(i, payload)| {
                let header = RtpHeader {
                    marker: i == last,
                    payload_type: self.payload_type,
                    sequence: self.sequence,
                    timestamp,
                    ssrc: self.ssrc,
                };
                self.sequence = self.sequence.wrapping_add(1);
                let mut packet = Vec::new();
                rtp::write(&header, payload, &mut packet);
                packet
            })
            .collect()
    }

    fn fragment(&self, nal: &[u8], out: &mut Vec<Vec<u8>>) {
        match self.codec {
            Codec::H264 => {
                let indicator = (nal[0] & 0xe0) | H264_FU_A;
                let kind = nal[0] & 0x1f;
                let chunks: Vec<&[u8]> = nal[1..].chunks(self.max_payload - 2).collect();
                for (i, chunk) in chunks.iter().enumerate() {
                    let fu = (u8::from(i == 0) << 7) | (u8::from(i == chunks.len() - 1) << 6) | kind;
                    let mut p = Vec::with_capacity(2 + chunk.len());
                    p.extend_from_slice(&[indicator, fu]);
                    p.extend_from_slice(chunk);
                    out.push(p);
                }
            }
            Codec::H265 => {
                let kind = (nal[0] >> 1) & 0x3f;
                let header = [(nal[0] & 0x81) | (H265_FU << 1), nal[1]];
                let chunks: Vec<&[u8]> = nal[2..].chunks(self.max_payload - 3).collect();
                for (i, chunk) in chunks.iter().enumerate() {
                    let fu = (u8::from(i == 0) << 7) | (u8::from(i == chunks.len() - 1) << 6) | kind;
                    let mut p = Vec::with_capacity(3 + chunk.len());
                    p.extend_from_slice(&[header[0], header[1], fu]);
                    p.extend_from_slice(chunk);
                    out.push(p);
                }
            }
        }
    }
}
