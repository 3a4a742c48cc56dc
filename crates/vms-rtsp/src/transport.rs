//! The `Transport` header (RFC 2326 §12.39): how a client wants RTP delivered.

/// A transport the server agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// RTP and RTCP interleaved on the RTSP connection, on these channels.
    Interleaved {
        /// Channel for RTP.
        rtp: u8,
        /// Channel for RTCP.
        rtcp: u8,
    },
    /// RTP and RTCP over UDP to these client ports.
    Udp {
        /// Client RTP port.
        rtp: u16,
        /// Client RTCP port.
        rtcp: u16,
    },
}

/// Why no offered transport can be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The header is missing or names nothing usable (answered with 461).
    #[error("no supported transport offered (RTP/AVP/TCP interleaved or RTP/AVP unicast UDP)")]
    Unsupported,
    /// A parameter is malformed.
    #[error("malformed transport parameter `{0}`")]
    Malformed(String),
}

fn pair<T: std::str::FromStr + Copy + TryFrom<u32>>(value: &str) -> Result<(T, T), TransportError>
where
    u32: From<T>,
{
    let bad = || TransportError::Malformed(value.to_owned());
    let (a, b) = match value.split_once('-') {
        Some((a, b)) => (a.parse::<T>().map_err(|_| bad())?, b.parse::<T>().map_err(|_| bad())?),
        None => {
            let a = value.parse::<T>().map_err(|_| bad())?;
            let next = T::try_from(u32::from(a) + 1).map_err(|_| bad())?;
            (a, next)
        }
    };
    Ok((a, b))
}

/// Picks the first usable transport of a `Transport` header (alternatives are comma-separated).
pub fn parse(header: &str) -> Result<Transport, TransportError> {
    for offer in header.split(',') {
        let mut params = offer.split(';').map(str::trim);
        let profile = params.next().unwrap_or_default().to_ascii_uppercase();
        let tcp = match profile.as_str() {
            "RTP/AVP/TCP" => true,
            "RTP/AVP" | "RTP/AVP/UDP" => false,
            _ => continue,
        };
        let mut multicast = false;
        let mut interleaved = None;
        let mut client_port = None;
        for p in params {
            let (key, value) = p.split_once('=').unwrap_or((p, ""));
            match key.to_ascii_lowercase().as_str() {
                "multicast" => multicast = true,
                "interleaved" => interleaved = Some(pair::<u8>(value)?),
                "client_port" => client_port = Some(pair::<u16>(value)?),
                _ => {}
            }
        }
        if multicast {
            continue;
        }
        match (tcp, interleaved, client_port) {
            (true, Some((rtp, rtcp)), _) => return Ok(Transport::Interleaved { rtp, rtcp }),
            (true, None, _) => return Ok(Transport::Interleaved { rtp: 0, rtcp: 1 }),
            (false, _, Some((rtp, rtcp))) if rtp != 0 => return Ok(Transport::Udp { rtp, rtcp }),
            _ => continue,
        }
    }
    Err(TransportError::Unsupported)
}

/// Writes the `Transport` header of the SETUP response.
pub fn response(transport: Transport, server_ports: Option<(u16, u16)>, ssrc: u32) -> String {
    match transport {
        Transport::Interleaved { rtp, rtcp } => format!("RTP/AVP/TCP;unicast;interleaved={rtp}-{rtcp};ssrc={ssrc:08X}"),
        Transport::Udp { rtp, rtcp } => {
            let (s_rtp, s_rtcp) = server_ports.unwrap_or((0, 0));
            format!("RTP/AVP;unicast;client_port={rtp}-{rtcp};server_port={s_rtp}-{s_rtcp};ssrc={ssrc:08X}")
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn reads_tcp_and_udp_offers() {
        assert_eq!(parse("RTP/AVP/TCP;unicast;interleaved=2-3"), Ok(Transport::Interleaved { rtp: 2, rtcp: 3 }));
        assert_eq!(parse("RTP/AVP/TCP;unicast"), Ok(Transport::Interleaved { rtp: 0, rtcp: 1 }));
        assert_eq!(parse("RTP/AVP;unicast;client_port=5000-5001"), Ok(Transport::Udp { rtp: 5000, rtcp: 5001 }));
        assert_eq!(parse("RTP/AVP;unicast;client_port=6000"), Ok(Transport::Udp { rtp: 6000, rtcp: 6001 }));
        // ffmpeg offers UDP first and TCP as a fallback in one header.
        assert_eq!(
            parse("RTP/AVP;multicast;port=1-2,RTP/AVP/TCP;interleaved=0-1"),
            Ok(Transport::Interleaved { rtp: 0, rtcp: 1 })
        );
    }

    #[test]
    fn refuses_what_it_cannot_serve() {
        assert_eq!(parse("RAW/RAW/UDP;unicast"), Err(TransportError::Unsupported));
        assert_eq!(parse("RTP/AVP;multicast"), Err(TransportError::Unsupported));
        assert_eq!(parse(""), Err(TransportError::Unsupported));
        assert!(matches!(parse("RTP/AVP/TCP;interleaved=300-301"), Err(TransportError::Malformed(_))));
        assert!(matches!(parse("RTP/AVP;client_port=65535"), Err(TransportError::Malformed(_))));
    }

    #[test]
    fn answers_with_the_chosen_transport() {
        assert_eq!(
            response(Transport::Interleaved { rtp: 0, rtcp: 1 }, None, 0xabc),
            "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=00000ABC"
        );
        assert_eq!(
            response(Transport::Udp { rtp: 5000, rtcp: 5001 }, Some((7000, 7001)), 1),
            "RTP/AVP;unicast;client_port=5000-5001;server_port=7000-7001;ssrc=00000001"
        );
    }

    proptest! {
        #[test]
        fn never_panics(header in ".{0,120}") {
            let _ = parse(&header);
        }
    }
}
