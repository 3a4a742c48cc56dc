//! Sending one session's pictures as RTP, with RTCP sender reports every few
//! seconds: what every source's `play` does once it has a picture in hand.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use vms_codec::{Codec, ntp, packetize::Packetizer, rtcp};

use super::{PAYLOAD_TYPE, Sink, Start};

/// Largest RTP payload: a packet fits an Ethernet MTU with IP, UDP and RTP headers.
const MAX_PAYLOAD: usize = 1400;
/// How often a sender report maps RTP time to wall-clock time (RFC 3550 §6.4.1).
const SENDER_REPORT_EVERY: Duration = Duration::from_secs(5);

/// Packetizes pictures into a [`Sink`] and keeps the counts sender reports carry.
pub struct RtpSender {
    sink: Sink,
    packetizer: Packetizer,
    ssrc: u32,
    packets: u32,
    octets: u32,
    last_report: Option<Instant>,
}

fn unix_micros() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_micros() as u64
}

impl RtpSender {
    /// Starts sending `codec` into `sink` from the session's starting points.
    pub fn new(codec: Codec, sink: Sink, start: Start) -> Self {
        Self {
            sink,
            packetizer: Packetizer::new(codec, PAYLOAD_TYPE, start.ssrc, start.sequence, MAX_PAYLOAD),
            ssrc: start.ssrc,
            packets: 0,
            octets: 0,
            last_report: None,
        }
    }

    /// The packetizer, for a source that sends more than pictures (a
    /// simulator's deliberately damaged packets).
    pub fn packetizer(&mut self) -> &mut Packetizer {
        &mut self.packetizer
    }

    /// Packetizes one picture's NAL units at `timestamp` and sends them;
    /// returns false once the client is gone.
    pub async fn send_picture(&mut self, nals: &[&[u8]], timestamp: u32) -> bool {
        let batch = self.packetizer.packetize(nals, timestamp);
        self.send(&batch).await
    }

    /// Sends ready-made RTP packets; returns false once the client is gone.
    pub async fn send(&mut self, batch: &[Vec<u8>]) -> bool {
        self.packets = self.packets.wrapping_add(batch.len() as u32);
        let payload: usize = batch.iter().map(|p| p.len().saturating_sub(12)).sum();
        self.octets = self.octets.wrapping_add(payload as u32);
        self.sink.send(batch, false).await
    }

    /// Sends a sender report if one is due, mapping the wall clock now to
    /// `rtp_timestamp` (the picture being shown now); returns false once the
    /// client is gone.
    pub async fn report_if_due(&mut self, rtp_timestamp: u32) -> bool {
        if self.last_report.is_some_and(|t| t.elapsed() < SENDER_REPORT_EVERY) {
            return true;
        }
        self.last_report = Some(Instant::now());
        let ntp = ntp::from_unix_micros(unix_micros());
        let report = rtcp::sender_report(self.ssrc, ntp, rtp_timestamp, self.packets, self.octets);
        self.sink.send(&[report], true).await
    }
}
