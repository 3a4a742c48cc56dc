//! Thumbnails for a timeline: the keyframe at or before a moment (the first
//! picture of the fragment holding it), decoded and scaled down to a small
//! JPEG. Recorded footage does not change, so thumbnails are kept in a
//! cache bounded in bytes, by file, fragment and width; decoding runs on the blocking
//! pool, a few at a time, so a timeline scrubbed fast cannot take every core.

use std::{
    collections::{HashMap, VecDeque},
    fs::File,
    io::{Read, Seek, SeekFrom},
    path::PathBuf,
    sync::{Arc, Mutex},
};

use axum::{
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Deserialize;
use tokio::sync::Semaphore;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{Scope, recording::Fragment, scope};
use vms_codec::fmp4;
use vms_http::Refusal;

use super::{
    Archive,
    handler::{bad_query, parse_stream, refused},
    iframes, window,
};

/// Bytes of thumbnails kept (a 320-pixel JPEG is about 10 KiB).
const CACHED_BYTES: usize = 32 << 20;
/// Width when none is asked for.
const DEFAULT_WIDTH: u32 = 320;
/// Widths taken.
const WIDTHS: std::ops::RangeInclusive<u32> = 32..=1280;
/// Keyframes decoded at once.
const DECODING: usize = 2;
/// Largest init segment read (a few hundred bytes in practice).
const MAX_INIT: u64 = 1 << 20;
/// Largest keyframe read.
const MAX_PICTURE: u64 = 16 << 20;
/// Largest picture decoded, in pixels (8K UHD): a file claiming more is
/// refused rather than decoded.
const MAX_PIXELS: i64 = 7680 * 4320;

type Key = (Uuid, i32, u32);

/// The JPEGs by key, the keys oldest first (the first to go), and the bytes held.
type Cache = (HashMap<Key, Arc<[u8]>>, VecDeque<Key>, usize);

/// The cache, and the gate of the decoders.
pub(crate) struct Thumbnails {
    cached: Mutex<Cache>,
    decoding: Arc<Semaphore>,
}

impl Default for Thumbnails {
    fn default() -> Self {
        Self { cached: Mutex::default(), decoding: Arc::new(Semaphore::new(DECODING)) }
    }
}

impl Thumbnails {
    fn get(&self, key: &Key) -> Option<Arc<[u8]>> {
        self.cached.lock().expect("thumbnail cache lock should not be poisoned").0.get(key).cloned()
    }

    fn put(&self, key: Key, jpeg: Arc<[u8]>) {
        let mut cached = self.cached.lock().expect("thumbnail cache lock should not be poisoned");
        let (map, order, bytes) = &mut *cached;
        *bytes += jpeg.len();
        match map.insert(key, jpeg) {
            Some(old) => *bytes -= old.len(),
            None => order.push_back(key),
        }
        while *bytes > CACHED_BYTES {
            let Some(oldest) = order.pop_front() else { break };
            if let Some(gone) = map.remove(&oldest) {
                *bytes -= gone.len();
            }
        }
    }
}

/// The moment and the size.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThumbnailQuery {
    tenant: Uuid,
    at: DateTime<Utc>,
    width: Option<u32>,
}

/// A JPEG of the keyframe at or before `at` in a camera stream's footage,
/// at most `width` pixels wide (320 by default, 32 to 1280); 404 where
/// nothing is recorded at `at`. The `x-picture-time` header says when the
/// picture was taken.
pub(crate) async fn thumbnail(
    State(archive): State<Archive>,
    Path((camera, role)): Path<(String, String)>,
    query: Result<Query<ThumbnailQuery>, QueryRejection>,
) -> Result<Response, Refusal> {
    let (camera, role) = parse_stream(&camera, &role)?;
    let Query(q) = query.map_err(bad_query)?;
    let width = q.width.unwrap_or(DEFAULT_WIDTH);
    if !WIDTHS.contains(&width) {
        return Err(Refusal::new(ErrorCode::InvalidArgument, "width must be between 32 and 1280"));
    }
    let mut tx = scope::begin(&archive.db, Scope::Tenant(q.tenant)).await.map_err(refused)?;
    let just_after = q.at + TimeDelta::milliseconds(1);
    let files = window::recorded(&mut tx, camera, role.as_str(), q.at, just_after).await.map_err(refused)?;
    drop(tx);
    let found = files.iter().rev().find_map(|f| Some((f, f.in_window(q.at, just_after).last().copied()?.clone())));
    let Some((file, fragment)) = found else {
        return Err(Refusal::new(ErrorCode::NotFound, format!("nothing is recorded at {}", q.at.to_rfc3339())));
    };
    let taken = fragment.start_time.to_rfc3339_opts(SecondsFormat::Millis, true);
    let key = (file.segment.id, fragment.seq, width);
    let jpeg = match archive.thumbnails.get(&key) {
        Some(jpeg) => jpeg,
        None => {
            let path = archive.file_of(&file.segment).ok_or_else(|| {
                Refusal::new(ErrorCode::NotFound, format!("recording {} is not held by this recorder", file.segment.id))
            })?;
            if i64::from(file.segment.width) * i64::from(file.segment.height) > MAX_PIXELS {
                return Err(Refusal::new(
                    ErrorCode::UnsupportedMedia,
                    "the recording's pictures are too large to thumbnail",
                ));
            }
            // The turn goes with the decode, which runs to its end even if this request is dropped.
            let turn =
                archive.thumbnails.decoding.clone().acquire_owned().await.expect("the decoding gate is never closed");
            let init_len = file.init_len().max(0) as u64;
            let made = tokio::task::spawn_blocking(move || {
                let _turn = turn;
                picture(path, init_len, &fragment, width)
            })
            .await
            .map_err(|e| Refusal::new(ErrorCode::Internal, format!("the thumbnail task failed: {e}")))??;
            let jpeg: Arc<[u8]> = made.into();
            archive.thumbnails.put(key, jpeg.clone());
            jpeg
        }
    };
    let headers = [
        (header::CONTENT_TYPE, "image/jpeg".to_owned()),
        (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        (header::HeaderName::from_static("x-picture-time"), taken),
    ];
    Ok((headers, jpeg.to_vec()).into_response())
}

/// Reads the keyframe of `fragment` from the file at `path` and makes its JPEG.
fn picture(path: PathBuf, init_len: u64, fragment: &Fragment, width: u32) -> Result<Vec<u8>, Refusal> {
    let unreadable = |what: &str| {
        tracing::warn!(path = %path.display(), what, "a thumbnail's file is unreadable");
        Refusal::new(ErrorCode::NotFound, format!("the recording's {what} is unreadable"))
    };
    let mut file = File::open(&path).map_err(|_| unreadable("file"))?;
    if init_len == 0 || init_len > MAX_INIT {
        return Err(unreadable("init segment"));
    }
    let mut init = vec![0u8; init_len as usize];
    file.read_exact(&mut init).map_err(|_| unreadable("init segment"))?;
    let (codec, sets) = fmp4::parameter_sets(&init).ok_or_else(|| unreadable("decoder configuration"))?;
    let keyframe = iframes::keyframe_of(&mut file, fragment).ok().flatten().ok_or_else(|| unreadable("keyframe"))?;
    if keyframe.sample_len > MAX_PICTURE {
        return Err(unreadable("keyframe"));
    }
    let mut sample = vec![0u8; keyframe.sample_len as usize];
    file.seek(SeekFrom::Start(keyframe.offset + keyframe.len - keyframe.sample_len))
        .and_then(|_| file.read_exact(&mut sample))
        .map_err(|_| unreadable("keyframe"))?;
    let jpeg = vms_video::keyframe_jpeg(codec, sets.iter().map(|s| &s[..]), &sample, Some(width)).map_err(|e| {
        tracing::warn!(path = %path.display(), error = %e, "a recorded keyframe did not decode");
        Refusal::new(ErrorCode::Internal, "the recorded keyframe did not decode")
    })?;
    Ok(jpeg.data)
}
