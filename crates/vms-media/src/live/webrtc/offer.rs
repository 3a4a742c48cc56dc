//! A viewer's WHEP offer up to the answer: the SDP body parsed, a fresh
//! ICE-lite peer configured as every viewer's is, and the offer accepted.
//! No socket and no task: [`super::WebRtc::open`] hands the peer to a
//! session on the shared sockets, and the `whep_offer` fuzz target runs the
//! same code on arbitrary bodies.

use std::{net::SocketAddr, sync::Arc, time::Instant};

use str0m::{Candidate, Rtc, change::SdpOffer, crypto::CryptoProvider, net::TcpType};

/// RTP packets kept per viewer for retransmission and for a keyframe burst.
const SEND_BUFFER: usize = 4000;

/// The RTP header extension id offered for `abs-capture-time` (free in str0m's standard map).
const ABS_CAPTURE_TIME_ID: u8 = 5;

/// Why an offer got no answer.
#[derive(Debug, thiserror::Error)]
pub enum WhepError {
    /// The offer is not SDP we can answer: 400.
    #[error("{0}")]
    BadOffer(String),
    /// The stream cannot be sent over WebRTC (H.265): 415.
    #[error("{0}")]
    Unsupported(String),
    /// The stream has no picture yet: 503.
    #[error("{0}")]
    NotReady(String),
}

/// Parses a viewer's SDP offer. The parser's own message (which names its
/// internals, down to heap addresses) goes to the debug log, not to the viewer.
pub fn parse_offer(offer: &str) -> Result<SdpOffer, WhepError> {
    SdpOffer::from_sdp_string(offer).map_err(|e| {
        tracing::debug!(error = %e, "malformed SDP offer");
        WhepError::BadOffer("malformed SDP offer".into())
    })
}

/// Answers offers as this plane: its host candidates (UDP and passive TCP on
/// each address) and its DTLS crypto.
pub struct Answerer {
    candidates: Vec<Candidate>,
    crypto: Arc<CryptoProvider>,
}

impl Answerer {
    /// Makes the host candidates of `addresses`; fails on an address no
    /// candidate can be made of.
    pub fn new(addresses: &[SocketAddr]) -> anyhow::Result<Self> {
        let mut candidates = Vec::new();
        for addr in addresses {
            candidates.push(Candidate::host(*addr, "udp")?);
            candidates.push(Candidate::builder().tcp().host(*addr).tcptype(TcpType::Passive).build()?);
        }
        Ok(Self { candidates, crypto: Arc::new(str0m::crypto::from_feature_flags()) })
    }

    /// Parses `offer` and lets a new H.264-only, ICE-lite peer accept it;
    /// returns the peer and the SDP answer. Whatever the offer, the viewer
    /// sees one of two fixed messages, never the parser's.
    pub fn answer(&self, offer: &str) -> Result<(Rtc, String), WhepError> {
        let offer = parse_offer(offer)?;
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .set_crypto_provider(self.crypto.clone())
            .clear_codecs()
            .enable_h264(true)
            .set_send_buffer_video(SEND_BUFFER)
            // When each picture reached the media plane, for viewers that measure latency.
            .set_extension(ABS_CAPTURE_TIME_ID, str0m::rtp::Extension::AbsoluteCaptureTime)
            .build(Instant::now());
        for candidate in &self.candidates {
            let _ = rtc.add_local_candidate(candidate.clone());
        }
        let answer = rtc.sdp_api().accept_offer(offer).map_err(|e| {
            tracing::debug!(error = %e, "SDP offer cannot be answered");
            WhepError::BadOffer(
                "the SDP offer cannot be answered (it needs H.264 video, ICE credentials and a DTLS fingerprint)"
                    .into(),
            )
        })?;
        Ok((rtc, answer.to_sdp_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a browser offers for receive-only H.264 (also the seed the
    /// `whep_offer` fuzz target splices its input into).
    const OFFER: &str = include_str!("../../../testdata/whep_offer.sdp");

    fn answerer() -> Answerer {
        Answerer::new(&["192.0.2.1:8189".parse().unwrap()]).unwrap()
    }

    #[test]
    fn a_browser_offer_gets_an_h264_answer_with_our_candidates() {
        let (_, answer) = answerer().answer(OFFER).unwrap();
        assert!(answer.starts_with("v=0"), "{answer}");
        assert!(answer.contains("H264/90000") && answer.contains("192.0.2.1"), "{answer}");
        assert!(answer.contains("a=ice-lite"), "{answer}");
    }

    #[test]
    fn an_offer_without_ice_credentials_is_refused_with_a_fixed_message() {
        let offer: String = OFFER.lines().filter(|l| !l.starts_with("a=ice-")).map(|l| format!("{l}\n")).collect();
        match answerer().answer(&offer) {
            Err(WhepError::BadOffer(m)) => assert!(m.starts_with("the SDP offer cannot be answered"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
