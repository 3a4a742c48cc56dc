//! Playback handlers. Both routes are public in `routes.rs` (players cannot
//! send a bearer token); the playlist spends a playlist ticket for the camera
//! and stream, the file route checks the playlist's fragment ticket against
//! the file and byte range asked for ([`super::ticket`]), and both read the
//! index in the ticket's tenant.

use std::{io::SeekFrom, path::Path as FsPath};

use axum::{
    body::Body,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;
use utoipa::IntoParams;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{Scope, recording, scope};
use vms_ticket::{Purpose, TicketError};

use super::{
    playlist::{self, Part},
    span, ticket, window,
};
use crate::extract::StreamPath;
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    recording_api::model::RangeQuery,
};

/// The window and the ticket.
#[derive(Debug, Deserialize, IntoParams)]
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
#[utoipa::path(get, path = "/api/cameras/{id}/streams/{role}/playback.m3u8", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`"),
        PlaylistQuery),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl", body = String),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn playlist(
    State(state): State<AppState>,
    StreamPath { camera, role }: StreamPath,
    query: Result<Query<PlaylistQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let role = role.as_str();
    let (start, end) = RangeQuery { start: query.start, end: query.end }.window()?;
    let ticket = ticket::spend_playlist_ticket(&state, &query.ticket, camera, role).await?;
    let mut tx = scope::begin(&state.db, Scope::Tenant(ticket.tid)).await?;
    let files = window::recorded(&mut tx, camera, role, start, end).await?;
    drop(tx);
    if files.is_empty() {
        return Err(ApiError::new(ErrorCode::NotFound, "nothing is recorded in this window"));
    }
    let file_ticket = ticket::mint_fragment_ticket(&state, &ticket, start, end);
    let parts: Vec<Part<'_>> = files
        .iter()
        .map(|f| Part { segment: &f.segment, init_len: f.init_len(), fragments: f.in_window(start, end) })
        .collect();
    // The ticket rides in the path: players such as ffmpeg accept segments by their URL's extension.
    let text = playlist::write(&parts, |s| format!("/api/recordings/{}/{file_ticket}/video.mp4", s.id));
    Ok(([(header::CONTENT_TYPE, "application/vnd.apple.mpegurl"), (header::CACHE_CONTROL, "no-store")], text)
        .into_response())
}

/// Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range of a `len`-byte file.
fn byte_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let spec = header.strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.checked_sub(n.min(len))?, len.checked_sub(1)?)
        }
        (a, "") => (a.parse().ok()?, len.checked_sub(1)?),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(len.checked_sub(1)?)),
    };
    (start <= end && end < len).then_some((start, end))
}

/// The bytes of a recording file (whole, or the HTTP range asked for), for
/// HLS and MSE players, as far as they lie in the init segment or the
/// fragments overlapping the ticket's window (403 otherwise). The fragment
/// ticket a playlist minted is part of the path, so the URL still ends in
/// `.mp4` (players such as ffmpeg accept segments by their extension).
#[utoipa::path(get, path = "/api/recordings/{id}/{ticket}/video.mp4", tag = "playback",
    params(("id" = uuid::Uuid, Path, description = "Segment id"),
        ("ticket" = String, Path, description = "The fragment ticket of a playlist of the segment's camera and stream")),
    responses((status = 200, content_type = "video/mp4", body = Vec<u8>), (status = 206, content_type = "video/mp4", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 416, body = ErrorBody)))]
pub async fn file(
    State(state): State<AppState>,
    Path((id, ticket)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id: Uuid = id.parse().map_err(|_| ApiError::invalid("id", "must be a UUID"))?;
    let (claims, window) = ticket::open_fragment_ticket(&state, &ticket).await?;
    let mut tx = scope::begin(&state.db, Scope::Tenant(claims.tid)).await?;
    let segment = recording::segment(&mut *tx, id).await?;
    let fragments = match &segment {
        Some(_) => recording::fragments(&mut *tx, id).await?,
        None => Vec::new(),
    };
    drop(tx);
    let not_found = || ApiError::new(ErrorCode::NotFound, format!("recording {id} not found"));
    let segment = segment.ok_or_else(not_found)?;
    claims.check(segment.camera_id, &segment.stream_role, Purpose::Fragments)?;
    let opened = span::opened(&fragments, window);
    let path = FsPath::new(&segment.root).join(&segment.path);
    let mut file = tokio::fs::File::open(&path).await.map_err(|_| not_found())?;
    let len = file.metadata().await.map_err(ApiError::internal)?.len();
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, len.saturating_sub(1)),
        Some(r) => match byte_range(r, len) {
            Some((a, b)) => (StatusCode::PARTIAL_CONTENT, a, b),
            None => {
                let refused = [(header::CONTENT_RANGE, format!("bytes */{len}"))];
                return Ok((StatusCode::RANGE_NOT_SATISFIABLE, refused).into_response());
            }
        },
    };
    if !span::covers(&opened, start, end) {
        return Err(TicketError::OutsideWindow.into());
    }
    file.seek(SeekFrom::Start(start)).await.map_err(ApiError::internal)?;
    let count = if len == 0 { 0 } else { end - start + 1 };
    let body = Body::from_stream(ReaderStream::new(file.take(count)));
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, "video/mp4".parse().expect("a valid header"));
    h.insert(header::ACCEPT_RANGES, "bytes".parse().expect("a valid header"));
    h.insert(header::CONTENT_LENGTH, count.into());
    if status == StatusCode::PARTIAL_CONTENT {
        let value = format!("bytes {start}-{end}/{len}");
        h.insert(header::CONTENT_RANGE, value.parse().expect("a valid header"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_parse_like_http_says() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(byte_range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=-100", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=990-2000", 1000), Some((990, 999)));
        assert_eq!(byte_range("bytes=1000-1001", 1000), None, "past the end");
        assert_eq!(byte_range("bytes=5-1", 1000), None);
        assert_eq!(byte_range("bytes=0-1,5-6", 1000), None, "one range only");
        assert_eq!(byte_range("items=0-1", 1000), None);
    }
}
