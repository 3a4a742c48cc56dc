//! Cuts one stream into LL-HLS segments (one per group of pictures) made of
//! parts of about 200 ms, each part one fMP4 fragment. Pure: pictures go in,
//! the window of recent segments comes out.

use std::{collections::VecDeque, sync::Arc};

use bytes::Bytes;
use chrono::{DateTime, Utc};

use crate::{
    fanout::Frame,
    live::mux::{self, Timed, Timeline},
    video::VideoParams,
};

/// A part closes once it holds this much video (the next picture would make it longer).
pub(crate) const PART_TARGET: f64 = 0.2;
/// Closing a part slightly early keeps it within the target at irregular frame rates.
const PART_CUT: f64 = 0.18;
/// Complete segments kept in the playlist window.
const WINDOW: usize = 6;

/// One part: a fragment of one or more pictures.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) data: Bytes,
    /// Seconds.
    pub(crate) duration: f64,
    /// Whether it starts with a keyframe.
    pub(crate) independent: bool,
}

/// One segment: a group of pictures.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    /// Media sequence number.
    pub(crate) msn: u64,
    pub(crate) parts: Vec<Part>,
    pub(crate) complete: bool,
    /// When its first picture arrived.
    pub(crate) started_at: DateTime<Utc>,
    /// Which init segment it needs.
    pub(crate) init: u32,
    /// Whether it follows a change of codec or resolution.
    pub(crate) discontinuity: bool,
}

impl Segment {
    /// Seconds.
    pub(crate) fn duration(&self) -> f64 {
        self.parts.iter().map(|p| p.duration).sum()
    }
}

/// The recent segments of a stream.
#[derive(Default)]
pub(crate) struct Segmenter {
    params: Option<Arc<VideoParams>>,
    /// Init segments by version (only the current one is kept).
    pub(crate) init: Option<(u32, Bytes)>,
    timeline: Timeline,
    pending: Vec<Timed>,
    pub(crate) segments: VecDeque<Segment>,
    next_msn: u64,
    sequence: u32,
    /// Discontinuities that have left the window (`EXT-X-DISCONTINUITY-SEQUENCE`).
    pub(crate) discontinuity_sequence: u64,
    /// The longest part so far, seconds.
    pub(crate) longest_part: f64,
}

impl Segmenter {
    /// Adds a picture; returns whether anything new can be served.
    pub(crate) fn push(&mut self, frame: Arc<Frame>) -> bool {
        let changed = self.params.as_ref().is_none_or(|p| **p != *frame.params);
        if changed {
            if !frame.keyframe {
                return false;
            }
            let Some(init) = mux::init(&frame.params) else {
                return false;
            };
            self.close_part(None, true);
            let version = self.init.as_ref().map_or(0, |(v, _)| v + 1);
            self.init = Some((version, Bytes::from(init)));
            self.params = Some(frame.params.clone());
            self.timeline = Timeline::default();
        }
        let timed = self.timeline.place(frame);
        let mut updated = false;
        if let Some(first) = self.pending.first() {
            let span = (timed.dts - first.dts) as f64 / 90_000.0;
            if timed.frame.keyframe || span >= PART_CUT {
                self.close_part(Some(timed.dts), timed.frame.keyframe);
                updated = true;
            }
        }
        if self.pending.is_empty() && self.segments.back().is_none_or(|s| s.complete) {
            if !timed.frame.keyframe {
                return updated;
            }
            let init = self.init.as_ref().map_or(0, |(v, _)| *v);
            let discontinuity = changed && self.next_msn > 0;
            self.segments.push_back(Segment {
                msn: self.next_msn,
                parts: Vec::new(),
                complete: false,
                started_at: timed.frame.arrived_at,
                init,
                discontinuity,
            });
            self.next_msn += 1;
            while self.segments.iter().filter(|s| s.complete).count() > WINDOW {
                if let Some(old) = self.segments.pop_front()
                    && old.discontinuity
                {
                    self.discontinuity_sequence += 1;
                }
            }
        }
        self.pending.push(timed);
        updated
    }

    /// Turns the pending pictures into a part; `next_dts` is the decoding
    /// time of the picture after them, if known. `end_segment` completes the
    /// segment too.
    fn close_part(&mut self, next_dts: Option<i64>, end_segment: bool) {
        if !self.pending.is_empty() {
            let last = self.pending.last().expect("pending is not empty");
            let last_duration = next_dts.map_or(self.timeline.nominal(), |n| (n - last.dts).max(1));
            let first_dts = self.pending[0].dts;
            let data = mux::fragment(self.sequence, &self.pending, last_duration);
            self.sequence = self.sequence.wrapping_add(1);
            let duration = (last.dts + last_duration - first_dts) as f64 / 90_000.0;
            self.longest_part = self.longest_part.max(duration);
            let part = Part { data: Bytes::from(data), duration, independent: self.pending[0].frame.keyframe };
            self.pending.clear();
            if let Some(segment) = self.segments.back_mut() {
                segment.parts.push(part);
            }
        }
        if end_segment && let Some(segment) = self.segments.back_mut() {
            segment.complete = true;
        }
    }

    /// The parameters of the pictures being cut now.
    pub(crate) fn params(&self) -> Option<&Arc<VideoParams>> {
        self.params.as_ref()
    }

    /// The announced part target: 200 ms, or the longest part if one ran longer.
    pub(crate) fn part_target(&self) -> f64 {
        self.longest_part.max(PART_TARGET)
    }

    /// Finds a segment by media sequence number.
    pub(crate) fn segment(&self, msn: u64) -> Option<&Segment> {
        let first = self.segments.front()?.msn;
        self.segments.get(usize::try_from(msn.checked_sub(first)?).ok()?)
    }

    /// The next part to be produced (media sequence number, part index).
    pub(crate) fn next_part(&self) -> Option<(u64, usize)> {
        let last = self.segments.back()?;
        Some(if last.complete { (last.msn + 1, 0) } else { (last.msn, last.parts.len()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(width: u32) -> Arc<VideoParams> {
        Arc::new(VideoParams {
            codec: vms_codec::Codec::H264,
            width,
            height: 720,
            codec_string: "avc1.64001f".into(),
            parameter_sets: Vec::new(),
            sample_entry: Bytes::from_static(b"\0\0\0\x08avc1"),
        })
    }

    fn frame(i: i64, gop: i64, p: &Arc<VideoParams>) -> Arc<Frame> {
        Arc::new(Frame {
            data: Bytes::from(vec![0, 0, 0, 1, 0x65]),
            pts: 1_000_000 + i * 3600,
            keyframe: i % gop == 0,
            params: p.clone(),
            arrived_at: Utc::now(),
            annex_b: Default::default(),
        })
    }

    #[test]
    fn segments_are_groups_of_pictures_made_of_200ms_parts() {
        let p = params(1280);
        let mut s = Segmenter::default();
        for i in 0..101 {
            s.push(frame(i, 50, &p));
        }
        // Pictures 0..50 and 50..100 are complete segments; 100 opens the third.
        assert_eq!(s.segments.len(), 3);
        let first = &s.segments[0];
        assert!(first.complete);
        assert_eq!(first.parts.len(), 10, "50 pictures at 25 fps in 200 ms parts");
        assert!(first.parts.iter().all(|p| (p.duration - 0.2).abs() < 1e-9));
        assert!(first.parts[0].independent && !first.parts[1].independent);
        assert!((first.duration() - 2.0).abs() < 1e-9);
        assert_eq!(s.next_part(), Some((2, 0)));
        assert!(s.part_target() <= 0.2 + 1e-9);
    }

    #[test]
    fn the_window_slides_and_a_new_resolution_starts_a_discontinuity() {
        let (a, b) = (params(1280), params(1920));
        let mut s = Segmenter::default();
        for i in 0..500 {
            s.push(frame(i, 25, &a));
        }
        assert_eq!(s.segments.iter().filter(|s| s.complete).count(), WINDOW);
        assert_eq!(s.segments.back().map(|s| s.msn), Some(19));
        for i in 500..510 {
            s.push(frame(i, 25, &b));
        }
        let last = s.segments.back().unwrap();
        assert!(last.discontinuity);
        assert_eq!(last.init, 1);
        assert_eq!(s.init.as_ref().map(|(v, _)| *v), Some(1));
        assert_eq!(s.segment(last.msn).map(|s| s.msn), Some(last.msn));
        assert!(s.segment(0).is_none(), "slid out of the window");
    }
}
