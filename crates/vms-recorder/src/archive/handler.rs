//! Playback handlers: a window's playlist, and a file's bytes within the
//! window a playlist opened. Control has checked the user's tickets and
//! names the tenant, camera, stream and window; the index is read in that
//! tenant.

use std::path::{Path as FsPath, PathBuf};

use axum::{
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;
use vms_base::{ErrorCode, StreamRole};
use vms_catalog::{CatalogError, Scope, recording, scope};
use vms_http::Refusal;

use super::{
    Archive, bytes, iframes,
    playlist::{self, Part},
    span, window,
};

/// Most fragments one playlist lists (about 28 hours of 2 s GOPs); a
/// longer window is refused rather than answered with a huge playlist.
const MAX_FRAGMENTS: usize = 50_000;
/// The placeholder `segment_url` must hold, replaced by each file's id.
const SEGMENT: &str = "{segment}";
/// Longest `segment_url` taken.
const MAX_URL: usize = 4096;

/// Which playlist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// Every fragment, for playing at up to 4×.
    #[default]
    All,
    /// One keyframe per fragment (`EXT-X-I-FRAMES-ONLY`), for fast forward and rewind.
    Iframes,
}

/// What a playlist is of.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlaylistQuery {
    tenant: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    #[serde(default)]
    kind: Kind,
    /// The URL of a file's bytes as players will ask for it, with
    /// `{segment}` where the file's id goes.
    segment_url: String,
}

pub(crate) fn refused(e: CatalogError) -> Refusal {
    use vms_base::ServiceError;
    let code = e.code();
    if code == ErrorCode::Internal {
        tracing::error!(error = %e, "archive index read failed");
        return Refusal::new(ErrorCode::Unavailable, "the recording index cannot be read now");
    }
    Refusal::new(code, e.to_string())
}

pub(crate) fn bad_query(e: QueryRejection) -> Refusal {
    Refusal::new(ErrorCode::InvalidArgument, e.body_text())
}

pub(crate) fn parse_stream(camera: &str, role: &str) -> Result<(Uuid, StreamRole), Refusal> {
    let camera =
        camera.parse().map_err(|_| Refusal::new(ErrorCode::InvalidArgument, "the camera id must be a UUID"))?;
    let role = role.parse().map_err(|e| Refusal::new(ErrorCode::NotFound, format!("no such stream: {e}")))?;
    Ok((camera, role))
}

/// The playlist of a camera stream's window: every fragment (`kind=all`)
/// or its keyframes (`kind=iframes`), each file after a discontinuity.
pub(crate) async fn playlist(
    State(archive): State<Archive>,
    Path((camera, role)): Path<(String, String)>,
    query: Result<Query<PlaylistQuery>, QueryRejection>,
) -> Result<Response, Refusal> {
    let (camera, role) = parse_stream(&camera, &role)?;
    let Query(q) = query.map_err(bad_query)?;
    if q.end <= q.start {
        return Err(Refusal::new(ErrorCode::InvalidArgument, "end must be after start"));
    }
    if q.segment_url.len() > MAX_URL || !q.segment_url.contains(SEGMENT) {
        return Err(Refusal::new(ErrorCode::InvalidArgument, "segment_url must hold {segment}, in at most 4096 bytes"));
    }
    let mut tx = scope::begin(&archive.db, Scope::Tenant(q.tenant)).await.map_err(refused)?;
    // Counted before any is read: a long window of short GOPs is refused, not loaded.
    let count = recording::count_fragments(&mut *tx, camera, role.as_str(), q.start, q.end).await.map_err(refused)?;
    if count > MAX_FRAGMENTS as i64 {
        return Err(Refusal::new(
            ErrorCode::InvalidArgument,
            format!("the window holds {count} fragments, a playlist at most {MAX_FRAGMENTS}: ask for a shorter window"),
        ));
    }
    let files = window::recorded(&mut tx, camera, role.as_str(), q.start, q.end).await.map_err(refused)?;
    drop(tx);
    let parts: Vec<Part<'_>> = files
        .iter()
        .map(|f| Part { segment: &f.segment, init_len: f.init_len(), fragments: f.in_window(q.start, q.end) })
        .collect();
    let count: usize = parts.iter().map(|p| p.fragments.len()).sum();
    if count == 0 {
        return Err(Refusal::new(ErrorCode::NotFound, "nothing is recorded in this window"));
    }
    let url = |s: &recording::Segment| q.segment_url.replace(SEGMENT, &s.id.to_string());
    let text = match q.kind {
        Kind::All => playlist::write(&parts, url),
        Kind::Iframes => {
            // Reading every fragment's moof is disk work: a few playlists at a time,
            // the turn held by the reads themselves (they run on if the request goes).
            let turn = archive.iframe_reads.clone().acquire_owned().await.expect("the gate is never closed");
            let located = iframes::locate_all(&archive, &parts, turn).await.ok_or_else(|| {
                Refusal::new(ErrorCode::NotFound, "no keyframe of this window could be read on this recorder")
            })?;
            iframes::write(&parts, &located, url)
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/vnd.apple.mpegurl"), (header::CACHE_CONTROL, "no-store")], text)
        .into_response())
}

/// Whose bytes, and the window that opens them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BytesQuery {
    tenant: Uuid,
    camera: Uuid,
    role: StreamRole,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// A recording file's bytes (whole, or the HTTP range asked for), as far as
/// they lie in the init segment or the fragments overlapping the window
/// (403 otherwise). The file must be of the camera stream named.
pub(crate) async fn segment_bytes(
    State(archive): State<Archive>,
    Path(id): Path<Uuid>,
    query: Result<Query<BytesQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let Query(q) = query.map_err(bad_query)?;
    let mut tx = scope::begin(&archive.db, Scope::Tenant(q.tenant)).await.map_err(refused)?;
    let segment = recording::segment(&mut *tx, id).await.map_err(refused)?;
    let not_found = || Refusal::new(ErrorCode::NotFound, format!("recording {id} not found"));
    let segment = segment.ok_or_else(not_found)?;
    if segment.camera_id != q.camera || segment.stream_role != q.role.as_str() {
        return Err(Refusal::new(ErrorCode::PermissionDenied, "the recording is not of this camera stream"));
    }
    let fragments = recording::fragments(&mut *tx, id).await.map_err(refused)?;
    drop(tx);
    let path = archive.file_of(&segment).ok_or_else(not_found)?;
    let opened = span::opened(&fragments, q.start, q.end);
    bytes::serve(&path, Some(&opened), headers.get(header::RANGE).and_then(|v| v.to_str().ok()), "video/mp4").await
}

impl Archive {
    /// Where `segment`'s file is, if this recorder holds it: written by this
    /// node (or by a node the index does not name), under one of its storage
    /// roots, along a path that does not climb out of the root.
    pub(crate) fn file_of(&self, segment: &recording::Segment) -> Option<PathBuf> {
        let root = FsPath::new(&segment.root);
        let relative = FsPath::new(&segment.path);
        let ours = segment.node_id.as_deref().is_none_or(|n| n == &*self.node);
        let climbs = relative.components().any(|c| !matches!(c, std::path::Component::Normal(_)));
        (ours && !climbs && self.roots.iter().any(|r| r == root)).then(|| root.join(relative))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::archive::export::registry::Exports;

    fn archive() -> Archive {
        let db = sqlx::postgres::PgPoolOptions::new().connect_lazy("postgres://nobody@localhost/none").unwrap();
        let exports = Exports::new(
            "/tmp/none".into(),
            ed25519_dalek::SigningKey::from_bytes(&[1; 32]),
            db.clone(),
            "a".into(),
            vms_config::ExportConfig::default(),
        );
        Archive {
            db,
            node: "a".into(),
            roots: Arc::new(vec![PathBuf::from("/data/recordings")]),
            exports: Arc::new(exports),
            thumbnails: Arc::default(),
            iframe_reads: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    fn segment(node: Option<&str>, root: &str, path: &str) -> recording::Segment {
        let t = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        recording::Segment {
            id: Uuid::nil(),
            camera_id: Uuid::nil(),
            stream_role: "main".into(),
            root: root.into(),
            path: path.into(),
            start_time: t,
            end_time: t,
            bytes: 0,
            codec: "avc1.64001f".into(),
            width: 2,
            height: 2,
            open: false,
            node_id: node.map(Into::into),
        }
    }

    #[tokio::test]
    async fn only_this_recorders_own_files_are_opened() {
        let archive = archive();
        let ours = archive.file_of(&segment(Some("a"), "/data/recordings", "c/main/f.mp4"));
        assert_eq!(ours, Some(PathBuf::from("/data/recordings/c/main/f.mp4")));
        assert!(archive.file_of(&segment(None, "/data/recordings", "c/main/f.mp4")).is_some(), "a file of no node");
        assert!(archive.file_of(&segment(Some("b"), "/data/recordings", "c/f.mp4")).is_none(), "another node's");
        assert!(archive.file_of(&segment(Some("a"), "/etc", "passwd")).is_none(), "outside the roots");
        assert!(archive.file_of(&segment(Some("a"), "/data/recordings", "../../etc/passwd")).is_none(), "climbing out");
        assert!(archive.file_of(&segment(Some("a"), "/data/recordings", "/etc/passwd")).is_none(), "absolute");
    }
}
