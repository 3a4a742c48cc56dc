//! One RTSP connection, from its first request until the client leaves, the
//! source drops it, or shutdown.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::mpsc,
    time::Instant,
};
use tokio_util::sync::CancellationToken;

use super::{
    Challenge, Connection, PAYLOAD_TYPE, Refusal, Source,
    sink::{self, Ended, Sink, Start},
};
use crate::{
    auth,
    message::{self, Incoming, Request, Response},
    transport::{self, Transport},
};

/// How long a connection may take to send a request, and stay without one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timeouts {
    /// From a request's first byte (or from accept, for the first request) to its end.
    pub(super) header: Duration,
    /// From an answer to the next request's first byte, while nothing plays.
    pub(super) idle: Duration,
}

const PUBLIC: &str = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER";

struct State<S: Source> {
    source: Arc<S>,
    realm: &'static str,
    peer: SocketAddr,
    local: SocketAddr,
    writer: mpsc::Sender<Vec<u8>>,
    nonce: String,
    session: Option<String>,
    media: Option<S::Media>,
    sink: Option<Sink>,
    start: Start,
    playing: Option<CancellationToken>,
    close: CancellationToken,
}

/// Serves one connection until the client leaves, the source drops it, or shutdown.
pub(super) async fn serve<S: Source>(
    socket: TcpStream,
    source: Arc<S>,
    realm: &'static str,
    timeouts: Timeouts,
    shutdown: CancellationToken,
) {
    let unknown = SocketAddr::from(([0, 0, 0, 0], 0));
    let peer = socket.peer_addr().unwrap_or(unknown);
    let local = socket.local_addr().unwrap_or(unknown);
    let (mut reader, mut write_half) = socket.into_split();
    let (writer, mut outgoing) = mpsc::channel::<Vec<u8>>(512);
    let close = shutdown.child_token();
    let write_close = close.clone();
    let writing = tokio::spawn(async move {
        while let Some(bytes) = outgoing.recv().await {
            if write_half.write_all(&bytes).await.is_err() {
                break;
            }
        }
        let _ = write_half.shutdown().await;
        write_close.cancel();
    });
    let mut state = State {
        source,
        realm,
        peer,
        local,
        writer,
        nonce: auth::new_nonce(),
        session: None,
        media: None,
        sink: None,
        start: Start::random(),
        playing: None,
        close: close.clone(),
    };
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    // When the request being received began (accept, for the first), and
    // when the last answer went out with nothing left to read.
    let (mut head_since, mut idle_since) = (Instant::now(), None::<Instant>);
    'conn: loop {
        let deadline = match (&state.playing, idle_since) {
            (Some(_), _) => None,
            (None, Some(idle)) if buf.is_empty() => Some(idle + timeouts.idle),
            (None, _) => Some(head_since + timeouts.header),
        };
        let read = tokio::select! {
            _ = close.cancelled() => break,
            _ = sleep_until(deadline) => {
                tracing::debug!(%peer, "closing a slow or idle RTSP connection");
                break;
            }
            read = reader.read(&mut chunk) => read,
        };
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if buf.is_empty() && idle_since.take().is_some() {
                    head_since = Instant::now();
                }
                buf.extend_from_slice(&chunk[..n]);
            }
        }
        let mut answered = false;
        loop {
            match message::read(&mut buf) {
                Ok(Some(Incoming::Request(req))) => {
                    let response = state.handle(&req).await;
                    if state.writer.send(response.to_bytes()).await.is_err() {
                        break 'conn;
                    }
                    answered = true;
                }
                // RTCP receiver reports from the client: accepted, and ignored if malformed.
                Ok(Some(Incoming::Frame { .. })) => {}
                Ok(None) => break,
                Err(e) => {
                    tracing::debug!(peer = %state.peer, error = %e, "malformed RTSP; closing");
                    break 'conn;
                }
            }
        }
        if answered {
            if buf.is_empty() {
                idle_since = Some(Instant::now());
            } else {
                head_since = Instant::now();
            }
        }
    }
    if let Some(playing) = state.playing.take() {
        playing.cancel();
    }
    drop(state);
    let _ = writing.await;
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// The request URI without its query, and without a trailing slash.
fn base_uri(req: &Request) -> &str {
    req.uri.split('?').next().unwrap_or(&req.uri).trim_end_matches('/')
}

impl<S: Source> State<S> {
    async fn handle(&mut self, req: &Request) -> Response {
        if let (Some(ours), Some(theirs)) = (&self.session, req.header("Session")) {
            let theirs = theirs.split(';').next().unwrap_or_default().trim();
            if theirs != ours {
                return Response::to(req, 454);
            }
        }
        match req.method.as_str() {
            "OPTIONS" => Response::to(req, 200).header("Public", PUBLIC),
            "GET_PARAMETER" | "SET_PARAMETER" => Response::to(req, 200),
            "DESCRIBE" => self.describe(req).await,
            "SETUP" => self.setup(req).await,
            "PLAY" => self.play(req),
            "TEARDOWN" => {
                if let Some(playing) = self.playing.take() {
                    playing.cancel();
                }
                self.session = None;
                Response::to(req, 200)
            }
            _ => Response::to(req, 501),
        }
    }

    /// Resolves and authorizes the stream a request names; `Err` is the response to send.
    async fn admit(&self, req: &Request) -> Result<S::Media, Response> {
        let uri = url::Url::parse(&req.uri).map_err(|_| Response::to(req, 400))?;
        let media = self.source.resolve(&uri, self.media.as_ref()).map_err(|status| Response::to(req, status))?;
        let connection = Connection { realm: self.realm, nonce: &self.nonce, peer: self.peer };
        match self.source.authorize(req, &media, connection).await {
            Ok(()) => Ok(media),
            Err(Refusal::Forbidden) => Err(Response::to(req, 403)),
            Err(Refusal::Unavailable) => Err(Response::to(req, 503)),
            Err(Refusal::Challenge(challenge)) => {
                let nonce = (challenge == Challenge::Digest).then_some(self.nonce.as_str());
                let mut response = Response::to(req, 401);
                for value in auth::challenges(self.realm, nonce) {
                    response = response.header("WWW-Authenticate", value);
                }
                Err(response)
            }
        }
    }

    async fn describe(&mut self, req: &Request) -> Response {
        let media = match self.admit(req).await {
            Ok(media) => media,
            Err(response) => return response,
        };
        let description = match self.source.describe(&media) {
            Ok(description) => description,
            Err(status) => return Response::to(req, status),
        };
        self.media = Some(media);
        let sets: Vec<&[u8]> = description.parameter_sets.iter().map(|p| &p[..]).collect();
        let sdp = format!(
            "v=0\r\no=- {0} 1 IN IP4 {1}\r\ns={2}\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\na=range:npt=now-\r\n{3}",
            self.start.ssrc,
            self.local.ip(),
            description.title,
            vms_codec::sdp::media_section(description.codec, PAYLOAD_TYPE, &sets, "trackID=0")
        );
        Response::to(req, 200).header("Content-Base", format!("{}/", base_uri(req))).body("application/sdp", sdp)
    }

    async fn setup(&mut self, req: &Request) -> Response {
        let media = match self.admit(req).await {
            Ok(media) => media,
            Err(response) => return response,
        };
        let Some(offer) = req.header("Transport") else { return Response::to(req, 461) };
        let Ok(chosen) = transport::parse(offer) else { return Response::to(req, 461) };
        let (sink, server_ports) = match chosen {
            Transport::Interleaved { rtp, rtcp } => (Sink::Tcp { writer: self.writer.clone(), rtp, rtcp }, None),
            Transport::Udp { rtp, rtcp } => {
                let Some((rtp_socket, rtcp_socket)) = sink::udp_pair(self.local.ip()).await else {
                    return Response::to(req, 500);
                };
                let ports = (
                    rtp_socket.local_addr().map(|a| a.port()).unwrap_or(0),
                    rtcp_socket.local_addr().map(|a| a.port()).unwrap_or(0),
                );
                let sink = Sink::Udp {
                    rtp_socket: Arc::new(rtp_socket),
                    rtcp_socket: Arc::new(rtcp_socket),
                    rtp: SocketAddr::new(self.peer.ip(), rtp),
                    rtcp: SocketAddr::new(self.peer.ip(), rtcp),
                };
                (sink, Some(ports))
            }
        };
        let session = self.session.get_or_insert_with(auth::new_nonce).clone();
        self.media = Some(media);
        self.sink = Some(sink);
        Response::to(req, 200)
            .header("Transport", transport::response(chosen, server_ports, self.start.ssrc))
            .header("Session", format!("{session};timeout=60"))
    }

    fn play(&mut self, req: &Request) -> Response {
        let (Some(session), Some(media), Some(sink)) = (&self.session, &self.media, &self.sink) else {
            return Response::to(req, 455);
        };
        if self.playing.is_none() {
            let cancel = self.close.child_token();
            let close = self.close.clone();
            let run = self.source.play(media, sink.clone(), self.start, cancel.clone());
            let peer = self.peer;
            tokio::spawn(async move {
                if run.await == Ended::Dropped {
                    tracing::debug!(%peer, "the source dropped the stream; closing the connection");
                    close.cancel();
                }
            });
            self.playing = Some(cancel);
        }
        let first_rtp_offset = self.source.describe(media).map_or(0, |d| d.first_rtp_offset);
        Response::to(req, 200).header("Session", session.clone()).header("Range", "npt=0.000-").header(
            "RTP-Info",
            format!(
                "url={}/trackID=0;seq={};rtptime={}",
                base_uri(req),
                self.start.sequence,
                self.start.timestamp.wrapping_add(first_rtp_offset)
            ),
        )
    }
}
