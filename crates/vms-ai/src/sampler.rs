//! Which pictures of a stream to decode and which to analyse, at a detect
//! rate far below the camera's: the due pictures are analysed; those in
//! between are decoded only when later pictures need them (H.264 marks
//! the ones nobody refers to, which are skipped); and when the detect
//! interval is as long as the keyframe interval, only keyframes are
//! decoded at all. After a gap (a reconnect, pictures lost) nothing is
//! decoded until the next keyframe.

use std::collections::VecDeque;

use vms_codec::{Codec, nal};

/// What to do with a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Neither decode nor analyse it.
    Skip,
    /// Decode it (later pictures need it), but do not analyse it.
    Decode,
    /// Decode and analyse it.
    Analyse,
}

/// The pacing of one stream.
#[derive(Debug)]
pub struct Sampler {
    interval_us: i64,
    next_due_us: Option<i64>,
    last_keyframe_us: Option<i64>,
    /// The last few keyframe intervals: a camera that varies its GOP (a
    /// "smart" codec) is paced by the longest, so one early keyframe does
    /// not switch it to keyframes only.
    keyframe_gaps: VecDeque<i64>,
    need_keyframe: bool,
}

/// Keyframe intervals remembered.
const GAPS: usize = 4;

impl Sampler {
    /// Paces to `fps` analysed pictures a second.
    pub fn new(fps: u32) -> Self {
        Self {
            interval_us: 1_000_000 / i64::from(fps.max(1)),
            next_due_us: None,
            last_keyframe_us: None,
            keyframe_gaps: VecDeque::with_capacity(GAPS),
            need_keyframe: true,
        }
    }

    /// Paces to `fps` from now on, keeping what it knows of the stream.
    pub fn set_fps(&mut self, fps: u32) {
        self.interval_us = 1_000_000 / i64::from(fps.max(1));
        self.next_due_us = None;
    }

    /// Forgets the decoder's state and the pacing grid: the next picture
    /// decoded is a keyframe, and is due. (A restarted media plane starts
    /// its presentation times again from zero.)
    pub fn restart(&mut self) {
        self.need_keyframe = true;
        self.last_keyframe_us = None;
        self.next_due_us = None;
    }

    /// Whether only keyframes are decoded (the detect interval is at least the keyframe interval).
    pub fn keyframes_only(&self) -> bool {
        self.keyframe_gaps.iter().max().is_some_and(|gap| self.interval_us >= *gap)
    }

    /// Decides for the picture presented at `pts_us` (microseconds), of
    /// `codec`, whose NAL units (length-prefixed) are `data`.
    pub fn decide(&mut self, codec: Codec, pts_us: i64, keyframe: bool, data: &[u8]) -> Decision {
        if keyframe {
            if let Some(last) = self.last_keyframe_us
                && pts_us > last
            {
                if self.keyframe_gaps.len() == GAPS {
                    self.keyframe_gaps.pop_front();
                }
                self.keyframe_gaps.push_back(pts_us - last);
            }
            self.last_keyframe_us = Some(pts_us);
            self.need_keyframe = false;
        } else if self.need_keyframe {
            return Decision::Skip;
        }
        // A time far behind the grid (the clock jumped back) starts a new grid.
        let due = match self.next_due_us {
            Some(next) => pts_us >= next || pts_us < next.saturating_sub(2 * self.interval_us),
            None => true,
        };
        if due {
            if self.keyframes_only() && !keyframe {
                return Decision::Skip;
            }
            // Keep to the grid; after a gap (or a clock jump back) start a new one.
            let next = self.next_due_us.map_or(pts_us, |n| n.saturating_add(self.interval_us));
            let ahead = pts_us.saturating_add(self.interval_us);
            self.next_due_us = Some(if next <= pts_us || next > ahead { ahead } else { next });
            return Decision::Analyse;
        }
        if self.keyframes_only() {
            // A keyframe decodes on its own: the ones not due are not needed.
            return Decision::Skip;
        }
        let referenced = nal::split_length_prefixed(data)
            .map(|units| units.iter().filter(|n| codec.is_vcl(n)).any(|n| codec.is_reference(n)))
            .unwrap_or(true);
        if referenced { Decision::Decode } else { Decision::Skip }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &[u8] = &[0, 0, 0, 2, 0x41, 0];
    const B: &[u8] = &[0, 0, 0, 2, 0x01, 0];
    const I: &[u8] = &[0, 0, 0, 2, 0x65, 0];

    fn run(sampler: &mut Sampler, frames: impl IntoIterator<Item = (i64, bool, &'static [u8])>) -> Vec<Decision> {
        frames.into_iter().map(|(t, key, data)| sampler.decide(Codec::H264, t, key, data)).collect()
    }

    #[test]
    fn five_of_twenty_five_are_analysed_and_disposable_ones_skipped() {
        let mut sampler = Sampler::new(5);
        // 25 fps, IPBPB…, a keyframe every 2 s.
        let frames: Vec<_> = (0..50)
            .map(|n| {
                (
                    n * 40_000,
                    n == 0,
                    if n == 0 {
                        I
                    } else if n % 2 == 1 {
                        P
                    } else {
                        B
                    },
                )
            })
            .collect();
        let decided = run(&mut sampler, frames);
        let analysed: Vec<usize> = (0..50).filter(|n| decided[*n] == Decision::Analyse).collect();
        assert_eq!(analysed, vec![0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
        for (n, d) in decided.iter().enumerate() {
            if *d != Decision::Analyse {
                let expect = if n % 2 == 1 { Decision::Decode } else { Decision::Skip };
                assert_eq!(*d, expect, "picture {n}");
            }
        }
    }

    #[test]
    fn nothing_is_decoded_before_the_first_keyframe_or_after_a_restart() {
        let mut sampler = Sampler::new(5);
        assert_eq!(run(&mut sampler, [(0, false, P), (40_000, false, P)]), vec![Decision::Skip; 2]);
        assert_eq!(sampler.decide(Codec::H264, 80_000, true, I), Decision::Analyse);
        sampler.restart();
        assert_eq!(sampler.decide(Codec::H264, 400_000, false, P), Decision::Skip);
        // A restarted media plane counts from zero again: its first keyframe is due at once.
        assert_eq!(sampler.decide(Codec::H264, 0, true, I), Decision::Analyse);
        assert_eq!(sampler.decide(Codec::H264, 200_000, false, P), Decision::Analyse);
    }

    #[test]
    fn one_early_keyframe_does_not_switch_to_keyframes_only() {
        let mut sampler = Sampler::new(1);
        // Keyframes every 4 s, then one 0.5 s after another (a scene change).
        for t in [0, 4_000_000, 8_000_000, 8_500_000] {
            sampler.decide(Codec::H264, t, true, I);
        }
        assert!(!sampler.keyframes_only());
        assert_eq!(sampler.decide(Codec::H264, 8_540_000, false, P), Decision::Decode);
    }

    #[test]
    fn a_clock_that_jumps_back_starts_a_new_grid() {
        let mut sampler = Sampler::new(5);
        assert_eq!(sampler.decide(Codec::H264, 100_000_000, true, I), Decision::Analyse);
        assert_eq!(sampler.decide(Codec::H264, 40_000, false, P), Decision::Analyse);
        assert_eq!(sampler.decide(Codec::H264, 80_000, false, P), Decision::Decode);
        assert_eq!(sampler.decide(Codec::H264, 240_000, false, P), Decision::Analyse);
    }

    #[test]
    fn a_slow_rate_decodes_keyframes_only() {
        let mut sampler = Sampler::new(1);
        // A keyframe every half second, 10 fps.
        let frames: Vec<_> = (0..30).map(|n| (n * 100_000, n % 5 == 0, if n % 5 == 0 { I } else { P })).collect();
        let decided = run(&mut sampler, frames);
        assert!(sampler.keyframes_only());
        // Once the keyframe interval is known, only the due keyframes are decoded.
        for (n, d) in decided.iter().enumerate().skip(6) {
            let expect = if n % 10 == 0 { Decision::Analyse } else { Decision::Skip };
            assert_eq!(*d, expect, "picture {n}");
        }
    }
}
