//! Playback handlers. Both routes are public in `routes.rs` (players cannot
//! send a bearer token); the playlists spend a playlist ticket for the
//! camera and stream, the file route checks the playlist's fragment ticket
//! against the file asked for ([`super::ticket`]). Then the recorder that
//! holds the footage answers ([`crate::archive`]): it writes the playlist
//! and serves the bytes the ticket's window opens.

use axum::{
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::Response,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use vms_base::{ErrorCode, StreamRole};
use vms_catalog::{Scope, recording, scope};
use vms_ticket::Purpose;

use super::ticket;
use crate::extract::StreamPath;
use crate::{
    archive::{Call, encode, query_time},
    error::{ApiError, ErrorBody},
    recording_api::model::RangeQuery,
    state::{Archive, Catalog},
};

/// The window and the ticket.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlaylistQuery {
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339; after `start`, at most 31 days later.
    pub end: String,
    /// An archive ticket for this camera and stream; it opens one playlist.
    pub ticket: String,
}

/// An HLS playlist (fMP4) of what a camera stream recorded between `start`
/// and `end`: one `EXT-X-BYTERANGE` per fragment, starting at the keyframe
/// at or before `start`, with a discontinuity between files. Spends the
/// ticket; the fragment URLs carry a ticket of their own that opens only this
/// window's bytes and lives the window's length plus a margin.
#[utoipa::path(get, operation_id = "getPlaybackPlaylist", path = "/api/cameras/{id}/streams/{role}/playback.m3u8", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        PlaylistQuery),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn playlist(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    path: StreamPath,
    query: Result<Query<PlaylistQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    archive_playlist(&catalog, &archive, path, query, "all").await
}

/// The I-frame-only HLS playlist (`EXT-X-I-FRAMES-ONLY`) of the same
/// window, for fast forward and rewind above 4×: one entry per fragment,
/// its keyframe, with the same file URLs and tickets as the playlist.
#[utoipa::path(get, operation_id = "getIframePlaylist", path = "/api/cameras/{id}/streams/{role}/iframes.m3u8", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        PlaylistQuery),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn iframe_playlist(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    path: StreamPath,
    query: Result<Query<PlaylistQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    archive_playlist(&catalog, &archive, path, query, "iframes").await
}

async fn archive_playlist(
    catalog: &Catalog,
    archive: &Archive,
    StreamPath { camera, role }: StreamPath,
    query: Result<Query<PlaylistQuery>, QueryRejection>,
    kind: &str,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let (start, end) = RangeQuery { start: query.start, end: query.end }.window()?;
    let now = catalog.clock.now().timestamp();
    let ticket = ticket::spend_playlist_ticket(archive, now, &query.ticket, camera, role.as_str()).await?;
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(ticket.tid)).await?;
    let nodes = recording::nodes_in_window(&mut *tx, camera, role.as_str(), start, end).await?;
    drop(tx);
    let Some(node) = nodes.first() else {
        return Err(ApiError::new(ErrorCode::NotFound, "nothing is recorded in this window"));
    };
    let file_ticket = ticket::mint_fragment_ticket(archive, catalog.clock.now().timestamp(), &ticket, start, end);
    // The ticket rides in the path: players such as ffmpeg accept segments by their URL's extension.
    let segment_url = format!("/api/recordings/{{segment}}/{file_ticket}/video.mp4");
    let path = format!(
        "/archive/{camera}/{role}/playlist.m3u8?tenant={}&start={}&end={}&kind={kind}&segment_url={}",
        ticket.tid,
        query_time(start),
        query_time(end),
        encode(&segment_url)
    );
    Call::get(node.as_deref(), path).send(archive).await
}

/// The bytes of a recording file (whole, or the HTTP range asked for), for
/// HLS and MSE players, as far as they lie in the init segment or the
/// fragments overlapping the ticket's window (403 otherwise). The fragment
/// ticket a playlist minted is part of the path, so the URL still ends in
/// `.mp4` (players such as ffmpeg accept segments by their extension).
#[utoipa::path(get, operation_id = "getRecordingFile", path = "/api/recordings/{id}/{ticket}/video.mp4", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Segment id"),
        ("ticket" = String, Path, description = "The fragment ticket of a playlist of the segment's camera and stream")),
    responses((status = 200, content_type = "video/mp4", body = Vec<u8>), (status = 206, content_type = "video/mp4", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 416, body = ErrorBody)))]
pub async fn file(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    Path((id, ticket)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let id: Uuid = id.parse().map_err(|_| ApiError::invalid("id", "must be a UUID"))?;
    let (claims, window) = ticket::open_fragment_ticket(&archive, catalog.clock.now().timestamp(), &ticket).await?;
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(claims.tid)).await?;
    let segment = recording::segment(&mut *tx, id).await?;
    drop(tx);
    let segment = segment.ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("recording {id} not found")))?;
    claims.check(segment.camera_id, &segment.stream_role, Purpose::Fragments)?;
    let role: StreamRole = segment.stream_role.parse().map_err(ApiError::internal)?;
    let at = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).map(query_time).unwrap_or_default();
    let path = format!(
        "/archive/segments/{id}?tenant={}&camera={}&role={role}&start={}&end={}",
        claims.tid,
        segment.camera_id,
        at(window.start_ms),
        at(window.end_ms)
    );
    let mut call = Call::get(segment.node_id.as_deref(), path);
    call.range = headers.get(header::RANGE).cloned();
    call.send(&archive).await
}
