//! RTCP sender reports (RFC 3550 §6.4.1), which let a receiver map RTP
//! timestamps to wall-clock time, and a check of incoming RTCP compounds.

/// Writes a sender report with no reception blocks.
pub fn sender_report(ssrc: u32, ntp: u64, rtp_timestamp: u32, packets: u32, octets: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(28);
    out.extend_from_slice(&[0x80, 200, 0, 6]);
    out.extend_from_slice(&ssrc.to_be_bytes());
    out.extend_from_slice(&ntp.to_be_bytes());
    out.extend_from_slice(&rtp_timestamp.to_be_bytes());
    out.extend_from_slice(&packets.to_be_bytes());
    out.extend_from_slice(&octets.to_be_bytes());
    out
}

/// Why bytes are not an RTCP compound packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RtcpError {
    /// A packet's length runs past the buffer, or the buffer is too short.
    #[error("rtcp packet truncated")]
    Truncated,
    /// Not version 2.
    #[error("unsupported rtcp version")]
    Version,
}

/// Checks an RTCP compound packet and returns the packet types it holds.
pub fn packet_types(compound: &[u8]) -> Result<Vec<u8>, RtcpError> {
    let mut types = Vec::new();
    let mut rest = compound;
    if rest.len() < 4 {
        return Err(RtcpError::Truncated);
    }
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(RtcpError::Truncated);
        }
        if rest[0] >> 6 != 2 {
            return Err(RtcpError::Version);
        }
        let len = (usize::from(u16::from_be_bytes([rest[2], rest[3]])) + 1) * 4;
        if rest.len() < len {
            return Err(RtcpError::Truncated);
        }
        types.push(rest[1]);
        rest = &rest[len..];
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn sender_report_layout() {
        let sr = sender_report(0x01020304, crate::ntp::from_unix_micros(1_500_000), 90_000, 10, 1000);
        assert_eq!(sr.len(), 28);
        assert_eq!(&sr[..8], &[0x80, 200, 0, 6, 1, 2, 3, 4]);
        assert_eq!(u32::from_be_bytes(sr[8..12].try_into().unwrap()) as u64, crate::ntp::UNIX_OFFSET_SECS + 1);
        assert_eq!(u32::from_be_bytes(sr[12..16].try_into().unwrap()), 1 << 31, "half a second");
        assert_eq!(packet_types(&sr), Ok(vec![200]));
    }

    #[test]
    fn refuses_broken_compounds() {
        assert_eq!(packet_types(&[0x80, 201, 0, 9]), Err(RtcpError::Truncated));
        assert_eq!(packet_types(&[0x40, 201, 0, 0]), Err(RtcpError::Version));
        assert_eq!(packet_types(&[]), Err(RtcpError::Truncated));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = packet_types(&bytes);
        }
    }
}
