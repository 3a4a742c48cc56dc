//! LL-HLS, the last fallback of the browser player.
//!
//! A viewer opens `index.m3u8?ticket=…`: the ticket is spent on a new viewing
//! session, and the multivariant playlist points at the session's media
//! playlist under `s/<session>/`. Every viewer of a stream shares one
//! [`Segmenter`] fed from the stream's hub; it starts with the GOP cache's
//! keyframe and lives while anyone watches. Playlist requests may block for
//! a coming part (`_HLS_msn`, `_HLS_part`), and a part that the preload hint
//! names is served as soon as it is cut. A session ends when its viewer stops
//! asking, at shutdown, or when its user is revoked: its files are then 404.

mod playlist;
pub(crate) mod segmenter;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use bytes::Bytes;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use self::segmenter::Segmenter;
use crate::{fanout::Hub, viewers::Viewing};

/// A viewing session (and a stream's segmenter) is dropped after this long unasked.
const IDLE: Duration = Duration::from_secs(30);
/// How long a blocking request waits for what it asked for.
const BLOCK: Duration = Duration::from_secs(6);
/// How long the first request waits for the stream's first part.
const FIRST_PART: Duration = Duration::from_secs(10);

/// Why an HLS request gets no content.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HlsError {
    /// Unknown session, file, or a segment that left the window: 404.
    #[error("{0}")]
    NotFound(String),
    /// Nothing to serve yet: 503.
    #[error("{0}")]
    NotReady(String),
}

/// One stream's segmenter and who is watching it.
struct Feed {
    state: Mutex<Segmenter>,
    version: watch::Sender<u64>,
    touched: Mutex<Instant>,
}

impl Feed {
    fn touch(&self) {
        *self.touched.lock().expect("feed lock should not be poisoned") = Instant::now();
    }

    fn idle(&self) -> bool {
        self.touched.lock().expect("feed lock should not be poisoned").elapsed() > IDLE
    }

    /// Waits until `pick` finds something in the segmenter, or `limit` passes.
    async fn wait_for<T>(&self, limit: Duration, pick: impl Fn(&Segmenter) -> Option<T>) -> Option<T> {
        let deadline = tokio::time::Instant::now() + limit;
        let mut changes = self.version.subscribe();
        loop {
            if let Some(found) = pick(&self.state.lock().expect("segmenter lock should not be poisoned")) {
                return Some(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                _ => return None,
            }
        }
    }
}

/// What keeps a viewing session open: it ends once `end` is cancelled, and
/// holds its registration as a viewer until forgotten.
pub(crate) struct Viewer {
    pub(crate) end: CancellationToken,
    pub(crate) _viewing: Viewing,
}

struct Session {
    stream: (Uuid, vms_base::StreamRole),
    touched: Instant,
    viewer: Viewer,
}

impl Session {
    fn live(&self) -> bool {
        self.touched.elapsed() < IDLE && !self.viewer.end.is_cancelled()
    }
}

/// Every stream's segmenter and every viewing session.
#[derive(Default)]
pub(crate) struct Hls {
    feeds: Mutex<HashMap<(Uuid, vms_base::StreamRole), Arc<Feed>>>,
    sessions: Mutex<HashMap<String, Session>>,
}

/// What a playlist request asks to wait for.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Blocking {
    #[serde(rename = "_HLS_msn")]
    msn: Option<u64>,
    #[serde(rename = "_HLS_part")]
    part: Option<usize>,
}

impl Hls {
    /// Opens a viewing session of `hub` (whose ticket the caller checked,
    /// spending it on `session`) for `viewer`; returns the multivariant playlist.
    pub(crate) async fn open(
        self: &Arc<Self>,
        stream: (Uuid, vms_base::StreamRole),
        hub: Arc<Hub>,
        session: String,
        viewer: Viewer,
    ) -> Result<String, HlsError> {
        let feed = self.feed(stream, hub);
        feed.touch();
        let described = feed
            .wait_for(FIRST_PART, |s| {
                let params = s.segments.back().and_then(|seg| seg.parts.first()).and(s.params())?;
                Some((params.codec_string.clone(), params.width, params.height))
            })
            .await
            .ok_or_else(|| HlsError::NotReady("the stream has no picture yet".into()))?;
        self.sessions
            .lock()
            .expect("sessions lock should not be poisoned")
            .insert(session.clone(), Session { stream, touched: Instant::now(), viewer });
        Ok(playlist::multivariant(&session, &described.0, described.1, described.2))
    }

    /// Serves a file of a viewing session: `media.m3u8`, `init<v>.mp4`,
    /// `seg<msn>.m4s` or `part<msn>.<i>.m4s`. Returns its content type and
    /// body, in pieces to send one after another: a segment is its parts,
    /// shared with every viewer rather than copied into one buffer.
    pub(crate) async fn file(
        &self,
        stream: (Uuid, vms_base::StreamRole),
        session: &str,
        name: &str,
        blocking: Blocking,
    ) -> Result<(&'static str, Vec<Bytes>), HlsError> {
        let unknown = || HlsError::NotFound(format!("no viewing session {session} of this stream"));
        {
            let mut sessions = self.sessions.lock().expect("sessions lock should not be poisoned");
            sessions.retain(|_, s| s.live());
            let found = sessions.get_mut(session).filter(|s| s.stream == stream).ok_or_else(unknown)?;
            found.touched = Instant::now();
        }
        let feed = self.feeds.lock().expect("feeds lock should not be poisoned").get(&stream).cloned();
        let feed = feed.ok_or_else(|| HlsError::NotFound("the stream stopped; open it again".into()))?;
        feed.touch();
        let no_file = || HlsError::NotFound(format!("no such file: {name}"));
        if name == "media.m3u8" {
            let ready = |s: &Segmenter| match (blocking.msn, blocking.part) {
                (Some(msn), Some(part)) => {
                    s.segment(msn).is_some_and(|seg| seg.parts.len() > part || seg.complete)
                        || s.segments.back().is_some_and(|seg| seg.msn > msn)
                }
                (Some(msn), None) => {
                    s.segment(msn).is_some_and(|seg| seg.complete) || s.segments.back().is_some_and(|seg| seg.msn > msn)
                }
                _ => true,
            };
            let body = feed.wait_for(BLOCK, |s| ready(s).then(|| playlist::media(s))).await;
            let body = match body {
                Some(body) => body,
                None => playlist::media(&feed.state.lock().expect("segmenter lock should not be poisoned")),
            };
            return Ok(("application/vnd.apple.mpegurl", vec![Bytes::from(body)]));
        }
        if let Some(version) = name.strip_prefix("init").and_then(|n| n.strip_suffix(".mp4")) {
            let version: u32 = version.parse().map_err(|_| no_file())?;
            let state = feed.state.lock().expect("segmenter lock should not be poisoned");
            return match &state.init {
                Some((v, init)) if *v == version => Ok(("video/mp4", vec![init.clone()])),
                _ => Err(no_file()),
            };
        }
        if let Some(msn) = name.strip_prefix("seg").and_then(|n| n.strip_suffix(".m4s")) {
            let msn: u64 = msn.parse().map_err(|_| no_file())?;
            let body = feed
                .wait_for(BLOCK, |s| match s.segment(msn) {
                    Some(seg) if seg.complete => {
                        Some(Some(seg.parts.iter().map(|p| p.data.clone()).collect::<Vec<_>>()))
                    }
                    Some(_) => None,
                    None if s.next_part().is_some_and(|(next, _)| next >= msn) => None,
                    None => Some(None),
                })
                .await
                .flatten()
                .ok_or_else(no_file)?;
            return Ok(("video/mp4", body));
        }
        if let Some((msn, part)) =
            name.strip_prefix("part").and_then(|n| n.strip_suffix(".m4s")).and_then(|n| n.split_once('.'))
        {
            let (msn, part): (u64, usize) = (msn.parse().map_err(|_| no_file())?, part.parse().map_err(|_| no_file())?);
            let body = feed
                .wait_for(BLOCK, |s| match s.segment(msn) {
                    Some(seg) => match seg.parts.get(part) {
                        Some(p) => Some(Some(p.data.clone())),
                        None if seg.complete => Some(None),
                        None => None,
                    },
                    None if s.next_part().is_some_and(|(next, _)| next >= msn) => None,
                    None => Some(None),
                })
                .await
                .flatten()
                .ok_or_else(no_file)?;
            return Ok(("video/mp4", vec![body]));
        }
        Err(no_file())
    }

    /// Returns the stream's feed, starting one if nobody watches it yet.
    fn feed(self: &Arc<Self>, stream: (Uuid, vms_base::StreamRole), hub: Arc<Hub>) -> Arc<Feed> {
        let mut feeds = self.feeds.lock().expect("feeds lock should not be poisoned");
        if let Some(feed) = feeds.get(&stream) {
            return feed.clone();
        }
        let feed = Arc::new(Feed {
            state: Mutex::new(Segmenter::default()),
            version: watch::Sender::new(0),
            touched: Mutex::new(Instant::now()),
        });
        feeds.insert(stream, feed.clone());
        let (hls, running) = (self.clone(), feed.clone());
        tokio::spawn(async move {
            let mut frames = hub.subscribe(100);
            while let Some(frame) = frames.next().await {
                if running.idle() {
                    break;
                }
                let updated = running.state.lock().expect("segmenter lock should not be poisoned").push(frame);
                if updated {
                    running.version.send_modify(|v| *v += 1);
                }
            }
            let mut feeds = hls.feeds.lock().expect("feeds lock should not be poisoned");
            if feeds.get(&stream).is_some_and(|f| Arc::ptr_eq(f, &running)) {
                feeds.remove(&stream);
            }
            tracing::debug!(camera_id = %stream.0, stream = %stream.1, "LL-HLS segmenter stopped");
        });
        feed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fanout::Frame, video::VideoParams};

    #[tokio::test]
    async fn viewers_share_one_segmenter_that_follows_the_stream() {
        let hub = Arc::new(Hub::default());
        let params = Arc::new(VideoParams {
            codec: vms_codec::Codec::H264,
            width: 640,
            height: 360,
            codec_string: "avc1.64001e".into(),
            parameter_sets: Vec::new(),
            sample_entry: Bytes::from_static(b"\0\0\0\x08avc1"),
        });
        let publisher = hub.clone();
        tokio::spawn(async move {
            for i in 0..150i64 {
                let data = Bytes::from(vec![0, 0, 0, 1, 0x65]);
                let frame = Frame {
                    data,
                    pts: i * 3600,
                    keyframe: i % 25 == 0,
                    params: params.clone(),
                    arrived_at: chrono::Utc::now(),
                    annex_b: Default::default(),
                };
                publisher.publish(frame);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        let hls = Arc::new(Hls::default());
        let stream = (Uuid::new_v4(), vms_base::StreamRole::Main);
        let end = tokio_util::sync::CancellationToken::new();
        let viewer = Viewer {
            end: end.clone(),
            _viewing: crate::viewers::Viewers::default().watch(
                Uuid::nil(),
                0,
                end,
                crate::viewers::Watched {
                    camera: Uuid::nil(),
                    role: vms_base::StreamRole::Main,
                    transport: crate::viewers::Transport::Hls,
                },
            ),
        };
        let index = hls.open(stream, hub.clone(), "one".into(), viewer).await.unwrap();
        assert!(index.contains("s/one/media.m3u8") && index.contains("avc1.64001e"), "{index}");
        let blocking = Blocking { msn: Some(4), part: None };
        let (_, playlist) = hls.file(stream, "one", "media.m3u8", blocking).await.unwrap();
        let playlist = String::from_utf8(playlist.concat()).unwrap();
        assert!(playlist.contains("seg4.m4s"), "{playlist}");
        let (_, segment) = hls.file(stream, "one", "seg3.m4s", Blocking::default()).await.unwrap();
        assert_eq!(vms_codec::fmp4::boxes(&segment.concat()).0.len(), 2 * 5, "five parts of moof+mdat");
        assert!(hls.file(stream, "two", "media.m3u8", Blocking::default()).await.is_err(), "unknown session");
    }
}
