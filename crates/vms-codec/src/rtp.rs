//! RTP packets (RFC 3550 §5.1).

/// The fixed RTP header, with what the CSRC list and extension told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpHeader {
    /// Marks the last packet of an access unit (for video).
    pub marker: bool,
    /// Payload type.
    pub payload_type: u8,
    /// Sequence number.
    pub sequence: u16,
    /// Media timestamp (90 kHz for video).
    pub timestamp: u32,
    /// Synchronisation source.
    pub ssrc: u32,
}

/// Why bytes are not an RTP packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RtpError {
    /// Shorter than its header claims.
    #[error("rtp packet truncated ({0} bytes)")]
    Truncated(usize),
    /// Not version 2.
    #[error("unsupported rtp version {0}")]
    Version(u8),
    /// Padding longer than the payload.
    #[error("rtp padding of {0} bytes exceeds the payload")]
    Padding(u8),
}

/// Parses a packet into its header and payload (CSRCs, extension and padding removed).
pub fn parse(packet: &[u8]) -> Result<(RtpHeader, &[u8]), RtpError> {
    if packet.len() < 12 {
        return Err(RtpError::Truncated(packet.len()));
    }
    let version = packet[0] >> 6;
    if version != 2 {
        return Err(RtpError::Version(version));
    }
    let padding = packet[0] & 0x20 != 0;
    let extension = packet[0] & 0x10 != 0;
    let csrc_count = usize::from(packet[0] & 0x0f);
    let mut offset = 12 + 4 * csrc_count;
    if extension {
        if packet.len() < offset + 4 {
            return Err(RtpError::Truncated(packet.len()));
        }
        let words = usize::from(u16::from_be_bytes([packet[offset + 2], packet[offset + 3]]));
        offset += 4 + 4 * words;
    }
    if packet.len() < offset {
        return Err(RtpError::Truncated(packet.len()));
    }
    let mut end = packet.len();
    if padding {
        let pad = packet[packet.len() - 1];
        if pad == 0 || usize::from(pad) > end - offset {
            return Err(RtpError::Padding(pad));
        }
        end -= usize::from(pad);
    }
    let header = RtpHeader {
        marker: packet[1] & 0x80 != 0,
        payload_type: packet[1] & 0x7f,
        sequence: u16::from_be_bytes([packet[2], packet[3]]),
        timestamp: u32::from_be_bytes([packet[4], packet[5], packet[6], packet[7]]),
        ssrc: u32::from_be_bytes([packet[8], packet[9], packet[10], packet[11]]),
    };
    Ok((header, &packet[offset..end]))
}

/// Writes a packet with no CSRCs, extension or padding.
pub fn write(header: &RtpHeader, payload: &[u8], out: &mut Vec<u8>) {
    out.reserve(12 + payload.len());
    out.push(0x80);
    out.push((u8::from(header.marker) << 7) | (header.payload_type & 0x7f));
    out.extend_from_slice(&header.sequence.to_be_bytes());
    out.extend_from_slice(&header.timestamp.to_be_bytes());
    out.extend_from_slice(&header.ssrc.to_be_bytes());
    out.extend_from_slice(payload);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips_and_strips_csrc_extension_and_padding() {
        let h = RtpHeader { marker: true, payload_type: 96, sequence: 65535, timestamp: 0xdead_beef, ssrc: 42 };
        let mut out = Vec::new();
        write(&h, b"payload", &mut out);
        assert_eq!(parse(&out).unwrap(), (h, &b"payload"[..]));

        // One CSRC, a one-word extension and two bytes of padding.
        let mut p = vec![0x80 | 0x20 | 0x10 | 1, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7];
        p.extend_from_slice(&[1, 2, 3, 4]);
        p.extend_from_slice(&[0xbe, 0xde, 0, 1, 9, 9, 9, 9]);
        p.extend_from_slice(b"xy");
        p.extend_from_slice(&[0, 2]);
        assert_eq!(parse(&p).unwrap().1, b"xy");
    }

    #[test]
    fn refuses_malformed_packets() {
        assert_eq!(parse(&[0x80; 5]), Err(RtpError::Truncated(5)));
        assert_eq!(parse(&[0x40; 12]), Err(RtpError::Version(1)));
        let mut padded = vec![0xa0, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 5];
        padded.push(200);
        assert_eq!(parse(&padded), Err(RtpError::Padding(200)));
        assert_eq!(parse(&[0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde, 0, 9]), Err(RtpError::Truncated(16)));
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse(&bytes);
        }
    }
}
