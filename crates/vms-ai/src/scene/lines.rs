//! Crossings of one line: each object's side, and the counts.

use std::collections::HashMap;

use serde::Serialize;
use vms_base::analytics::{Line, Point, segments_cross, side};

use super::{ON_LINE, Object, SceneEvent};

/// Which way an object crossed, as seen standing on the line's `a` looking at `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the left side to the right.
    LeftToRight,
    /// From the right side to the left.
    RightToLeft,
}

impl Direction {
    /// As in events: `left_to_right` or `right_to_left`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::LeftToRight => "left_to_right",
            Direction::RightToLeft => "right_to_left",
        }
    }
}

/// Crossings of a line since the camera's analysis started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// From left to right.
    pub left_to_right: u64,
    /// From right to left.
    pub right_to_left: u64,
}

/// One line and the objects near it.
#[derive(Debug)]
pub(super) struct LineWatch {
    /// The line as drawn.
    pub def: Line,
    name: String,
    a: Point,
    b: Point,
    length: f32,
    /// The labels that count; `None` for all.
    labels: Option<Vec<usize>>,
    counts: Counts,
    /// Each object's last place off the line, and whether it is on the right.
    sides: HashMap<u64, (Point, bool)>,
    /// Crossings of objects not yet confirmed, reported when they are.
    pending: HashMap<u64, Vec<(Direction, Object, i64)>>,
}

impl LineWatch {
    pub fn new(line: &Line, labels: Option<Vec<usize>>) -> Self {
        let length = (line.b[0] - line.a[0]).hypot(line.b[1] - line.a[1]);
        Self {
            def: line.clone(),
            name: line.name.trim().to_owned(),
            a: line.a,
            b: line.b,
            length,
            labels,
            counts: Counts::default(),
            sides: HashMap::new(),
            pending: HashMap::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Takes the object's `place` in the picture of `at_us`.
    pub fn observe(&mut self, object: Object, place: Point, at_us: i64, confirmed: bool, out: &mut Vec<SceneEvent>) {
        if self.labels.as_ref().is_some_and(|l| !l.contains(&object.label)) {
            return;
        }
        let distance = side(self.a, self.b, place) / self.length;
        if distance.abs() >= ON_LINE {
            let right = distance > 0.0;
            if let Some(&(before, was_right)) = self.sides.get(&object.track_id)
                && was_right != right
                && segments_cross((before, place), (self.a, self.b))
            {
                let direction = if right { Direction::LeftToRight } else { Direction::RightToLeft };
                self.pending.entry(object.track_id).or_default().push((direction, object, at_us));
            }
            self.sides.insert(object.track_id, (place, right));
        }
        if confirmed && let Some(crossings) = self.pending.remove(&object.track_id) {
            for (direction, object, at_us) in crossings {
                match direction {
                    Direction::LeftToRight => self.counts.left_to_right += 1,
                    Direction::RightToLeft => self.counts.right_to_left += 1,
                }
                out.push(SceneEvent::Crossed {
                    line: self.name.clone(),
                    direction,
                    object,
                    at_us,
                    counts: self.counts,
                });
            }
        }
    }

    /// The object left the picture.
    pub fn forget(&mut self, track_id: u64) {
        self.sides.remove(&track_id);
        self.pending.remove(&track_id);
    }

    /// Drops the objects the tracker no longer follows.
    pub fn retain(&mut self, alive: &impl Fn(&u64) -> bool) {
        self.sides.retain(|id, _| alive(id));
        self.pending.retain(|id, _| alive(id));
    }
}
