//! What followed objects do in the zones and across the lines drawn on a
//! camera's picture.
//!
//! An object's place is the bottom centre of its box (where a person
//! stands, where a car touches the road), as detected in the pictures where
//! the tracker matched it: never a prediction during an occlusion, nor the
//! filter's estimate, which overshoots when someone stops on a line.
//!
//! - **Zones** ([`zones`]): an object is in a zone once its place has been
//!   inside for [`INERTIA`] matched pictures in a row, and out once it has
//!   been outside as long (or the object left), so a box that shivers on
//!   the edge does not enter and leave over and over. Inertia is counted in
//!   analysed pictures: at the default 5 a second, 0.6 s. Staying
//!   [`vms_base::analytics::Zone::loiter_secs`] makes it loiter.
//! - **Lines** ([`lines`]): a crossing is counted when the object's place
//!   goes from one side of the line to the other through the drawn segment
//!   (not around its end). Places within [`ON_LINE`] of the line are taken
//!   as neither side, so jitter on the line counts nothing.
//!
//! Objects are reported only once the tracker confirms them; what an
//! object did before (entering a zone, crossing a line) is reported when it
//! is confirmed, with the times it happened.

pub mod lines;
mod zones;

use vms_base::analytics::{CameraAnalytics, Point};

use crate::{
    geometry::Rect,
    track::{Track, TrackEvent},
};

pub use lines::Direction;

/// Matched pictures in a row that make an object enter or leave a zone.
pub const INERTIA: u32 = 3;
/// How near the line (in normalised picture coordinates, measured square to
/// it) a place is taken to be on it rather than on a side.
pub const ON_LINE: f32 = 0.005;

/// The object an event is about, as the tracker saw it then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Object {
    /// Its track id.
    pub track_id: u64,
    /// Its label's index.
    pub label: usize,
    /// Its box.
    pub rect: Rect,
}

/// What happened in a zone or on a line.
#[derive(Debug, Clone, PartialEq)]
pub enum SceneEvent {
    /// An object entered a zone.
    Entered {
        /// The zone's name.
        zone: String,
        /// Who.
        object: Object,
        /// When: the first of the pictures that put it inside.
        at_us: i64,
    },
    /// An object left a zone (or the picture while in it).
    Left {
        /// The zone's name.
        zone: String,
        /// Who.
        object: Object,
        /// When it entered.
        entered_us: i64,
        /// When it left: the first picture outside, or its last sighting.
        left_us: i64,
    },
    /// An object has stayed in a zone its loitering time.
    Loitering {
        /// The zone's name.
        zone: String,
        /// Who.
        object: Object,
        /// When it entered.
        entered_us: i64,
        /// The picture in which its time ran out.
        at_us: i64,
    },
    /// An object crossed a line.
    Crossed {
        /// The line's name.
        line: String,
        /// Which way.
        direction: Direction,
        /// Who.
        object: Object,
        /// The first picture on the other side.
        at_us: i64,
        /// The line's counts since the camera's analysis started, this crossing included.
        counts: lines::Counts,
    },
}

/// A camera's zones and lines, and where each followed object is among them.
#[derive(Debug, Default)]
pub struct Scene {
    zones: Vec<zones::ZoneWatch>,
    lines: Vec<lines::LineWatch>,
}

/// Which labels (by index into the model's) `names` let through; `None`
/// for all (no names). Names the model does not know let nothing through.
pub(crate) fn label_filter(names: &[String], labels: &[String]) -> Option<Vec<usize>> {
    if names.is_empty() {
        return None;
    }
    Some(labels.iter().enumerate().filter(|(_, l)| names.iter().any(|n| n == *l)).map(|(i, _)| i).collect())
}

impl Scene {
    /// The zones and lines of `settings`, with labels named after the model's `labels`.
    pub fn new(settings: &CameraAnalytics, labels: &[String]) -> Self {
        let zones = settings.zones.iter().map(|z| zones::ZoneWatch::new(z, label_filter(&z.labels, labels))).collect();
        let lines = settings.lines.iter().map(|l| lines::LineWatch::new(l, label_filter(&l.labels, labels))).collect();
        Self { zones, lines }
    }

    /// Takes new settings while objects are followed: zones and lines drawn
    /// as before keep who is in them and their counts; a zone removed or
    /// redrawn is left, at `at_us`, by every object in it; new ones start
    /// empty (an object already inside enters after the usual inertia).
    pub fn reconfigure(&mut self, settings: &CameraAnalytics, labels: &[String], at_us: i64) -> Vec<SceneEvent> {
        let mut out = Vec::new();
        let mut old_zones = std::mem::take(&mut self.zones);
        for zone in &settings.zones {
            let kept = old_zones.iter().position(|w| w.def == *zone).map(|i| old_zones.swap_remove(i));
            self.zones.push(kept.unwrap_or_else(|| zones::ZoneWatch::new(zone, label_filter(&zone.labels, labels))));
        }
        for gone in old_zones {
            gone.close(at_us, &mut out);
        }
        let mut old_lines = std::mem::take(&mut self.lines);
        for line in &settings.lines {
            let kept = old_lines.iter().position(|w| w.def == *line).map(|i| old_lines.swap_remove(i));
            self.lines.push(kept.unwrap_or_else(|| lines::LineWatch::new(line, label_filter(&line.labels, labels))));
        }
        out
    }

    /// Whether there is anything to watch.
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty() && self.lines.is_empty()
    }

    /// Each line's counts, by name.
    pub fn counts(&self) -> Vec<(String, lines::Counts)> {
        self.lines.iter().map(|l| (l.name().to_owned(), l.counts())).collect()
    }

    /// Follows the tracks after the picture that arrived at `at_us`, given
    /// what the tracker said of it (`changes`: objects that appeared and
    /// left), and returns what happened, in order.
    pub fn update(&mut self, at_us: i64, tracks: &[Track], changes: &[TrackEvent]) -> Vec<SceneEvent> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        for t in tracks.iter().filter(|t| t.last_us == at_us) {
            let object = Object { track_id: t.id, label: t.label, rect: t.seen };
            let place = foot(&t.seen);
            for zone in &mut self.zones {
                zone.observe(object, place, at_us, t.confirmed, &mut out);
            }
            for line in &mut self.lines {
                line.observe(object, place, at_us, t.confirmed, &mut out);
            }
        }
        for change in changes {
            if let TrackEvent::Left(t) = change {
                self.forget(t, &mut out);
            }
        }
        // Tracks the tracker dropped unconfirmed leave no trace.
        let alive = |id: &u64| tracks.iter().any(|t| t.id == *id);
        for zone in &mut self.zones {
            zone.retain(&alive);
        }
        for line in &mut self.lines {
            line.retain(&alive);
        }
        out
    }

    /// The objects left (the stream stopped): each leaves its zones at its last sighting.
    pub fn end_all(&mut self, left: &[TrackEvent]) -> Vec<SceneEvent> {
        let mut out = Vec::new();
        for change in left {
            if let TrackEvent::Left(t) = change {
                self.forget(t, &mut out);
            }
        }
        out
    }

    fn forget(&mut self, t: &Track, out: &mut Vec<SceneEvent>) {
        let object = Object { track_id: t.id, label: t.label, rect: t.seen };
        for zone in &mut self.zones {
            zone.forget(object, t.last_us, out);
        }
        for line in &mut self.lines {
            line.forget(t.id);
        }
    }
}

/// The most a place may be along either axis: just inside the picture. A
/// box cut off by the picture's bottom (the nearest person, often) ends at
/// 1, which no zone drawn up to the edge would otherwise hold.
const EDGE: f32 = 1.0 - 1e-4;

/// Where an object stands: the bottom centre of its box, inside the picture.
pub fn foot(r: &Rect) -> Point {
    [(r.x + r.w / 2.0).clamp(0.0, EDGE), (r.y + r.h).clamp(0.0, EDGE)]
}

#[cfg(test)]
mod tests;
