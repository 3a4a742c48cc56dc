//! What an online stream reports: frame rate, bit rate, picture size, codec
//! and the time of the last keyframe, over a sliding window.

use std::{collections::VecDeque, time::Instant};

use chrono::{DateTime, Utc};
use vms_bus::hot::StreamState;

const WINDOW: std::time::Duration = std::time::Duration::from_secs(5);

/// Running statistics of one stream.
pub(crate) struct Stats {
    codec: String,
    pub(crate) codec_string: Option<String>,
    pub(crate) dimensions: Option<(u32, u32)>,
    frames: VecDeque<(Instant, usize)>,
    last_keyframe: Option<DateTime<Utc>>,
}

impl Stats {
    pub(crate) fn new(codec: String) -> Self {
        Self { codec, codec_string: None, dimensions: None, frames: VecDeque::new(), last_keyframe: None }
    }

    /// Records a frame of `bytes`.
    pub(crate) fn frame(&mut self, bytes: usize, keyframe: bool) {
        let now = Instant::now();
        self.frames.push_back((now, bytes));
        while self.frames.front().is_some_and(|(t, _)| now.duration_since(*t) > WINDOW) {
            self.frames.pop_front();
        }
        if keyframe {
            self.last_keyframe = Some(Utc::now());
        }
    }

    fn rates(&self) -> Option<(f64, f64)> {
        let (first, _) = self.frames.front()?;
        let (last, _) = self.frames.back()?;
        let span = last.duration_since(*first).as_secs_f64();
        if self.frames.len() < 2 || span <= 0.0 {
            return None;
        }
        // Frames after the first, over the time they took.
        let fps = (self.frames.len() - 1) as f64 / span;
        let bits: usize = self.frames.iter().skip(1).map(|(_, b)| b * 8).sum();
        Some((fps, bits as f64 / span / 1000.0))
    }

    /// Returns the state to publish for an online stream.
    pub(crate) fn state(&self) -> StreamState {
        let rates = self.rates();
        StreamState {
            status: vms_bus::hot::StreamStatus::Online,
            codec: Some(self.codec.clone()),
            codec_string: self.codec_string.clone(),
            width: self.dimensions.map(|d| d.0),
            height: self.dimensions.map(|d| d.1),
            fps: rates.map(|r| (r.0 * 10.0).round() / 10.0),
            bitrate_kbps: rates.map(|r| r.1.round()),
            last_keyframe_at: self.last_keyframe,
            ..Default::default()
        }
    }
}
