//! Motion detection on a small luma plane (about 120 rows, area-averaged
//! by [`vms_video::gray::GrayScaler`]).
//!
//! Each picture is blurred and compared with a running-average background.
//! A dim or flat scene gets a lower threshold, by the gain a contrast
//! stretch of the background would apply ([`ops::contrast_gain`]); the
//! pictures themselves are not stretched, so a bright object entering a dim
//! scene (which moves its percentiles) changes nothing but its own pixels,
//! and nothing bright is clipped away. The design
//! starts from Frigate's improved detector and mends what it gets wrong:
//!
//! - **Global brightness shifts** (auto-exposure, clouds) are taken out
//!   before comparing: the difference between the picture's and the
//!   background's median is subtracted, so a uniform change is no motion at
//!   any size, not only above a "lightning" fraction.
//! - **A sudden global change** (lights, IR cut filter) that is not uniform
//!   changes more than [`GLOBAL_CHANGE`] of the picture, or a good part of
//!   it spread over nearly every part of the picture ([`spread`]): the detector
//!   re-learns the background quickly and reports no motion until the
//!   picture has been quiet for [`CALM_FRAMES`] pictures in a row (not one).
//! - **Noise** sets its own floor: the threshold is the larger of the
//!   sensitivity's and four times the median difference of the picture, so a
//!   grainy night scene does not turn into motion everywhere.
//! - **Camera shake** of a pixel is tolerated: a pixel is compared with the
//!   smallest and largest background value around it, not with one value.
//! - **The background keeps learning where nothing moves**, pixel by pixel,
//!   instead of freezing everywhere while anything moves; something that
//!   stops moving (a parked car) joins the background after
//!   [`ABSORB_FRAMES`] unchanged pictures.
//! - Regions are bounded by their real pixels (the dilation's margin taken
//!   off) and nearby ones merged.
//!
//! [`events`] turns the per-picture answers into motion start and end.

pub mod events;
mod ops;
mod regions;

use serde::{Deserialize, Serialize};
use vms_video::gray::Gray;

use crate::geometry::{Polygon, Rect};

/// Share of the picture that, changing at once, is a global change (lights,
/// IR cut) rather than motion.
const GLOBAL_CHANGE: f32 = 0.6;
/// A smaller share that still is a global change when spread over at least
/// [`SPREAD`] of the picture's cells (something close to the camera fills
/// a part of the picture, a change of light touches all of it).
const SPREAD_CHANGE: f32 = 0.25;
/// Share of the picture's cells (an 8 × 8 grid) that must have changed.
const SPREAD: f32 = 0.8;
/// Quiet pictures in a row that end a re-calibration.
const CALM_FRAMES: u32 = 3;
/// Share of the picture that may still change in a "quiet" picture while re-calibrating.
const CALM_CHANGE: f32 = 0.02;
/// The longest re-calibration, in pictures: a scene that never settles is
/// watched again rather than ignored.
const MAX_CALIBRATION: u32 = 50;
/// How fast the background follows the picture where nothing moves.
const ALPHA: f32 = 0.02;
/// How fast it follows while re-calibrating.
const CALIBRATION_ALPHA: f32 = 0.5;
/// Pictures a changed pixel must stay unchanged before it joins the background.
const ABSORB_FRAMES: u8 = 5;
/// The values a dim scene's 2nd–98th percentile range counts as spread over.
const SPAN: f32 = 160.0;
/// The most a dim scene's threshold is lowered (÷4).
const MAX_GAIN: f32 = 4.0;
/// The lowest threshold, in luma values, whatever the gain.
const MIN_THRESHOLD: f32 = 3.0;

/// How eager a camera's motion detection is, and where it looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 1 (only large, strong changes) to 100 (the faintest); 50 by default.
    pub sensitivity: u8,
    /// Areas never looked at (a clock overlay, a tree, a busy road).
    pub masks: Vec<Polygon>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { sensitivity: 50, masks: Vec::new() }
    }
}

impl Settings {
    /// The difference a pixel must exceed: 50 at sensitivity 1, 30 at 50, 10 at 100.
    fn threshold(&self) -> f32 {
        let s = f32::from(self.sensitivity.clamp(1, 100));
        10.0 + (100.0 - s) * 0.404
    }

    /// The fewest changed pixels a region needs: 16 at sensitivity 1, 10 at 50, 4 at 100.
    fn min_pixels(&self) -> usize {
        let s = f32::from(self.sensitivity.clamp(1, 100));
        (4.0 + (100.0 - s) * 0.1212).round() as usize
    }
}

/// What one picture showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Motion {
    /// Where things moved, normalised 0–1; empty while calibrating.
    pub boxes: Vec<Rect>,
    /// Share of the (unmasked) picture that changed.
    pub changed: f32,
    /// Whether the detector is re-learning the scene after a global change.
    pub calibrating: bool,
}

impl Motion {
    /// Whether anything moved.
    pub fn any(&self) -> bool {
        !self.boxes.is_empty()
    }
}

/// One camera's motion detector; feed it pictures in order.
pub struct MotionDetector {
    settings: Settings,
    state: Option<State>,
}

/// What the detector has learned of a scene of one size.
struct State {
    width: usize,
    height: usize,
    /// Pixels looked at (false under a mask).
    watched: Vec<bool>,
    watched_count: usize,
    background: Vec<f32>,
    previous: Vec<u8>,
    /// For each changed pixel, the pictures it has stayed unchanged.
    still: Vec<u8>,
    /// Running estimate of the median picture-to-background difference.
    noise: f32,
    /// Pictures into the current re-calibration, and calm ones in a row.
    calibration: Option<(u32, u32)>,
}

impl MotionDetector {
    /// A detector with `settings`.
    pub fn new(settings: Settings) -> Self {
        Self { settings, state: None }
    }

    /// Changes the settings; the scene is learned again.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
        self.state = None;
    }

    /// Looks at the next picture. The first of a scene (and the first after
    /// a size change) only teaches the background.
    pub fn detect(&mut self, picture: &Gray) -> Motion {
        let (width, height) = (picture.width as usize, picture.height as usize);
        if width < 3 || height < 3 || picture.data.len() != width * height {
            return Motion::default();
        }
        let frame = ops::blur(&picture.data, width, height);
        let state = match &mut self.state {
            Some(state) if state.width == width && state.height == height => state,
            _ => {
                self.state = Some(State::new(&frame, width, height, &self.settings.masks));
                return Motion::default();
            }
        };
        state.detect(&frame, &self.settings)
    }
}

impl State {
    fn new(frame: &[u8], width: usize, height: usize, masks: &[Polygon]) -> Self {
        let mut watched = vec![true; width * height];
        for mask in masks {
            for (w, masked) in watched.iter_mut().zip(mask.rasterize(width, height)) {
                *w &= !masked;
            }
        }
        let watched_count = watched.iter().filter(|w| **w).count();
        Self {
            width,
            height,
            watched,
            watched_count,
            background: frame.iter().map(|p| f32::from(*p)).collect(),
            previous: frame.to_vec(),
            still: vec![0; frame.len()],
            noise: 0.0,
            calibration: None,
        }
    }

    fn detect(&mut self, frame: &[u8], settings: &Settings) -> Motion {
        let (w, h) = (self.width, self.height);
        let background: Vec<u8> = self.background.iter().map(|b| b.round() as u8).collect();
        // A uniform brightness change is taken out before comparing.
        let offset = self.median(frame) - self.median(&background);
        let (low, high) = (ops::min3(&background, w, h), ops::max3(&background, w, h));
        let mut raw = Vec::with_capacity(self.watched_count);
        let mut changed = vec![0u8; frame.len()];
        let gain = {
            let watched = background.iter().zip(&self.watched).filter(|(_, w)| **w).map(|(p, _)| *p);
            let (histogram, total) = ops::histogram(watched);
            ops::contrast_gain(&histogram, total, SPAN, MAX_GAIN)
        };
        let threshold = (settings.threshold() / gain).max(4.0 * self.noise).max(MIN_THRESHOLD);
        let mut changed_count = 0;
        for i in 0..frame.len() {
            if !self.watched[i] {
                continue;
            }
            let p = f32::from(frame[i]) - offset;
            raw.push((p - self.background[i]).abs().min(255.0) as u8);
            // Tolerate a pixel's worth of shake: compare with the neighbourhood's range.
            let d = (p - f32::from(high[i])).max(f32::from(low[i]) - p);
            if d > threshold {
                changed[i] = 1;
                changed_count += 1;
            }
        }
        let (histogram, total) = ops::histogram(raw.into_iter());
        let median = f32::from(ops::percentile(&histogram, total, 0.5));
        self.noise = if self.noise == 0.0 { median } else { self.noise * 0.9 + median * 0.1 };
        let share = changed_count as f32 / self.watched_count.max(1) as f32;

        let global = share > GLOBAL_CHANGE || (share > SPREAD_CHANGE && self.spread(&changed) >= SPREAD);
        if global && self.calibration.is_none() {
            tracing::debug!(share, "global change: re-learning the scene");
            self.calibration = Some((0, 0));
        }
        if let Some((frames, calm)) = &mut self.calibration {
            *frames += 1;
            *calm = if share < CALM_CHANGE { *calm + 1 } else { 0 };
            let done = *calm >= CALM_FRAMES || *frames >= MAX_CALIBRATION;
            for (b, p) in self.background.iter_mut().zip(frame) {
                *b += (f32::from(*p) - *b) * CALIBRATION_ALPHA;
            }
            self.still.fill(0);
            self.previous.copy_from_slice(frame);
            if done {
                self.calibration = None;
            }
            return Motion { boxes: Vec::new(), changed: share, calibrating: true };
        }

        self.learn(frame, &changed, threshold);
        let dilated = ops::max3(&changed, w, h);
        let found = regions::regions(&dilated, w, h)
            .into_iter()
            // The dilation grew each region by a pixel; count its real pixels.
            .map(|mut r| {
                r.pixels = (r.top..=r.bottom)
                    .flat_map(|y| (r.left..=r.right).map(move |x| y * w + x))
                    .filter(|i| changed[*i] != 0)
                    .count();
                r
            })
            .filter(|r| r.pixels >= settings.min_pixels())
            .collect();
        let boxes = regions::merge_near(found, 2)
            .into_iter()
            .map(|r| {
                // Take the dilation's margin off where the region is not at the border.
                let (left, top) = ((r.left + 1).min(r.right), (r.top + 1).min(r.bottom));
                let (right, bottom) = (r.right.saturating_sub(1).max(left), r.bottom.saturating_sub(1).max(top));
                Rect {
                    x: left as f32 / w as f32,
                    y: top as f32 / h as f32,
                    w: (right + 1 - left) as f32 / w as f32,
                    h: (bottom + 1 - top) as f32 / h as f32,
                }
            })
            .collect();
        Motion { boxes, changed: share, calibrating: false }
    }

    /// Updates the background: where nothing changed it follows the picture
    /// slowly; a changed pixel that has stopped changing joins it after
    /// [`ABSORB_FRAMES`] pictures.
    fn learn(&mut self, frame: &[u8], changed: &[u8], threshold: f32) {
        for i in 0..frame.len() {
            let p = f32::from(frame[i]);
            if changed[i] == 0 {
                self.background[i] += (p - self.background[i]) * ALPHA;
                self.still[i] = 0;
            } else if (f32::from(self.previous[i]) - p).abs() <= threshold / 2.0 {
                self.still[i] = self.still[i].saturating_add(1);
                if self.still[i] >= ABSORB_FRAMES {
                    self.background[i] = p;
                    self.still[i] = 0;
                }
            } else {
                self.still[i] = 0;
            }
        }
        self.previous.copy_from_slice(frame);
    }

    /// Share of the picture's cells (8 × 8) where more than a tenth of the
    /// watched pixels changed, of the cells with any watched pixel.
    fn spread(&self, changed: &[u8]) -> f32 {
        const CELLS: usize = 8;
        let mut watched = [0u32; CELLS * CELLS];
        let mut hit = [0u32; CELLS * CELLS];
        for (i, c) in changed.iter().enumerate() {
            if !self.watched[i] {
                continue;
            }
            let cell = (i / self.width * CELLS / self.height) * CELLS + (i % self.width * CELLS / self.width);
            watched[cell] += 1;
            hit[cell] += u32::from(*c);
        }
        let cells = watched.iter().filter(|w| **w > 0).count();
        let touched = watched.iter().zip(&hit).filter(|(w, h)| **w > 0 && **h * 10 > **w).count();
        touched as f32 / cells.max(1) as f32
    }

    /// The median of the watched pixels of `plane`.
    fn median(&self, plane: &[u8]) -> f32 {
        let watched = plane.iter().zip(&self.watched).filter(|(_, w)| **w).map(|(p, _)| *p);
        let (histogram, total) = ops::histogram(watched);
        f32::from(ops::percentile(&histogram, total, 0.5))
    }
}

#[cfg(test)]
mod tests;
