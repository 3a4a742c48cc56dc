//! Fan-out of one stream's frames to any number of consumers.
//!
//! Frames are reference-counted: every consumer gets the same allocation, no
//! payload is copied. A cache of the current group of pictures (from the last
//! keyframe) lets a new consumer start at once, with a decodable picture. Each
//! consumer has a bounded queue; one that falls behind loses its backlog and
//! skips to the next keyframe, so it never slows the camera or the others.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use bytes::Bytes;
use tokio::sync::Notify;

use crate::video::VideoParams;

/// One picture.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The coded picture (NAL units with 4-byte length prefixes).
    pub data: Bytes,
    /// Presentation time in 90 kHz ticks, monotonic across reconnects.
    pub pts: i64,
    /// Whether it decodes on its own.
    pub keyframe: bool,
    /// What it was coded with (shared by every frame until the camera changes it).
    pub params: Arc<VideoParams>,
    /// When it arrived, by the wall clock.
    pub arrived_at: chrono::DateTime<chrono::Utc>,
    /// The picture in Annex B form, made once by the first consumer that
    /// needs it (WebRTC) and shared by the others.
    pub annex_b: std::sync::OnceLock<Arc<[u8]>>,
}

impl Frame {
    /// The picture in Annex B form (start codes), with the parameter sets
    /// ahead of a keyframe that does not carry them in-band; converted once
    /// per picture, however many consumers ask.
    pub fn annex_b(&self) -> Arc<[u8]> {
        self.annex_b
            .get_or_init(|| {
                let nals = vms_codec::nal::split_length_prefixed(&self.data).unwrap_or_default();
                let codec = self.params.codec;
                let has_parameters = nals.iter().any(|n| codec.parameter_set(n).is_some());
                let mut out = Vec::with_capacity(self.data.len() + 64);
                if self.keyframe && !has_parameters {
                    for set in &self.params.parameter_sets {
                        out.extend_from_slice(&[0, 0, 0, 1]);
                        out.extend_from_slice(set);
                    }
                }
                for n in nals {
                    out.extend_from_slice(&[0, 0, 0, 1]);
                    out.extend_from_slice(n);
                }
                out.into()
            })
            .clone()
    }
}

/// A consumer's queue.
struct Queue {
    frames: Mutex<VecDeque<Arc<Frame>>>,
    capacity: usize,
    /// Set after an overflow: frames are dropped until the next keyframe.
    skipping: AtomicBool,
    /// Frames dropped for this consumer since it last asked ([`Consumer::take_lost`]).
    lost: AtomicU64,
    /// Frames dropped for every consumer of the hub, ever (for the metrics).
    dropped: Arc<AtomicU64>,
    closed: AtomicBool,
    notify: Notify,
}

impl Queue {
    fn lose(&self, frames: u64) {
        self.lost.fetch_add(frames, Ordering::Relaxed);
        self.dropped.fetch_add(frames, Ordering::Relaxed);
    }

    fn push(&self, frame: &Arc<Frame>) {
        let mut frames = self.frames.lock().expect("queue lock should not be poisoned");
        if frame.keyframe {
            self.skipping.store(false, Ordering::Relaxed);
        } else if self.skipping.load(Ordering::Relaxed) {
            self.lose(1);
            return;
        }
        if frames.len() >= self.capacity {
            // Too far behind: drop the backlog and resume at the next keyframe.
            self.lose(frames.len() as u64);
            frames.clear();
            if !frame.keyframe {
                self.lose(1);
                self.skipping.store(true, Ordering::Relaxed);
                return;
            }
        }
        frames.push_back(frame.clone());
        drop(frames);
        self.notify.notify_one();
    }
}

/// A picture presented before one that came ahead of it, by less than this
/// (90 kHz), is a B-frame; a longer step back is the camera's clock jumping.
const REORDER_WITHIN: i64 = 90_000;

/// The frames of one stream and who consumes them.
pub struct Hub {
    inner: Mutex<Inner>,
    /// Whether pictures came out of presentation order (B-frames) since the
    /// stream last broke.
    reordered: AtomicBool,
    /// Frames dropped for consumers that fell behind, all together, ever.
    dropped: Arc<AtomicU64>,
}

struct Inner {
    gop: Vec<Arc<Frame>>,
    consumers: Vec<Arc<Queue>>,
    /// The latest presentation time so far.
    max_pts: Option<i64>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner { gop: Vec::new(), consumers: Vec::new(), max_pts: None }),
            reordered: AtomicBool::new(false),
            dropped: Arc::default(),
        }
    }
}

impl Hub {
    /// Hands a frame to every consumer and keeps it in the GOP cache.
    pub fn publish(&self, frame: Frame) {
        let frame = Arc::new(frame);
        let mut inner = self.inner.lock().expect("hub lock should not be poisoned");
        if frame.keyframe {
            inner.gop.clear();
        }
        inner.max_pts = match inner.max_pts {
            Some(max) if max - frame.pts < REORDER_WITHIN => {
                if frame.pts < max {
                    self.reordered.store(true, Ordering::Relaxed);
                }
                Some(max.max(frame.pts))
            }
            // The first picture, or the clock jumped back: start again from here.
            _ => Some(frame.pts),
        };

        // Until the first keyframe there is nothing a new consumer could decode.
        if frame.keyframe || !inner.gop.is_empty() {
            inner.gop.push(frame.clone());
        }
        inner.consumers.retain(|q| Arc::strong_count(q) > 1 && !q.closed.load(Ordering::Relaxed));
        for q in &inner.consumers {
            q.push(&frame);
        }
    }

    /// Returns the latest keyframe, if the stream has one now (it had one
    /// since it last broke).
    pub fn latest_keyframe(&self) -> Option<Arc<Frame>> {
        self.inner.lock().expect("hub lock should not be poisoned").gop.first().cloned()
    }

    /// Returns the parameters of the latest decodable picture, if there is one now.
    pub fn params(&self) -> Option<Arc<VideoParams>> {
        let inner = self.inner.lock().expect("hub lock should not be poisoned");
        inner.gop.last().map(|f| f.params.clone())
    }

    /// Returns whether the stream's pictures come out of presentation order
    /// (it has B-frames), as seen since it last broke.
    pub fn reorders(&self) -> bool {
        self.reordered.load(Ordering::Relaxed)
    }

    /// Forgets the GOP cache (the stream broke; what comes next starts anew).
    pub fn reset(&self) {
        let mut inner = self.inner.lock().expect("hub lock should not be poisoned");
        inner.gop.clear();
        inner.max_pts = None;
        self.reordered.store(false, Ordering::Relaxed);
    }

    /// Frames dropped for consumers that fell behind (viewers, the
    /// restream, the recorder, analytics), all together, since the hub began.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Adds a consumer that starts at the latest keyframe and holds up to `capacity` frames.
    pub fn subscribe(&self, capacity: usize) -> Consumer {
        let mut inner = self.inner.lock().expect("hub lock should not be poisoned");
        let queue = Arc::new(Queue {
            frames: Mutex::new(inner.gop.iter().rev().take(capacity).rev().cloned().collect()),
            capacity: capacity.max(1),
            skipping: AtomicBool::new(inner.gop.len() > capacity),
            lost: AtomicU64::new(0),
            dropped: self.dropped.clone(),
            closed: AtomicBool::new(false),
            notify: Notify::new(),
        });
        inner.consumers.push(queue.clone());
        Consumer { queue }
    }

    /// Returns how many consumers are attached.
    pub fn consumers(&self) -> usize {
        let inner = self.inner.lock().expect("hub lock should not be poisoned");
        inner.consumers.iter().filter(|q| Arc::strong_count(q) > 1).count()
    }

    /// Ends every consumer (the stream is no longer assigned).
    pub fn close(&self) {
        let inner = self.inner.lock().expect("hub lock should not be poisoned");
        for q in &inner.consumers {
            q.closed.store(true, Ordering::Relaxed);
            q.notify.notify_one();
        }
    }
}

/// One consumer's end of a hub.
pub struct Consumer {
    queue: Arc<Queue>,
}

impl Consumer {
    /// Waits for the next frame; `None` once the hub is closed.
    pub async fn next(&mut self) -> Option<Arc<Frame>> {
        loop {
            let notified = self.queue.notify.notified();
            if let Some(frame) = self.queue.frames.lock().expect("queue lock should not be poisoned").pop_front() {
                return Some(frame);
            }
            if self.queue.closed.load(Ordering::Relaxed) {
                return None;
            }
            notified.await;
        }
    }

    /// Returns how many frames are waiting.
    pub fn pending(&self) -> usize {
        self.queue.frames.lock().expect("queue lock should not be poisoned").len()
    }

    /// Returns how many frames this consumer lost (fell behind and skipped)
    /// since the last call.
    pub fn take_lost(&self) -> u64 {
        self.queue.lost.swap(0, Ordering::Relaxed)
    }

    /// Returns whether the hub was closed (frames may still be waiting).
    pub fn is_closed(&self) -> bool {
        self.queue.closed.load(Ordering::Relaxed)
    }

    /// Returns a frame if one is waiting.
    pub fn try_next(&mut self) -> Option<Arc<Frame>> {
        self.queue.frames.lock().expect("queue lock should not be poisoned").pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(pts: i64, keyframe: bool) -> Frame {
        let params = Arc::new(VideoParams {
            codec: vms_codec::Codec::H264,
            width: 1280,
            height: 720,
            codec_string: "avc1.64001f".into(),
            parameter_sets: Vec::new(),
            sample_entry: Bytes::new(),
        });
        Frame {
            data: Bytes::from(vec![pts as u8; 1000]),
            pts,
            keyframe,
            params,
            arrived_at: chrono::Utc::now(),
            annex_b: Default::default(),
        }
    }

    fn drain(c: &mut Consumer) -> Vec<i64> {
        std::iter::from_fn(|| c.try_next()).map(|f| f.pts).collect()
    }

    #[test]
    fn consumers_share_frames_without_copies() {
        let hub = Hub::default();
        let (mut a, mut b) = (hub.subscribe(100), hub.subscribe(100));
        hub.publish(frame(0, true));
        let (fa, fb) = (a.try_next().unwrap(), b.try_next().unwrap());
        assert!(Arc::ptr_eq(&fa, &fb), "one allocation for every consumer");
        assert_eq!(fa.data.as_ptr(), fb.data.as_ptr());
    }

    #[test]
    fn a_new_consumer_starts_at_the_latest_keyframe() {
        let hub = Hub::default();
        for (pts, key) in [(0, false), (1, true), (2, false), (3, true), (4, false), (5, false)] {
            hub.publish(frame(pts, key));
        }
        let mut late = hub.subscribe(100);
        assert_eq!(drain(&mut late), vec![3, 4, 5]);
        hub.publish(frame(6, false));
        assert_eq!(drain(&mut late), vec![6]);
    }

    #[test]
    fn a_stalled_consumer_skips_to_the_next_keyframe_and_slows_nobody() {
        let hub = Hub::default();
        let mut fast = hub.subscribe(1000);
        let mut slow = hub.subscribe(4);
        // Keyframes at 0, 25 and 50; the slow consumer overflows at 4, 29 and would again at 54.
        let pattern: Vec<(i64, bool)> = (0..54).map(|i| (i, i % 25 == 0)).collect();
        let mut received = Vec::new();
        for (pts, key) in &pattern {
            hub.publish(frame(*pts, *key));
            received.extend(drain(&mut fast));
        }
        assert_eq!(received, (0..54).collect::<Vec<_>>(), "the fast consumer gets every frame");
        // The slow one never read: it holds at most its capacity, starting at a keyframe.
        let kept = drain(&mut slow);
        assert!(kept.len() <= 4, "{kept:?}");
        assert_eq!(kept.first(), Some(&50), "after overflow it resumes at the next keyframe: {kept:?}");
        assert_eq!(kept, vec![50, 51, 52, 53]);
        assert_eq!(fast.take_lost(), 0);
        assert_eq!(slow.take_lost(), 50, "every frame it did not get is counted as lost");
        assert_eq!(slow.take_lost(), 0, "and told once");
        assert_eq!(hub.dropped(), 50, "the hub counts every consumer's losses, for good");
    }

    #[test]
    fn annex_b_is_made_once_with_parameter_sets_ahead_of_a_keyframe() {
        let params = Arc::new(VideoParams {
            codec: vms_codec::Codec::H264,
            width: 1280,
            height: 720,
            codec_string: "avc1.64001f".into(),
            parameter_sets: vec![Bytes::from_static(&[0x67, 1]), Bytes::from_static(&[0x68, 2])],
            sample_entry: Bytes::new(),
        });
        let idr = Frame {
            data: Bytes::from_static(&[0, 0, 0, 2, 0x65, 9]),
            pts: 0,
            keyframe: true,
            params,
            arrived_at: chrono::Utc::now(),
            annex_b: Default::default(),
        };
        let first = idr.annex_b();
        assert_eq!(&first[..], &[0, 0, 0, 1, 0x67, 1, 0, 0, 0, 1, 0x68, 2, 0, 0, 0, 1, 0x65, 9]);
        assert!(Arc::ptr_eq(&first, &idr.annex_b()), "converted once, shared by every viewer");
    }

    #[tokio::test]
    async fn consumers_wait_for_frames_and_end_when_the_hub_closes() {
        let hub = Arc::new(Hub::default());
        let mut c = hub.subscribe(10);
        let publisher = hub.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            publisher.publish(frame(7, true));
            publisher.close();
        });
        assert_eq!(c.next().await.map(|f| f.pts), Some(7));
        assert!(c.next().await.is_none());
        drop(c);
        hub.publish(frame(8, true));
        assert_eq!(hub.consumers(), 0, "dropped consumers are forgotten");
    }

    #[test]
    fn pictures_out_of_presentation_order_mean_b_frames() {
        let hub = Hub::default();
        for (pts, key) in [(0, true), (3600, false), (7200, false), (10_800, false)] {
            hub.publish(frame(pts, key));
        }
        assert!(!hub.reorders(), "in order");
        hub.publish(frame(10_800 - 10 * 90_000, false));
        hub.publish(frame(10_800 - 10 * 90_000 + 3600, false));
        assert!(!hub.reorders(), "a clock jumping back is not reordering");
        // I P B B, in decoding order.
        for (pts, key) in [(0, true), (10_800, false), (3600, false), (7200, false)] {
            hub.publish(frame(1_000_000 + pts, key));
        }
        assert!(hub.reorders());
        hub.reset();
        assert!(!hub.reorders(), "a stream that broke is judged anew");
    }
}
