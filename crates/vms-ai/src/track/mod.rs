//! Following detected objects from picture to picture, ByteTrack-style:
//! each track's box is predicted by a Kalman filter ([`kalman`], one step
//! per analysed picture); confident detections are matched to tracks
//! first, then the unsure ones to the tracks still unmatched (so an object
//! half hidden for a moment keeps its track, and a new one's doubtful
//! sightings count against it); a track is confirmed after
//! [`Settings::confirm_hits`] matches when the median of its recent scores
//! clears [`Settings::min_score`] (one lucky score does not make an
//! object), survives [`Settings::max_missed_us`] without a match (a short
//! occlusion), and is stationary once its centre has stayed put for
//! [`Settings::stationary_after_us`].

mod kalman;

use std::collections::VecDeque;

use crate::geometry::Rect;

/// One detection in a picture, normalised 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// Index into the model's labels.
    pub label: usize,
    /// Confidence, 0–1.
    pub score: f32,
    /// Where.
    pub rect: Rect,
}

/// The tracker's tuning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Detections at least this sure are matched first and may start tracks.
    pub high: f32,
    /// Detections below this are ignored; between it and `high` they only
    /// keep existing tracks alive.
    pub low: f32,
    /// The least overlap (IoU) of a confident detection with its track.
    pub match_iou: f32,
    /// The least overlap of an unsure detection with its track.
    pub low_match_iou: f32,
    /// Matches before a track counts.
    pub confirm_hits: u32,
    /// The median of a track's recent scores it needs to count.
    pub min_score: f32,
    /// How long (µs) a confirmed track lives on without a match.
    pub max_missed_us: i64,
    /// How long (µs) a track's centre must stay put for it to be stationary.
    pub stationary_after_us: i64,
    /// How far (normalised) a centre may wander and still be put.
    pub stationary_move: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            high: 0.5,
            low: 0.1,
            match_iou: 0.2,
            low_match_iou: 0.4,
            confirm_hits: 2,
            min_score: 0.5,
            max_missed_us: 2_000_000,
            stationary_after_us: 5_000_000,
            stationary_move: 0.02,
        }
    }
}

impl Settings {
    /// The defaults with `floor` as the score objects need: detections as
    /// sure start tracks; those down to half of it (or 0.1, whichever is
    /// lower) keep them, or count against new ones.
    pub fn with_floor(floor: f32) -> Self {
        Self { high: floor, low: (floor / 2.0).min(0.1), min_score: floor, ..Self::default() }
    }
}

/// Scores remembered per track for its median.
const SCORES: usize = 10;

/// An object being followed.
#[derive(Debug, Clone)]
pub struct Track {
    /// Stable id, unique within the tracker.
    pub id: u64,
    /// Its label.
    pub label: usize,
    /// Where it is now (the filter's estimate).
    pub rect: Rect,
    /// Where it was last seen: the box of the detection last matched to it.
    pub seen: Rect,
    /// When it was first seen (arrival time, Unix µs).
    pub first_us: i64,
    /// When it was last matched.
    pub last_us: i64,
    /// Its best score, when and where.
    pub best: (f32, i64, Rect),
    /// Whether it counts (confirmed).
    pub confirmed: bool,
    /// Whether it has stopped moving.
    pub stationary: bool,
    axes: [kalman::Axis; 4],
    scores: VecDeque<f32>,
    hits: u32,
    missed: u32,
    /// Where the centre was when it last moved, and when.
    anchor: (f32, f32, i64),
}

/// What changed among the tracks.
#[derive(Debug, Clone)]
pub enum TrackEvent {
    /// A track was confirmed: an object appeared.
    Appeared(Track),
    /// A confirmed track went unmatched too long: the object left.
    Left(Track),
}

/// The tracks of one camera.
#[derive(Debug, Default)]
pub struct Tracker {
    settings: Settings,
    tracks: Vec<Track>,
    next_id: u64,
}

impl Tracker {
    /// A tracker with `settings` and no tracks.
    pub fn new(settings: Settings) -> Self {
        Self { settings, tracks: Vec::new(), next_id: 1 }
    }

    /// Tunes the tracker anew; the tracks go on.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// The tracks, confirmed or not.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// Takes the detections of the picture that arrived at `at_us`.
    pub fn update(&mut self, at_us: i64, detections: &[Detection]) -> Vec<TrackEvent> {
        let s = self.settings;
        for t in &mut self.tracks {
            t.predict();
        }
        let mut matched = vec![false; self.tracks.len()];
        let (high, low): (Vec<&Detection>, Vec<&Detection>) =
            detections.iter().filter(|d| d.score >= s.low).partition(|d| d.score >= s.high);
        let unmatched_high = self.assign(at_us, &high, &mut matched, s.match_iou);
        self.assign(at_us, &low, &mut matched, s.low_match_iou);
        let mut events = Vec::new();
        for (t, m) in self.tracks.iter_mut().zip(&matched) {
            if *m {
                if !t.confirmed && t.hits >= s.confirm_hits && t.median_score() >= s.min_score {
                    t.confirmed = true;
                    events.push(TrackEvent::Appeared(t.clone()));
                }
                t.settle(&s, at_us);
            } else {
                t.missed += 1;
            }
        }
        let mut kept = Vec::with_capacity(self.tracks.len());
        for t in self.tracks.drain(..) {
            // An unconfirmed track is dropped at its first miss; a confirmed one outlives a short occlusion.
            let gone = if t.confirmed { at_us.saturating_sub(t.last_us) > s.max_missed_us } else { t.missed > 0 };
            match (gone, t.confirmed) {
                (false, _) => kept.push(t),
                (true, true) => events.push(TrackEvent::Left(t)),
                (true, false) => {}
            }
        }
        self.tracks = kept;
        for d in unmatched_high {
            let id = self.next_id;
            self.next_id += 1;
            self.tracks.push(Track::new(id, d, at_us));
        }
        events
    }

    /// Ends every track (the stream stopped): the confirmed ones leave.
    pub fn end_all(&mut self) -> Vec<TrackEvent> {
        self.tracks.drain(..).filter(|t| t.confirmed).map(TrackEvent::Left).collect()
    }

    /// Matches `detections` greedily, best overlap first, to tracks of the
    /// same label not yet matched, updating those; returns the detections
    /// left over.
    fn assign<'d>(
        &mut self,
        at_us: i64,
        detections: &[&'d Detection],
        matched: &mut [bool],
        min_iou: f32,
    ) -> Vec<&'d Detection> {
        let mut pairs = Vec::new();
        for (di, d) in detections.iter().enumerate() {
            for (ti, t) in self.tracks.iter().enumerate() {
                if matched[ti] || t.label != d.label {
                    continue;
                }
                let overlap = iou(&t.rect, &d.rect);
                if overlap >= min_iou {
                    pairs.push((overlap, di, ti));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut used = vec![false; detections.len()];
        for (_, di, ti) in pairs {
            if used[di] || matched[ti] {
                continue;
            }
            used[di] = true;
            matched[ti] = true;
            self.tracks[ti].measure(detections[di], at_us);
        }
        detections.iter().zip(used).filter(|(_, u)| !u).map(|(d, _)| *d).collect()
    }
}

impl Track {
    fn new(id: u64, d: &Detection, at_us: i64) -> Self {
        let (cx, cy) = centre(&d.rect);
        Self {
            id,
            label: d.label,
            rect: d.rect,
            seen: d.rect,
            first_us: at_us,
            last_us: at_us,
            best: (d.score, at_us, d.rect),
            confirmed: false,
            stationary: false,
            axes: [
                kalman::Axis::new(cx),
                kalman::Axis::new(cy),
                kalman::Axis::new(d.rect.w),
                kalman::Axis::new(d.rect.h),
            ],
            scores: VecDeque::from([d.score]),
            hits: 1,
            missed: 0,
            anchor: (cx, cy, at_us),
        }
    }

    fn predict(&mut self) {
        for axis in &mut self.axes {
            axis.predict();
        }
        self.rect = self.estimate();
    }

    fn measure(&mut self, d: &Detection, at_us: i64) {
        let (cx, cy) = centre(&d.rect);
        for (axis, z) in self.axes.iter_mut().zip([cx, cy, d.rect.w, d.rect.h]) {
            axis.update(z);
        }
        self.rect = self.estimate();
        self.seen = d.rect;
        if self.scores.len() == SCORES {
            self.scores.pop_front();
        }
        self.scores.push_back(d.score);
        if d.score > self.best.0 {
            self.best = (d.score, at_us, d.rect);
        }
        self.hits += 1;
        self.missed = 0;
        self.last_us = at_us;
    }

    /// Follows whether the centre has stayed put.
    fn settle(&mut self, s: &Settings, at_us: i64) {
        let (cx, cy) = centre(&self.rect);
        if (cx - self.anchor.0).hypot(cy - self.anchor.1) > s.stationary_move {
            self.anchor = (cx, cy, at_us);
        }
        self.stationary = at_us.saturating_sub(self.anchor.2) >= s.stationary_after_us;
    }

    /// The median of the recent scores (the lower of the middle two).
    pub fn median_score(&self) -> f32 {
        let mut scores: Vec<f32> = self.scores.iter().copied().collect();
        scores.sort_by(f32::total_cmp);
        scores.get(scores.len().saturating_sub(1) / 2).copied().unwrap_or(0.0)
    }

    fn estimate(&self) -> Rect {
        let [cx, cy, w, h] = self.axes.map(|a| a.x);
        let (w, h) = (w.max(0.0), h.max(0.0));
        Rect { x: cx - w / 2.0, y: cy - h / 2.0, w, h }
    }
}

fn centre(r: &Rect) -> (f32, f32) {
    (r.x + r.w / 2.0, r.y + r.h / 2.0)
}

/// Intersection over union of two rectangles.
fn iou(a: &Rect, b: &Rect) -> f32 {
    let inter = a.intersection_area(b);
    let union = a.w * a.h + b.w * b.h - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

#[cfg(test)]
mod tests;
