//! Live pictures as fragmented MP4, for MSE and LL-HLS.
//!
//! RTP gives presentation times only, in decoding order. A live muxer cannot
//! wait for a whole group of pictures to derive decoding times the way the
//! recorder does, so [`DecodeClock`] derives them picture by picture: equal to
//! the presentation time until a picture shows up that is presented before one
//! already decoded (a B-frame); from then on decoding runs behind presentation
//! by the largest such step seen. Only the first B-frames of a stream are
//! presented a little before they are decoded, which browsers tolerate.

use std::sync::Arc;

use vms_codec::fmp4;

use crate::{fanout::Frame, video::VideoParams};

/// Picture duration assumed until one is measured (25 fps).
pub(crate) const NOMINAL_DURATION: i64 = 3600;

/// Derives decoding times from presentation times, one picture at a time.
#[derive(Debug, Default)]
pub(crate) struct DecodeClock {
    last: Option<i64>,
    shift: i64,
}

impl DecodeClock {
    /// Returns the decoding time of a picture presented at `pts`: never
    /// before the previous one's.
    pub(crate) fn dts(&mut self, pts: i64) -> i64 {
        let dts = match self.last {
            None => pts,
            Some(last) => {
                if pts - self.shift <= last {
                    self.shift = self.shift.max(last + 1 - pts).min(90_000);
                }
                (pts - self.shift).max(last + 1)
            }
        };
        self.last = Some(dts);
        dts
    }
}

/// The MIME type a browser's `MediaSource` needs for these parameters.
pub(crate) fn mime(params: &VideoParams) -> String {
    format!("video/mp4; codecs=\"{}\"", params.codec_string)
}

/// The init segment for `params`, if an MP4 sample entry could be built.
pub(crate) fn init(params: &VideoParams) -> Option<Vec<u8>> {
    (!params.sample_entry.is_empty()).then(|| fmp4::init_segment(&params.sample_entry, params.width, params.height))
}

/// A picture placed on the decoding timeline of one muxed output.
#[derive(Debug, Clone)]
pub(crate) struct Timed {
    pub(crate) frame: Arc<Frame>,
    /// Decoding time in ticks since the output began.
    pub(crate) dts: i64,
    /// Presentation time in ticks since the output began.
    pub(crate) pts: i64,
}

/// Writes one fragment holding `pictures`, the last lasting `last_duration`.
pub(crate) fn fragment(sequence: u32, pictures: &[Timed], last_duration: i64) -> Vec<u8> {
    fragment_after(Vec::new(), sequence, pictures, last_duration)
}

/// Like [`fragment`], written after `prefix` in one buffer.
pub(crate) fn fragment_after(prefix: Vec<u8>, sequence: u32, pictures: &[Timed], last_duration: i64) -> Vec<u8> {
    let samples: Vec<fmp4::Sample<'_>> = pictures
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let duration = pictures.get(i + 1).map_or(last_duration, |next| next.dts - p.dts);
            fmp4::Sample {
                data: &p.frame.data,
                duration: duration.clamp(1, 90_000) as u32,
                composition_offset: (p.pts - p.dts) as i32,
                keyframe: p.frame.keyframe,
            }
        })
        .collect();
    fmp4::fragment_after(prefix, sequence, pictures.first().map_or(0, |p| p.dts.max(0) as u64), &samples)
}

/// Places a stream's pictures on one output's timeline, which starts at 0
/// with its first picture.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    origin: Option<i64>,
    clock: DecodeClock,
    last_pts: Option<i64>,
    /// The last measured picture duration.
    pub(crate) duration: Option<i64>,
}

impl Timeline {
    /// Times `frame`.
    pub(crate) fn place(&mut self, frame: Arc<Frame>) -> Timed {
        let origin = *self.origin.get_or_insert(frame.pts);
        let pts = frame.pts - origin;
        if let Some(last) = self.last_pts
            && pts > last
            && pts - last <= 90_000
        {
            // The smallest forward step is the picture duration (B-frames step by several).
            self.duration = Some(self.duration.map_or(pts - last, |d| d.min(pts - last).max(1)));
        }
        self.last_pts = Some(self.last_pts.map_or(pts, |l| l.max(pts)));
        let dts = self.clock.dts(pts);
        Timed { frame, dts, pts }
    }

    /// The duration to give a picture whose successor is not known yet.
    pub(crate) fn nominal(&self) -> i64 {
        self.duration.unwrap_or(NOMINAL_DURATION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_b_frames_decoding_time_is_presentation_time() {
        let mut clock = DecodeClock::default();
        let dts: Vec<i64> = [0, 3600, 7200, 14400].into_iter().map(|p| clock.dts(p)).collect();
        assert_eq!(dts, vec![0, 3600, 7200, 14400]);
    }

    #[test]
    fn b_frames_push_decoding_behind_presentation_and_keep_it_monotonic() {
        let mut clock = DecodeClock::default();
        // I0 P3 B1 B2 P6 B4 B5 (in units of 3600).
        let pts = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8].map(|p| p * 3600);
        let dts: Vec<i64> = pts.iter().map(|p| clock.dts(*p)).collect();
        assert!(dts.windows(2).all(|w| w[0] < w[1]), "{dts:?}");
        // Once the shift is learned, every picture is decoded no later than it is shown.
        for (p, d) in pts.iter().zip(&dts).skip(4) {
            assert!(d <= p, "pts {p} dts {d}");
        }
    }
}
