//! Live egress to browsers, over HTTP on `live.listen`: WebRTC (WHEP), fMP4
//! over WebSocket for MSE, and LL-HLS. The control plane forwards
//! `/api/live/{camera}/{stream}/...` here; each viewer presents a live stream
//! ticket (`?ticket=`), checked with public keys and spent on that viewer.
//! Each viewer is registered with the user of its ticket, and ends when that
//! user is revoked ([`crate::viewers`]).
//!
//! Every viewer starts at the latest keyframe of the stream's GOP cache, and
//! one that falls behind skips ahead to the next keyframe.

mod hls;
mod mux;
pub(crate) mod webrtc;
mod ws;

use std::sync::Arc;

use anyhow::Context;
use axum::{
    Router,
    body::Bytes,
    extract::{FromRequestParts, Path, Query, State, WebSocketUpgrade},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use serde::Deserialize;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_base::StreamRole;
use vms_http::Refusal;

use crate::{
    access::{Access, Target, TicketRefusal},
    fanout::Hub,
    streams::Streams,
    viewers::{Transport, Viewing, Watched},
};

/// What the live handlers share.
#[derive(Clone)]
pub(crate) struct Live {
    streams: Streams,
    access: Arc<Access>,
    webrtc: Arc<webrtc::WebRtc>,
    hls: Arc<hls::Hls>,
    shutdown: CancellationToken,
}

/// Binds live egress (from `config.live`: HTTP on `listen`, WebRTC on
/// `webrtc_port` of `webrtc_addresses`) and serves it until `shutdown`.
/// Returns the HTTP address. Every task that holds one of its sockets is
/// spawned on `tasks`, so waiting for them after `shutdown` means the ports
/// are free again; the WebRTC socket readers also run under `supervisor`,
/// restarted if they panic. ICE-TCP connections pass `config.limits` (each
/// listener its own gate); the live HTTP listener is called by control only,
/// so it has none.
pub(crate) async fn start(
    config: &vms_config::Config,
    streams: Streams,
    access: Arc<Access>,
    shutdown: CancellationToken,
    tasks: &TaskTracker,
    supervisor: &vms_base::Supervisor,
) -> anyhow::Result<std::net::SocketAddr> {
    let live = &config.live;
    let listen = live.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to bind live egress on {listen} (live.listen)"))?;
    let addr = listener.local_addr()?;
    let (ips, port) = (&live.webrtc_addresses, live.webrtc_port);
    let gate = vms_base::conn_limit::ConnGate::new(config.limits.conn_limits());
    let webrtc = Arc::new(webrtc::WebRtc::bind(ips, port, gate, shutdown.clone(), tasks.clone(), supervisor).await?);
    let live = Live { streams, access, webrtc, hls: Arc::default(), shutdown: shutdown.clone() };
    let app = router(live);
    tracing::info!(%addr, "live egress listening");
    tasks.spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move { shutdown.cancelled().await });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "live egress stopped");
        }
    });
    Ok(addr)
}

fn router(live: Live) -> Router {
    Router::new()
        .route("/live/{camera}/{role}/whep", post(whep))
        .route("/live/{camera}/{role}/whep/{session}", delete(whep_delete).patch(whep_patch))
        .route("/live/{camera}/{role}/ws", get(websocket))
        .route("/live/{camera}/{role}/hls/index.m3u8", get(hls_index))
        .route("/live/{camera}/{role}/hls/s/{session}/{file}", get(hls_file))
        .with_state(live)
}

impl From<TicketRefusal> for Refusal {
    fn from(e: TicketRefusal) -> Self {
        match e {
            TicketRefusal::Invalid(m) => {
                Refusal::new(ErrorCode::Unauthenticated, format!("stream ticket refused: {m}"))
            }
            TicketRefusal::Forbidden(m) => {
                Refusal::new(ErrorCode::PermissionDenied, format!("stream ticket refused: {m}"))
            }
        }
    }
}

#[derive(Deserialize)]
struct TicketQuery {
    ticket: Option<String>,
}

/// The stream a live request names.
struct Stream {
    camera_id: Uuid,
    role: StreamRole,
    tenant_id: Uuid,
    hub: Arc<Hub>,
}

impl Live {
    fn stream(&self, camera: &str, role: &str) -> Result<Stream, Refusal> {
        let camera_id: Uuid =
            camera.parse().map_err(|_| Refusal::new(ErrorCode::InvalidArgument, "the camera id must be a UUID"))?;
        let role: StreamRole =
            role.parse().map_err(|e| Refusal::new(ErrorCode::NotFound, format!("no such stream: {e}")))?;
        let published = self.streams.get(camera_id, role).ok_or_else(|| {
            Refusal::new(ErrorCode::NotFound, format!("camera {camera_id} has no `{role}` stream on this media plane"))
        })?;
        Ok(Stream { camera_id, role, tenant_id: published.tenant_id, hub: published.hub })
    }

    /// Checks the viewer's ticket and spends it on `holder`; returns a token
    /// for the viewing, cancelled at shutdown or when the ticket's user is
    /// revoked, and its registration (drop it when the viewing ends).
    async fn admit(
        &self,
        stream: &Stream,
        ticket: Option<&str>,
        holder: &str,
        transport: Transport,
    ) -> Result<(CancellationToken, Viewing), Refusal> {
        let ticket = ticket
            .ok_or_else(|| Refusal::new(ErrorCode::Unauthenticated, "a live stream ticket is required (?ticket=)"))?;
        let target =
            Target { camera_id: stream.camera_id, tenant_id: stream.tenant_id, role: stream.role, ticket: None };
        let admission = self.access.redeem_ticket(ticket, &target, holder).await.map_err(Refusal::from)?;
        let end = self.shutdown.child_token();
        let watched = Watched { camera: stream.camera_id, role: stream.role, transport };
        let viewing = self.access.viewers().watch(admission.user, admission.confirmed_at, end.clone(), watched);
        Ok((end, viewing))
    }
}

/// `POST .../whep` with an SDP offer: 201 with the answer and the session's `Location`.
async fn whep(
    State(live): State<Live>,
    Path((camera, role)): Path<(String, String)>,
    Query(query): Query<TicketQuery>,
    headers: HeaderMap,
    offer: Bytes,
) -> Result<Response, Refusal> {
    let stream = live.stream(&camera, &role)?;
    let is_sdp = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/sdp"));
    if !is_sdp {
        return Err(Refusal::new(ErrorCode::UnsupportedMedia, "the offer must be application/sdp"));
    }
    let offer =
        std::str::from_utf8(&offer).map_err(|_| Refusal::new(ErrorCode::InvalidArgument, "the offer is not UTF-8"))?;
    let holder = format!("whep:{}", Uuid::new_v4());
    let (end, viewing) = live.admit(&stream, query.ticket.as_deref(), &holder, Transport::Webrtc).await?;
    let (session, answer) = live.webrtc.open(offer, stream.hub, end, viewing).map_err(whep_refusal)?;
    let location = format!("/api/live/{camera}/{role}/whep/{session}");
    Ok((
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/sdp".to_owned()), (header::LOCATION, location)],
        answer,
    )
        .into_response())
}

fn whep_refusal(e: webrtc::WhepError) -> Refusal {
    match e {
        webrtc::WhepError::BadOffer(m) => Refusal::new(ErrorCode::InvalidArgument, m),
        webrtc::WhepError::Unsupported(m) => Refusal::new(ErrorCode::UnsupportedMedia, m),
        webrtc::WhepError::NotReady(m) => Refusal::new(ErrorCode::Unavailable, m),
    }
}

/// `DELETE .../whep/{session}`: the viewer leaves.
async fn whep_delete(State(live): State<Live>, Path((_, _, session)): Path<(String, String, String)>) -> StatusCode {
    if live.webrtc.close(&session) { StatusCode::NO_CONTENT } else { StatusCode::NOT_FOUND }
}

/// `PATCH .../whep/{session}`: trickle ICE is not needed (the server is
/// ICE-lite and its answer lists every candidate).
async fn whep_patch() -> Response {
    (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "DELETE")]).into_response()
}

/// `GET .../ws`: fMP4 over WebSocket.
async fn websocket(
    State(live): State<Live>,
    Path((camera, role)): Path<(String, String)>,
    Query(query): Query<TicketQuery>,
    upgrade: Result<WebSocketUpgrade, <WebSocketUpgrade as FromRequestParts<Live>>::Rejection>,
) -> Result<Response, Refusal> {
    let stream = live.stream(&camera, &role)?;
    let holder = format!("ws:{}", Uuid::new_v4());
    let (end, viewing) = live.admit(&stream, query.ticket.as_deref(), &holder, Transport::Mse).await?;
    let upgrade =
        upgrade.map_err(|e| Refusal::new(ErrorCode::InvalidArgument, format!("not a WebSocket request: {e}")))?;
    Ok(upgrade.on_upgrade(move |socket| async move {
        ws::serve(socket, stream.hub, end).await;
        drop(viewing);
    }))
}

/// `GET .../hls/index.m3u8`: opens an LL-HLS viewing session.
async fn hls_index(
    State(live): State<Live>,
    Path((camera, role)): Path<(String, String)>,
    Query(query): Query<TicketQuery>,
) -> Result<Response, Refusal> {
    let stream = live.stream(&camera, &role)?;
    let session = Uuid::new_v4().simple().to_string();
    let (end, viewing) =
        live.admit(&stream, query.ticket.as_deref(), &format!("hls:{session}"), Transport::Hls).await?;
    let viewer = hls::Viewer { end, _viewing: viewing };
    let playlist =
        live.hls.open((stream.camera_id, stream.role), stream.hub, session, viewer).await.map_err(hls_refusal)?;
    Ok(([(header::CONTENT_TYPE, "application/vnd.apple.mpegurl"), (header::CACHE_CONTROL, "no-cache")], playlist)
        .into_response())
}

/// `GET .../hls/s/{session}/{file}`: a viewing session's playlist, init segment, segment or part.
async fn hls_file(
    State(live): State<Live>,
    Path((camera, role, session, file)): Path<(String, String, String, String)>,
    Query(blocking): Query<hls::Blocking>,
) -> Result<Response, Refusal> {
    let stream = live.stream(&camera, &role)?;
    let (content_type, pieces) =
        live.hls.file((stream.camera_id, stream.role), &session, &file, blocking).await.map_err(hls_refusal)?;
    let length = pieces.iter().map(Bytes::len).sum::<usize>();
    let body = axum::body::Body::from_stream(futures::stream::iter(pieces.into_iter().map(Ok::<_, std::io::Error>)));
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::CONTENT_LENGTH, length.to_string()),
    ];
    Ok((headers, body).into_response())
}

fn hls_refusal(e: hls::HlsError) -> Refusal {
    match e {
        hls::HlsError::NotFound(m) => Refusal::new(ErrorCode::NotFound, m),
        hls::HlsError::NotReady(m) => Refusal::new(ErrorCode::Unavailable, m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parser's error names its internals (str0m's shows a heap address as
    /// `PointerOffset(0x7f…)`); a viewer gets only the API's error shape.
    #[tokio::test]
    async fn a_malformed_offer_is_refused_without_parser_internals() {
        for offer in ["v=0\r\nthis is not sdp", "", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96"] {
            let refused =
                webrtc::offer::parse_offer(offer).map(|_| ()).expect_err("a malformed offer should be refused");
            let response = whep_refusal(refused).into_response();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
            let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["code"], "invalid_argument", "{body}");
            let message = body["message"].as_str().unwrap();
            assert_eq!(message, "malformed SDP offer", "{body}");
            assert!(!message.contains("0x") && !message.contains("PointerOffset"), "{body}");
        }
    }
}
