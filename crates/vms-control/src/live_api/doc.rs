//! The live operations in the OpenAPI document. Control forwards
//! `/api/live/...` to the media plane that serves the stream
//! ([`super::proxy`]), so these functions are never routed: they only
//! describe, for integrators and the SDKs, what the media plane answers
//! there. Each needs a live ticket (`issueStreamTicket` with purpose
//! `live`) in `?ticket=`, as a browser's video element or WebSocket cannot
//! send a bearer token.

use crate::error::ErrorBody;

/// Starts a WebRTC viewer (WHEP, RFC 9725).
///
/// The body is the browser's SDP offer with one receive-only video; the
/// answer lists every candidate (the server is ICE-lite, so no trickle ICE).
/// H.264 without B-frames only: an H.265 stream or one with B-frames gets
/// 415 (use `openLiveMse`).
#[utoipa::path(post, operation_id = "startWhep", path = "/api/live/{camera}/{role}/whep", tag = "live",
    params(("camera" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        ("ticket" = String, Query, description = "A live ticket for this camera and stream")),
    request_body(content = String, content_type = "application/sdp", description = "The SDP offer"),
    responses(
        (status = 201, content_type = "application/sdp", body = String, description = "The SDP answer",
            headers(("Location" = String, description = "The session, to end it with `stopWhep`"))),
        (status = 400, body = ErrorBody, description = "a malformed offer"),
        (status = 401, body = ErrorBody, description = "no ticket, or one that is expired, spent or forged"),
        (status = 403, body = ErrorBody, description = "the ticket is for another camera, stream or tenant"),
        (status = 404, body = ErrorBody, description = "no such stream"),
        (status = 415, body = ErrorBody, description = "not an SDP offer, or a codec WebRTC cannot carry here"),
        (status = 503, body = ErrorBody, description = "the stream has no picture yet, or no media plane serves it")))]
#[allow(dead_code)]
pub fn start_whep() {}

/// Ends a WebRTC viewer.
#[utoipa::path(delete, operation_id = "stopWhep", path = "/api/live/{camera}/{role}/whep/{session}", tag = "live",
    params(("camera" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        ("session" = String, Path, description = "The session of `startWhep`'s `Location`")),
    responses((status = 204, description = "ended"), (status = 404, description = "no such session")))]
#[allow(dead_code)]
pub fn stop_whep() {}

/// Opens live fMP4 for Media Source Extensions over a WebSocket.
///
/// First a text message `{"type": "init", "mime", "codec", "width",
/// "height"}` and a binary init segment, then one binary `prft`+`moof`+`mdat`
/// per picture (the `prft` is the picture's arrival at the media plane, NTP
/// time; strip it before appending to MSE); again text and init on a codec
/// or size change; `{"type": "end", "reason"}` when the stream stops.
#[utoipa::path(get, operation_id = "openLiveMse", path = "/api/live/{camera}/{role}/ws", tag = "live",
    params(("camera" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        ("ticket" = String, Query, description = "A live ticket for this camera and stream")),
    responses((status = 101, description = "switched to the WebSocket protocol"),
        (status = 401, body = ErrorBody, description = "no ticket, or one that is expired, spent or forged"),
        (status = 403, body = ErrorBody, description = "the ticket is for another camera, stream or tenant"),
        (status = 404, body = ErrorBody, description = "no such stream"),
        (status = 503, body = ErrorBody, description = "no media plane serves the stream")))]
#[allow(dead_code)]
pub fn open_live_mse() {}

/// Opens a Low-Latency HLS viewing session.
///
/// A multivariant playlist naming this session's media playlist
/// (`s/{session}/media.m3u8`): one segment per GOP, parts of about 200 ms,
/// blocking reload (`_HLS_msn`, `_HLS_part`) and preload hints. The session
/// lapses after 30 s unasked.
#[utoipa::path(get, operation_id = "openLiveHls", path = "/api/live/{camera}/{role}/hls/index.m3u8", tag = "live",
    params(("camera" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        ("ticket" = String, Query, description = "A live ticket for this camera and stream")),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 401, body = ErrorBody, description = "no ticket, or one that is expired, spent or forged"),
        (status = 403, body = ErrorBody, description = "the ticket is for another camera, stream or tenant"),
        (status = 404, body = ErrorBody, description = "no such stream"),
        (status = 503, body = ErrorBody, description = "no media plane serves the stream")))]
#[allow(dead_code)]
pub fn open_live_hls() {}

/// Reads a file of a Low-Latency HLS session: `media.m3u8`, the init
/// segment, a segment or a part.
#[utoipa::path(get, operation_id = "getLiveHlsFile", path = "/api/live/{camera}/{role}/hls/s/{session}/{file}", tag = "live",
    params(("camera" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        ("session" = String, Path, description = "The session of `openLiveHls`'s playlist"),
        ("file" = String, Path, description = "`media.m3u8`, `init<v>.mp4`, `seg<msn>.m4s` or `part<msn>.<i>.m4s`, as the playlist names them"),
        ("_HLS_msn" = Option<u64>, Query, description = "Blocking reload: answer once this segment exists"),
        ("_HLS_part" = Option<u64>, Query, description = "Blocking reload: and this part of it")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>,
            description = "the playlist (`application/vnd.apple.mpegurl`) or fMP4 (`video/mp4`)"),
        (status = 404, body = ErrorBody, description = "no such session or file (the session lapsed)")))]
#[allow(dead_code)]
pub fn get_live_hls_file() {}

/// The live operations, merged into the API's document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(start_whep, stop_whep, open_live_mse, open_live_hls, get_live_hls_file))]
pub struct LiveDoc;
