//! Who is in one zone: each object's presence, with inertia and loitering.

use std::collections::HashMap;

use vms_base::analytics::{Point, Zone};

use super::{INERTIA, Object, SceneEvent};
use crate::geometry::Polygon;

/// One zone and the objects in or near it.
#[derive(Debug)]
pub(super) struct ZoneWatch {
    /// The zone as drawn.
    pub def: Zone,
    name: String,
    area: Polygon,
    /// The labels that count; `None` for all.
    labels: Option<Vec<usize>>,
    loiter_us: Option<i64>,
    presence: HashMap<u64, Presence>,
}

/// Where one object stands with a zone.
#[derive(Debug, Default)]
struct Presence {
    /// In, as far as events go.
    inside: bool,
    /// Matched pictures in a row that say otherwise, and the first one's time.
    against: u32,
    against_since_us: i64,
    /// When it entered.
    entered_us: i64,
    /// Whether its entry was reported (only confirmed objects are).
    announced: bool,
    /// Whether its loitering was reported.
    loitering: bool,
    /// Its label and box when last seen.
    label: usize,
    rect: crate::geometry::Rect,
}

impl ZoneWatch {
    pub fn new(zone: &Zone, labels: Option<Vec<usize>>) -> Self {
        Self {
            def: zone.clone(),
            name: zone.name.trim().to_owned(),
            area: Polygon(zone.points.clone()),
            labels,
            loiter_us: zone.loiter_secs.map(|s| i64::from(s) * 1_000_000),
            presence: HashMap::new(),
        }
    }

    /// Takes the object's `place` in the picture of `at_us`.
    pub fn observe(&mut self, object: Object, place: Point, at_us: i64, confirmed: bool, out: &mut Vec<SceneEvent>) {
        if self.labels.as_ref().is_some_and(|l| !l.contains(&object.label)) {
            return;
        }
        let here = self.area.contains(place);
        let p = self.presence.entry(object.track_id).or_insert_with(|| Presence {
            label: object.label,
            rect: object.rect,
            ..Presence::default()
        });
        p.rect = object.rect;
        if here == p.inside {
            p.against = 0;
        } else {
            if p.against == 0 {
                p.against_since_us = at_us;
            }
            p.against += 1;
            if p.against >= INERTIA {
                p.against = 0;
                if here {
                    p.inside = true;
                    p.entered_us = p.against_since_us;
                } else {
                    if p.announced {
                        out.push(left(&self.name, object, p.entered_us, p.against_since_us));
                    }
                    *p = Presence { label: object.label, rect: object.rect, ..Presence::default() };
                }
            }
        }
        let p = self.presence.get_mut(&object.track_id).expect("inserted above");
        if p.inside && confirmed && !p.announced {
            p.announced = true;
            out.push(SceneEvent::Entered { zone: self.name.clone(), object, at_us: p.entered_us });
        }
        if p.inside && p.announced && !p.loitering && self.loiter_us.is_some_and(|l| at_us - p.entered_us >= l) {
            p.loitering = true;
            out.push(SceneEvent::Loitering { zone: self.name.clone(), object, entered_us: p.entered_us, at_us });
        }
    }

    /// The object left the picture, last seen at `last_us`.
    pub fn forget(&mut self, object: Object, last_us: i64, out: &mut Vec<SceneEvent>) {
        if let Some(p) = self.presence.remove(&object.track_id)
            && p.inside
            && p.announced
        {
            out.push(left(&self.name, object, p.entered_us, last_us.max(p.entered_us)));
        }
    }

    /// The zone is gone (its camera's settings changed): every object in it
    /// leaves it at `at_us`.
    pub fn close(self, at_us: i64, out: &mut Vec<SceneEvent>) {
        for (track_id, p) in self.presence {
            if p.inside && p.announced {
                // Its box as last seen in the zone.
                let object = Object { track_id, label: p.label, rect: p.rect };
                out.push(left(&self.name, object, p.entered_us, at_us.max(p.entered_us)));
            }
        }
    }

    /// Drops the objects the tracker no longer follows.
    pub fn retain(&mut self, alive: &impl Fn(&u64) -> bool) {
        self.presence.retain(|id, _| alive(id));
    }
}

fn left(zone: &str, object: Object, entered_us: i64, left_us: i64) -> SceneEvent {
    SceneEvent::Left { zone: zone.to_owned(), object, entered_us, left_us }
}
