//! One RTSP connection: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN and
//! GET_PARAMETER keep-alives, with Basic or Digest authentication, over
//! TCP-interleaved or UDP transport.

use std::{net::SocketAddr, sync::Arc};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpStream, UdpSocket},
    sync::mpsc,
};
use tokio_util::sync::CancellationToken;
use vms_rtsp::{
    auth,
    message::{self, Incoming, Request, Response},
    transport::{self, Transport},
};

use crate::{
    Shared,
    camera::{AuthMode, Camera},
    clip::Clip,
    stream::{self, Ended, Sink, Start},
};

const REALM: &str = "vms-camsim";
const PUBLIC: &str = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER";

struct State {
    shared: Arc<Shared>,
    peer: SocketAddr,
    local: SocketAddr,
    writer: mpsc::Sender<Vec<u8>>,
    nonce: String,
    session: Option<String>,
    camera: Option<(Camera, Arc<Clip>)>,
    sink: Option<Sink>,
    start: Start,
    playing: Option<CancellationToken>,
    close: CancellationToken,
}

/// Serves one connection until the client leaves, a fault drops it, or shutdown.
pub async fn serve(socket: TcpStream, shared: Arc<Shared>, shutdown: CancellationToken) {
    let peer = socket.peer_addr().unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
    let local = socket.local_addr().unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
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
        shared,
        peer,
        local,
        writer,
        nonce: auth::new_nonce(),
        session: None,
        camera: None,
        sink: None,
        start: Start::random(),
        playing: None,
        close: close.clone(),
    };
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    'conn: loop {
        let read = tokio::select! {
            _ = close.cancelled() => break,
            read = reader.read(&mut chunk) => read,
        };
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        loop {
            match message::read(&mut buf) {
                Ok(Some(Incoming::Request(req))) => {
                    let response = state.handle(&req).await;
                    if state.writer.send(response.to_bytes()).await.is_err() {
                        break 'conn;
                    }
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
    }
    if let Some(playing) = state.playing.take() {
        playing.cancel();
    }
    drop(state);
    let _ = writing.await;
}

/// Binds an even RTP port and the RTCP port right after it, as clients expect (RFC 3550 §11).
async fn udp_pair(ip: std::net::IpAddr) -> Option<(UdpSocket, UdpSocket)> {
    for _ in 0..64 {
        let port = rand::Rng::gen_range(&mut rand::thread_rng(), 20_000u16..60_000) & !1;
        if let (Ok(rtp), Ok(rtcp)) = (UdpSocket::bind((ip, port)).await, UdpSocket::bind((ip, port + 1)).await) {
            return Some((rtp, rtcp));
        }
    }
    None
}

impl State {
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
            "DESCRIBE" => self.describe(req),
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

    /// Resolves the camera of a request URI (`/<camera>[/trackID=0][?options]`).
    /// Options given on DESCRIBE carry over to the SETUP and PLAY of the same
    /// camera, whose URIs (built from Content-Base) have no query.
    fn camera_of(&self, req: &Request) -> Result<(Camera, Arc<Clip>), u16> {
        let url = url::Url::parse(&req.uri).map_err(|_| 400u16)?;
        let name = url.path_segments().and_then(|mut s| s.next()).filter(|s| !s.is_empty()).ok_or(404u16)?;
        if url.query().is_none()
            && let Some((camera, clip)) = &self.camera
            && camera.name == name
        {
            return Ok((camera.clone(), clip.clone()));
        }
        let mut camera = self.shared.cameras.iter().find(|c| c.name == name).cloned().ok_or(404u16)?;
        if let Some(query) = url.query() {
            camera.options.apply(query).map_err(|_| 400u16)?;
        }
        let clip = self.shared.clips.get(camera.clip.name).cloned().ok_or(404u16)?;
        Ok((camera, clip))
    }

    /// Checks credentials; returns the 401 to send when they do not pass.
    fn authenticate(&self, req: &Request, camera: &Camera) -> Option<Response> {
        let o = &camera.options;
        let mode = o.auth.or(o.auth_fail.then_some(AuthMode::Basic))?;
        let ok = !o.auth_fail
            && match req.header("Authorization").and_then(auth::parse) {
                Some(presented @ auth::Presented::Digest { .. }) => {
                    mode == AuthMode::Digest
                        && auth::digest_matches(&presented, &req.method, REALM, &self.nonce, &o.password)
                }
                Some(auth::Presented::Basic { username, password }) => {
                    auth::constant_time_eq(username.as_bytes(), o.username.as_bytes())
                        && auth::constant_time_eq(password.as_bytes(), o.password.as_bytes())
                }
                None => false,
            };
        if ok {
            return None;
        }
        let nonce = (mode == AuthMode::Digest).then_some(self.nonce.as_str());
        let mut response = Response::to(req, 401);
        for challenge in auth::challenges(REALM, nonce) {
            response = response.header("WWW-Authenticate", challenge);
        }
        Some(response)
    }

    fn describe(&mut self, req: &Request) -> Response {
        let (camera, clip) = match self.camera_of(req) {
            Ok(found) => found,
            Err(status) => return Response::to(req, status),
        };
        if let Some(denied) = self.authenticate(req, &camera) {
            return denied;
        }
        self.camera = Some((camera.clone(), clip.clone()));
        let sets: Vec<&[u8]> = clip.parameter_sets.iter().map(|p| &p[..]).collect();
        let sdp = format!(
            "v=0\r\no=- {0} 1 IN IP4 {1}\r\ns=vms-camsim {2}\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\na=range:npt=now-\r\n{3}",
            self.start.ssrc,
            self.local.ip(),
            camera.name,
            vms_codec::sdp::media_section(clip.spec.codec, stream::PAYLOAD_TYPE, &sets, "trackID=0")
        );
        let base = format!("{}/", req.uri.split('?').next().unwrap_or(&req.uri).trim_end_matches('/'));
        Response::to(req, 200).header("Content-Base", base).body("application/sdp", sdp)
    }

    async fn setup(&mut self, req: &Request) -> Response {
        let (camera, clip) = match self.camera_of(req) {
            Ok(found) => found,
            Err(status) => return Response::to(req, status),
        };
        if let Some(denied) = self.authenticate(req, &camera) {
            return denied;
        }
        let Some(offer) = req.header("Transport") else { return Response::to(req, 461) };
        let chosen = match transport::parse(offer) {
            Ok(t) => t,
            Err(_) => return Response::to(req, 461),
        };
        let (sink, server_ports) = match chosen {
            Transport::Interleaved { rtp, rtcp } => (Sink::Tcp { writer: self.writer.clone(), rtp, rtcp }, None),
            Transport::Udp { rtp, rtcp } => {
                let Some((rtp_socket, rtcp_socket)) = udp_pair(self.local.ip()).await else {
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
        self.camera = Some((camera, clip));
        self.sink = Some(sink);
        Response::to(req, 200)
            .header("Transport", transport::response(chosen, server_ports, self.start.ssrc))
            .header("Session", format!("{session};timeout=60"))
    }

    fn play(&mut self, req: &Request) -> Response {
        let (Some(session), Some((camera, clip)), Some(sink)) = (&self.session, &self.camera, &self.sink) else {
            return Response::to(req, 455);
        };
        if self.playing.is_none() {
            let cancel = self.close.child_token();
            let alternate = camera.clip.other_resolution().and_then(|c| self.shared.clips.get(c.name).cloned());
            let close = self.close.clone();
            let run =
                stream::run(clip.clone(), alternate, camera.options.clone(), sink.clone(), self.start, cancel.clone());
            let camera_name = camera.name.clone();
            tokio::spawn(async move {
                if run.await == Ended::Dropped {
                    tracing::info!(camera = %camera_name, "dropping the connection (fault)");
                    close.cancel();
                }
            });
            self.playing = Some(cancel);
        }
        let first_pts = clip.units.first().map(|u| u.pts).unwrap_or(0);
        let track = format!("{}/trackID=0", req.uri.split('?').next().unwrap_or(&req.uri).trim_end_matches('/'));
        Response::to(req, 200).header("Session", session.clone()).header("Range", "npt=0.000-").header(
            "RTP-Info",
            format!(
                "url={track};seq={};rtptime={}",
                self.start.sequence,
                self.start.timestamp.wrapping_add(first_pts as u32)
            ),
        )
    }
}
