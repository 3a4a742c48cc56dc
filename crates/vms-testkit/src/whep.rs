//! A WHEP viewer made of str0m, for tests and benchmarks: it offers to
//! receive one video track, POSTs the offer, and then hands out the pictures
//! that arrive over ICE, DTLS and SRTP, as a browser would receive them:
//! over UDP, or over ICE-TCP (RFC 4571 framing) as a browser does where UDP
//! is blocked.

use std::{net::SocketAddr, sync::Arc, time::Instant};

use anyhow::{Context, bail};
use str0m::{
    Candidate, Event, Input, Output, Rtc,
    change::{SdpAnswer, SdpPendingOffer},
    media::{Direction, MediaKind},
    net::{Protocol, Receive, TcpType},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpStream, UdpSocket, tcp::OwnedWriteHalf},
    sync::mpsc,
};

/// One picture as received.
#[derive(Debug, Clone, Copy)]
pub struct Picture {
    /// Whether it decodes on its own.
    pub keyframe: bool,
    /// Its size in bytes.
    pub bytes: usize,
    /// When it reached the media plane, where the sender says so (the
    /// `abs-capture-time` RTP header extension).
    pub arrived_at_server: Option<std::time::SystemTime>,
}

/// How the viewer's packets travel.
enum Link {
    Udp(UdpSocket),
    /// Framed packets read by a task of their own (a read cut short by a
    /// timer would lose the stream's framing).
    Tcp {
        writer: OwnedWriteHalf,
        frames: mpsc::Receiver<Vec<u8>>,
    },
}

/// A connected viewer.
pub struct Viewer {
    rtc: Rtc,
    link: Link,
    local: SocketAddr,
    /// The session's URL (from `Location`), for leaving.
    session: String,
    buf: Vec<u8>,
}

/// An offer to receive video, and what the server answered.
struct Negotiated {
    rtc: Rtc,
    session: String,
    answer: String,
}

async fn negotiate(url: &str, mut rtc: Rtc) -> anyhow::Result<Negotiated> {
    let mut api = rtc.sdp_api();
    api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
    let (offer, pending): (_, SdpPendingOffer) = api.apply().context("no offer")?;
    let client = reqwest::Client::new();
    let response =
        client.post(url).header("content-type", "application/sdp").body(offer.to_sdp_string()).send().await?;
    if response.status() != 201 {
        bail!("WHEP answered {}: {}", response.status(), response.text().await.unwrap_or_default());
    }
    let location = response.headers().get("location").context("no Location")?.to_str()?.to_owned();
    let origin = url.split("/api/").next().unwrap_or(url).split("/live/").next().unwrap_or(url);
    let answer = response.text().await?;
    rtc.sdp_api().accept_answer(pending, SdpAnswer::from_sdp_string(&answer)?)?;
    Ok(Negotiated { rtc, session: format!("{origin}{location}"), answer })
}

/// The server's passive ICE-TCP candidate in an SDP answer.
fn tcp_candidate(answer: &str) -> Option<SocketAddr> {
    answer.lines().filter_map(|l| l.strip_prefix("a=candidate:")).find_map(|c| {
        let fields: Vec<&str> = c.split_whitespace().collect();
        (fields.get(2)?.eq_ignore_ascii_case("tcp") && c.contains("tcptype passive"))
            .then(|| format!("{}:{}", fields.get(4)?, fields.get(5)?).parse().ok())
            .flatten()
    })
}

/// A peer that receives H.264 (and each picture's capture time), without candidates yet.
fn receiver() -> Rtc {
    Rtc::builder()
        .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
        .clear_codecs()
        .enable_h264(true)
        .set_extension(5, str0m::rtp::Extension::AbsoluteCaptureTime)
        .build(Instant::now())
}

/// A receiver with a UDP host candidate at `local`.
fn peer(local: SocketAddr) -> anyhow::Result<Rtc> {
    let mut rtc = receiver();
    rtc.add_local_candidate(Candidate::host(local, "udp")?).context("adding the local candidate")?;
    Ok(rtc)
}

/// POSTs an offer to `url` and returns the server's response as it came.
pub async fn post_offer(url: &str) -> anyhow::Result<reqwest::Response> {
    let mut rtc = peer("127.0.0.1:9".parse()?)?;
    let mut api = rtc.sdp_api();
    api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
    let (offer, _) = api.apply().context("no offer")?;
    let client = reqwest::Client::new();
    Ok(client.post(url).header("content-type", "application/sdp").body(offer.to_sdp_string()).send().await?)
}

impl Viewer {
    /// Connects to the WHEP endpoint `url` (ticket included), over UDP.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let local = socket.local_addr()?;
        let n = negotiate(url, peer(local)?).await?;
        Ok(Self { rtc: n.rtc, link: Link::Udp(socket), local, session: n.session, buf: vec![0; 2048] })
    }

    /// Connects to the WHEP endpoint `url` over ICE-TCP only: the server's
    /// passive TCP candidate, reached with an active one.
    pub async fn connect_tcp(url: &str) -> anyhow::Result<Self> {
        let mut n = negotiate(url, receiver()).await?;
        let server = tcp_candidate(&n.answer).context("the answer offers no passive TCP candidate")?;
        let stream = TcpStream::connect(server).await?;
        stream.set_nodelay(true)?;
        let local = stream.local_addr()?;
        let candidate = Candidate::builder().tcp().host(local).tcptype(TcpType::Active).build()?;
        n.rtc.add_local_candidate(candidate).context("adding the TCP candidate")?;
        let (mut reader, writer) = stream.into_split();
        let (tx, frames) = mpsc::channel(1024);
        tokio::spawn(async move {
            let mut len = [0u8; 2];
            while reader.read_exact(&mut len).await.is_ok() {
                let mut frame = vec![0u8; usize::from(u16::from_be_bytes(len))];
                if reader.read_exact(&mut frame).await.is_err() || tx.send(frame).await.is_err() {
                    break;
                }
            }
        });
        Ok(Self { rtc: n.rtc, link: Link::Tcp { writer, frames }, local, session: n.session, buf: Vec::new() })
    }

    /// The session's URL, as `Location` named it.
    pub fn session(&self) -> &str {
        &self.session
    }

    /// Drives the connection until the next picture arrives.
    pub async fn next(&mut self) -> anyhow::Result<Picture> {
        loop {
            let timeout = match self.rtc.poll_output()? {
                Output::Transmit(t) => {
                    match &mut self.link {
                        Link::Udp(socket) => {
                            socket.send_to(&t.contents, t.destination).await?;
                        }
                        Link::Tcp { writer, .. } => {
                            let mut framed = u16::try_from(t.contents.len())?.to_be_bytes().to_vec();
                            framed.extend_from_slice(&t.contents);
                            writer.write_all(&framed).await?;
                        }
                    }
                    continue;
                }
                Output::Event(Event::MediaData(data)) => {
                    return Ok(Picture {
                        keyframe: data.is_keyframe(),
                        bytes: data.data.len(),
                        arrived_at_server: data.ext_vals.abs_capture_time.map(|t| t.capture_time),
                    });
                }
                Output::Event(_) => continue,
                Output::Timeout(t) => t,
            };
            let wait = timeout.saturating_duration_since(Instant::now());
            let local = self.local;
            let received = match &mut self.link {
                Link::Udp(socket) => tokio::select! {
                    received = socket.recv_from(&mut self.buf) => {
                        let (n, source) = received?;
                        Some((Protocol::Udp, source, self.buf[..n].to_vec()))
                    }
                    _ = tokio::time::sleep(wait) => None,
                },
                Link::Tcp { frames, writer } => {
                    let peer = writer.peer_addr()?;
                    tokio::select! {
                        frame = frames.recv() => Some((Protocol::Tcp, peer, frame.context("the TCP connection closed")?)),
                        _ = tokio::time::sleep(wait) => None,
                    }
                }
            };
            match received {
                Some((proto, source, data)) => {
                    let receive = Receive { proto, source, destination: local, contents: data.as_slice().try_into()? };
                    self.rtc.handle_input(Input::Receive(Instant::now(), receive))?;
                }
                None => self.rtc.handle_input(Input::Timeout(Instant::now()))?,
            }
        }
    }

    /// Leaves: DELETE on the session; returns the HTTP status.
    pub async fn leave(self) -> anyhow::Result<u16> {
        Ok(reqwest::Client::new().delete(&self.session).send().await?.status().as_u16())
    }
}
