//! Groups of pictures, as the recorder writes them: one fragment each.
//!
//! RTP carries presentation times only. MP4 wants decoding times too, and
//! with B-frames the two differ, so each GOP's decoding times are its
//! presentation times in order, shifted back just enough that no picture
//! is decoded after it is shown. Without B-frames the shift is zero and
//! decoding time equals presentation time.

use bytes::Bytes;

/// Nominal picture duration (25 fps in 90 kHz ticks), for the last picture
/// of a stream that ends without a next one to measure against.
const NOMINAL_DURATION: i64 = 3600;

/// One received picture.
#[derive(Debug, Clone)]
pub(crate) struct Picture {
    /// NAL units with 4-byte length prefixes.
    pub(crate) data: Bytes,
    /// Presentation time, 90 kHz.
    pub(crate) pts: i64,
    /// Whether it decodes on its own.
    pub(crate) keyframe: bool,
    /// When it arrived, by the wall clock.
    pub(crate) arrived_at: chrono::DateTime<chrono::Utc>,
}

/// A picture placed on the decoding timeline.
#[derive(Debug, Clone)]
pub(crate) struct Timed {
    pub(crate) picture: Picture,
    /// Decoding time, 90 kHz.
    pub(crate) dts: i64,
    /// Time until the next picture's decoding time.
    pub(crate) duration: u32,
}

impl Timed {
    /// Presentation minus decoding time.
    pub(crate) fn composition_offset(&self) -> i32 {
        (self.picture.pts - self.dts) as i32
    }
}

/// Collects pictures into GOPs and times them.
#[derive(Default)]
pub(crate) struct GopBuilder {
    pending: Vec<Picture>,
    /// How far decoding times sit before presentation times; only grows.
    shift: i64,
    /// Duration of the last picture handed out, for a stream's last picture.
    last_duration: Option<i64>,
}

impl GopBuilder {
    /// Adds a picture; returns the GOP it completes (a keyframe completes
    /// the one before it). Pictures before the first keyframe are dropped:
    /// nothing could decode them.
    pub(crate) fn push(&mut self, picture: Picture) -> Option<Vec<Timed>> {
        if picture.keyframe && !self.pending.is_empty() {
            let next_pts = picture.pts;
            let done = std::mem::replace(&mut self.pending, vec![picture]);
            return Some(self.time(done, Some(next_pts)));
        }
        if self.pending.is_empty() && !picture.keyframe {
            return None;
        }
        self.pending.push(picture);
        None
    }

    /// Returns the GOP in progress, timed without a next picture (the stream ended).
    pub(crate) fn finish(&mut self) -> Option<Vec<Timed>> {
        let done = std::mem::take(&mut self.pending);
        (!done.is_empty()).then(|| self.time(done, None))
    }

    fn time(&mut self, gop: Vec<Picture>, next_pts: Option<i64>) -> Vec<Timed> {
        let mut order: Vec<i64> = gop.iter().map(|p| p.pts).collect();
        order.sort_unstable();
        let need = order.iter().zip(&gop).map(|(sorted, p)| sorted - p.pts).max().unwrap_or(0);
        self.shift = self.shift.max(need);
        let dts: Vec<i64> = order.iter().map(|t| t - self.shift).collect();
        let next_dts = next_pts.map(|t| t - self.shift);
        // The picture spacing of this GOP: its shortest step. A picture with
        // nothing after it lasts that long, not as long as the step before
        // it, which spans missing pictures when a stream is cut after a
        // P-frame whose B-frames never came.
        let spacing = dts.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 0).min();
        let mut timed = Vec::with_capacity(gop.len());
        for (i, picture) in gop.into_iter().enumerate() {
            let following = dts.get(i + 1).copied().or(next_dts);
            let duration = match following {
                Some(next) if next > dts[i] => next - dts[i],
                _ => spacing.or(self.last_duration).unwrap_or(NOMINAL_DURATION),
            };
            self.last_duration = Some(duration);
            timed.push(Timed { picture, dts: dts[i], duration: u32::try_from(duration).unwrap_or(u32::MAX) });
        }
        timed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(pts: i64, keyframe: bool) -> Picture {
        Picture { data: Bytes::from_static(&[0, 0, 0, 1, 0x65]), pts, keyframe, arrived_at: chrono::Utc::now() }
    }

    #[test]
    fn without_b_frames_decoding_time_is_presentation_time() {
        let mut gops = GopBuilder::default();
        assert!(gops.push(picture(-3600, false)).is_none(), "pictures before a keyframe are dropped");
        for pts in [0, 3600, 7200] {
            assert!(gops.push(picture(pts, pts == 0)).is_none());
        }
        let gop = gops.push(picture(10_800, true)).unwrap();
        let timing: Vec<(i64, u32, i32)> = gop.iter().map(|t| (t.dts, t.duration, t.composition_offset())).collect();
        assert_eq!(timing, vec![(0, 3600, 0), (3600, 3600, 0), (7200, 3600, 0)]);
        let last = gops.finish().unwrap();
        assert_eq!((last[0].dts, last[0].duration), (10_800, 3600), "the last picture keeps the cadence");
        assert!(gops.finish().is_none());
    }

    #[test]
    fn b_frames_decode_before_they_show() {
        let mut gops = GopBuilder::default();
        // Decoding order I P B B P B B, shown as I B B P B B P.
        for (pts, key) in [(0, true), (10_800, false), (3600, false), (7200, false), (21_600, false)] {
            gops.push(picture(pts, key));
        }
        gops.push(picture(14_400, false));
        gops.push(picture(18_000, false));
        let gop = gops.push(picture(25_200, true)).unwrap();
        let dts: Vec<i64> = gop.iter().map(|t| t.dts).collect();
        assert!(dts.windows(2).all(|w| w[0] < w[1]), "decoding times increase: {dts:?}");
        assert!(gop.iter().all(|t| t.composition_offset() >= 0), "nothing shows before it decodes");
        assert!(gop.iter().all(|t| t.duration == 3600));
        assert_eq!(gop[0].composition_offset(), 3600, "shifted by one picture");
    }

    #[test]
    fn a_stream_cut_after_a_p_frame_ends_one_picture_after_it() {
        let mut gops = GopBuilder::default();
        // Decoding order I P B B P, then the stream stops: the last P-frame's
        // B-frames never came, so pictures 4 and 5 (of 40 ms) are missing.
        for (pts, key) in [(0, true), (10_800, false), (3600, false), (7200, false), (21_600, false)] {
            gops.push(picture(pts, key));
        }
        let last = gops.finish().unwrap();
        let end = last.iter().map(|t| t.dts + i64::from(t.duration)).max().unwrap();
        let start = last.iter().map(|t| t.dts).min().unwrap();
        assert_eq!(end - start, 25_200, "seven pictures' time: five shown and the two missing, no more");
        assert_eq!(last.iter().find(|t| t.picture.pts == 21_600).unwrap().duration, 3600);
    }
}
