//! Where a session's packets go, and the numbers its RTP starts from.

use std::{net::SocketAddr, sync::Arc};

use rand::{Rng, RngCore};
use tokio::{net::UdpSocket, sync::mpsc};

/// Where packets go.
#[derive(Clone)]
pub enum Sink {
    /// Interleaved on the RTSP connection (§10.12).
    Tcp {
        /// The connection's writer.
        writer: mpsc::Sender<Vec<u8>>,
        /// RTP channel.
        rtp: u8,
        /// RTCP channel.
        rtcp: u8,
    },
    /// UDP to the client's ports.
    Udp {
        /// Socket for RTP.
        rtp_socket: Arc<UdpSocket>,
        /// Socket for RTCP.
        rtcp_socket: Arc<UdpSocket>,
        /// Client RTP address.
        rtp: SocketAddr,
        /// Client RTCP address.
        rtcp: SocketAddr,
    },
}

impl Sink {
    /// Sends RTP packets (or RTCP ones when `control`); returns false once the
    /// client is gone.
    pub async fn send(&self, packets: &[Vec<u8>], control: bool) -> bool {
        match self {
            Sink::Tcp { writer, rtp, rtcp } => {
                let channel = if control { *rtcp } else { *rtp };
                let mut framed = Vec::with_capacity(packets.iter().map(|p| p.len() + 4).sum());
                for p in packets {
                    crate::message::interleave(channel, p, &mut framed);
                }
                writer.send(framed).await.is_ok()
            }
            Sink::Udp { rtp_socket, rtcp_socket, rtp, rtcp } => {
                let (socket, to) = if control { (rtcp_socket, rtcp) } else { (rtp_socket, rtp) };
                for p in packets {
                    // UDP is best effort: a refused datagram (client gone) is not fatal here.
                    let _ = socket.send_to(p, to).await;
                }
                true
            }
        }
    }
}

/// Binds an even RTP port and the RTCP port right after it, as clients expect (RFC 3550 §11).
pub(crate) async fn udp_pair(ip: std::net::IpAddr) -> Option<(UdpSocket, UdpSocket)> {
    for _ in 0..64 {
        let port = rand::thread_rng().gen_range(20_000u16..60_000) & !1;
        if let (Ok(rtp), Ok(rtcp)) = (UdpSocket::bind((ip, port)).await, UdpSocket::bind((ip, port + 1)).await) {
            return Some((rtp, rtcp));
        }
    }
    None
}

/// The SSRC, first sequence number and timestamp of a session, announced in
/// the SETUP and PLAY responses.
#[derive(Debug, Clone, Copy)]
pub struct Start {
    /// SSRC.
    pub ssrc: u32,
    /// First sequence number.
    pub sequence: u16,
    /// RTP timestamp of the media's time zero.
    pub timestamp: u32,
}

impl Start {
    /// Picks random starting points, as RFC 3550 asks.
    pub fn random() -> Self {
        let mut rng = rand::thread_rng();
        Self { ssrc: rng.next_u32(), sequence: rng.r#gen(), timestamp: rng.next_u32() }
    }
}

/// Why sending ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// TEARDOWN, the client left, or shutdown.
    Stopped,
    /// The source wants the connection closed (a camera dropping it, a stream
    /// that went away).
    Dropped,
}
