//! A WHEP viewer made of str0m, for tests and benchmarks: it offers to
//! receive one video track, POSTs the offer, and then hands out the pictures
//! that arrive over ICE, DTLS and SRTP, as a browser would receive them.

use std::{net::SocketAddr, sync::Arc, time::Instant};

use anyhow::{Context, bail};
use str0m::{
    Candidate, Event, Input, Output, Rtc,
    change::SdpAnswer,
    media::{Direction, MediaKind},
    net::{Protocol, Receive},
};
use tokio::net::UdpSocket;

/// One picture as received.
#[derive(Debug, Clone, Copy)]
pub struct Picture {
    /// Whether it decodes on its own.
    pub keyframe: bool,
    /// Its size in bytes.
    pub bytes: usize,
}

/// A connected viewer.
pub struct Viewer {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    /// The session's URL (from `Location`), for leaving.
    session: String,
    buf: Vec<u8>,
}

fn peer(local: SocketAddr) -> anyhow::Result<Rtc> {
    let mut rtc = Rtc::builder()
        .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
        .clear_codecs()
        .enable_h264(true)
        .build(Instant::now());
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
    /// Connects to the WHEP endpoint `url` (ticket included).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let local = socket.local_addr()?;
        let mut rtc = peer(local)?;
        let mut api = rtc.sdp_api();
        api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
        let (offer, pending) = api.apply().context("no offer")?;
        let client = reqwest::Client::new();
        let response =
            client.post(url).header("content-type", "application/sdp").body(offer.to_sdp_string()).send().await?;
        if response.status() != 201 {
            bail!("WHEP answered {}: {}", response.status(), response.text().await.unwrap_or_default());
        }
        let location = response.headers().get("location").context("no Location")?.to_str()?.to_owned();
        let origin = url.split("/api/").next().unwrap_or(url).split("/live/").next().unwrap_or(url);
        let answer = SdpAnswer::from_sdp_string(&response.text().await?)?;
        rtc.sdp_api().accept_answer(pending, answer)?;
        Ok(Self { rtc, socket, local, session: format!("{origin}{location}"), buf: vec![0; 2048] })
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
                    self.socket.send_to(&t.contents, t.destination).await?;
                    continue;
                }
                Output::Event(Event::MediaData(data)) => {
                    return Ok(Picture { keyframe: data.is_keyframe(), bytes: data.data.len() });
                }
                Output::Event(_) => continue,
                Output::Timeout(t) => t,
            };
            let wait = timeout.saturating_duration_since(Instant::now());
            tokio::select! {
                received = self.socket.recv_from(&mut self.buf) => {
                    let (n, source) = received?;
                    let contents = self.buf[..n].try_into()?;
                    let receive = Receive { proto: Protocol::Udp, source, destination: self.local, contents };
                    self.rtc.handle_input(Input::Receive(Instant::now(), receive))?;
                }
                _ = tokio::time::sleep(wait) => self.rtc.handle_input(Input::Timeout(Instant::now()))?,
            }
        }
    }

    /// Leaves: DELETE on the session; returns the HTTP status.
    pub async fn leave(self) -> anyhow::Result<u16> {
        Ok(reqwest::Client::new().delete(&self.session).send().await?.status().as_u16())
    }
}
