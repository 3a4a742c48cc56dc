//! Zones and lines on scripted walks through the real tracker: crossings
//! each way, a walk around a line's end, jitter on a line and on a zone's
//! edge, a crossing made before the object was confirmed, loitering, an
//! object lost inside a zone, and label filters.

use vms_base::analytics::{CameraAnalytics, Line, Zone};

use super::*;
use crate::track::{Detection, Settings, Tracker};

const STEP: i64 = 200_000;
const LABELS: [&str; 2] = ["person", "car"];

/// A person whose feet are at (`x`, `y`).
fn standing(label: usize, x: f32, y: f32) -> Detection {
    Detection { label, score: 0.9, rect: Rect { x: x - 0.025, y: y - 0.15, w: 0.05, h: 0.15 } }
}

struct Walk {
    tracker: Tracker,
    scene: Scene,
    events: Vec<SceneEvent>,
    n: i64,
}

impl Walk {
    fn new(settings: CameraAnalytics, tracking: Settings) -> Self {
        let labels: Vec<String> = LABELS.iter().map(|l| l.to_string()).collect();
        Self { tracker: Tracker::new(tracking), scene: Scene::new(&settings, &labels), events: Vec::new(), n: 0 }
    }

    /// One picture with these detections.
    fn see(&mut self, detections: &[Detection]) {
        let at = self.n * STEP;
        self.n += 1;
        let changes = self.tracker.update(at, detections);
        self.events.extend(self.scene.update(at, self.tracker.tracks(), &changes));
    }

    /// Pictures of one person whose feet go through `path`.
    fn walk(&mut self, label: usize, path: impl IntoIterator<Item = (f32, f32)>) {
        for (x, y) in path {
            self.see(&[standing(label, x, y)]);
        }
    }

    fn crossings(&self) -> Vec<(&str, i64)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                SceneEvent::Crossed { direction, at_us, .. } => Some((direction.as_str(), *at_us)),
                _ => None,
            })
            .collect()
    }

    fn kinds(&self) -> Vec<(&'static str, i64)> {
        self.events
            .iter()
            .map(|e| match e {
                SceneEvent::Entered { at_us, .. } => ("entered", *at_us),
                SceneEvent::Left { left_us, .. } => ("left", *left_us),
                SceneEvent::Loitering { at_us, .. } => ("loitering", *at_us),
                SceneEvent::Crossed { at_us, .. } => ("crossed", *at_us),
            })
            .collect()
    }
}

/// A line across the middle, drawn left to right: looking from `a` to `b`
/// (east), the lower half of the picture is on the right.
fn across(labels: &[&str]) -> CameraAnalytics {
    let labels = labels.iter().map(|l| l.to_string()).collect();
    CameraAnalytics {
        lines: vec![Line { name: "Gate".into(), a: [0.2, 0.5], b: [0.8, 0.5], labels }],
        ..Default::default()
    }
}

/// A zone over the lower right quarter.
fn corner(loiter_secs: Option<u32>, labels: &[&str]) -> CameraAnalytics {
    let labels = labels.iter().map(|l| l.to_string()).collect();
    let points = vec![[0.5, 0.5], [1.0, 0.5], [1.0, 1.0], [0.5, 1.0]];
    CameraAnalytics { zones: vec![Zone { name: "Yard".into(), points, labels, loiter_secs }], ..Default::default() }
}

fn steps(from: f32, to: f32, n: usize) -> impl Iterator<Item = f32> {
    (0..n).map(move |i| from + (to - from) * i as f32 / (n - 1) as f32)
}

#[test]
fn walking_down_then_up_crosses_each_way_once() {
    let mut walk = Walk::new(across(&[]), Settings::default());
    walk.walk(0, steps(0.3, 0.7, 9).map(|y| (0.5, y)));
    walk.walk(0, steps(0.7, 0.3, 9).map(|y| (0.5, y)));
    let crossings = walk.crossings();
    assert_eq!(crossings.iter().map(|c| c.0).collect::<Vec<_>>(), ["left_to_right", "right_to_left"], "{crossings:?}");
    // Down: the feet (as detected) are past 0.5 from picture 5 (0.3 + 5 × 0.05 = 0.55).
    assert_eq!(crossings[0].1, 5 * STEP, "{crossings:?}");
    let SceneEvent::Crossed { counts, line, .. } = walk.events.last().unwrap() else { panic!() };
    assert_eq!((line.as_str(), counts.left_to_right, counts.right_to_left), ("Gate", 1, 1));
    assert_eq!(walk.scene.counts()[0].1, *counts);
}

#[test]
fn walking_past_the_end_of_a_line_crosses_nothing() {
    let mut walk = Walk::new(across(&[]), Settings::default());
    walk.walk(0, steps(0.3, 0.7, 9).map(|y| (0.9, y)));
    assert!(walk.crossings().is_empty(), "{:?}", walk.events);
}

#[test]
fn standing_on_a_line_while_the_box_shivers_counts_nothing() {
    let mut walk = Walk::new(across(&[]), Settings::default());
    walk.walk(0, steps(0.3, 0.5, 5).map(|y| (0.5, y)));
    walk.walk(0, (0..30).map(|i| (0.5, if i % 2 == 0 { 0.498 } else { 0.502 })));
    assert!(walk.crossings().is_empty(), "{:?}", walk.events);
}

#[test]
fn a_crossing_before_confirmation_is_reported_with_its_time() {
    let tracking = Settings { confirm_hits: 4, ..Settings::default() };
    let mut walk = Walk::new(across(&[]), tracking);
    // Crosses between its first and second sightings; confirmed at the fourth.
    walk.walk(0, [(0.5, 0.47), (0.5, 0.53), (0.5, 0.56)]);
    assert!(walk.events.is_empty(), "nothing said of an object not yet confirmed");
    walk.walk(0, [(0.5, 0.58)]);
    assert_eq!(walk.crossings(), [("left_to_right", STEP)]);
    assert_eq!(walk.events.len(), 1);
}

#[test]
fn an_object_the_line_does_not_count_is_not_counted() {
    let mut walk = Walk::new(across(&["car"]), Settings::default());
    walk.walk(0, steps(0.3, 0.7, 9).map(|y| (0.5, y)));
    assert!(walk.crossings().is_empty());
    walk.walk(1, steps(0.3, 0.7, 9).map(|y| (0.5, y)));
    assert_eq!(walk.crossings().len(), 1);
}

#[test]
fn entering_and_leaving_a_zone_takes_three_pictures_each_way() {
    let mut walk = Walk::new(corner(None, &[]), Settings::default());
    // In from the left: the feet are past x = 0.5 from the sixth picture on
    // (0.41 + 5 × 0.02 = 0.51), stands for ten, and is out again from the
    // twenty-sixth (0.59 − 5 × 0.02 = 0.49).
    walk.walk(0, steps(0.41, 0.59, 10).map(|x| (x, 0.75)));
    walk.walk(0, (0..10).map(|_| (0.59, 0.75)));
    let entering = walk.kinds();
    walk.walk(0, steps(0.59, 0.41, 10).map(|x| (x, 0.75)));
    // Times are those of the first picture on the new side; reported at the third.
    assert_eq!(entering, [("entered", 5 * STEP)], "{:?}", walk.events);
    assert_eq!(walk.kinds(), [("entered", 5 * STEP), ("left", 25 * STEP)], "{:?}", walk.events);
    let SceneEvent::Left { entered_us, zone, .. } = &walk.events[1] else { panic!() };
    assert_eq!((zone.as_str(), *entered_us), ("Yard", 5 * STEP));
}

#[test]
fn entering_is_reported_at_the_third_picture_inside_not_before() {
    let mut walk = Walk::new(corner(None, &[]), Settings::default());
    walk.walk(0, (0..4).map(|_| (0.49, 0.75)));
    // One step in (a step the tracker follows: the box overlaps its last one).
    for n in 1..=3 {
        walk.walk(0, [(0.51, 0.75)]);
        let expected: &[(&str, i64)] = if n < 3 { &[] } else { &[("entered", 4 * STEP)] };
        assert_eq!(walk.kinds(), expected, "after {n} pictures inside");
    }
    assert_eq!(walk.tracker.tracks().len(), 1, "one object throughout");
}

#[test]
fn a_box_shivering_on_a_zone_edge_neither_enters_nor_leaves() {
    let mut walk = Walk::new(corner(None, &[]), Settings::default());
    // Two pictures in, one out, over and over: never three in a row either way.
    walk.walk(0, (0..30).map(|i| (if i % 3 == 0 { 0.495 } else { 0.505 }, 0.75)));
    assert_eq!(walk.tracker.tracks().len(), 1, "one object throughout: {:?}", walk.tracker.tracks());
    assert!(walk.events.is_empty(), "{:?}", walk.events);
    // The last two pictures were inside; a third in a row enters, from the first of them.
    walk.walk(0, [(0.505, 0.75)]);
    assert_eq!(walk.kinds(), [("entered", 28 * STEP)], "three in a row is in");
}

#[test]
fn an_object_cut_off_by_the_bottom_of_the_picture_is_in_a_zone_drawn_to_the_edge() {
    let mut walk = Walk::new(corner(None, &[]), Settings::default());
    // Its box ends exactly at the bottom: its feet are at y = 1.
    walk.walk(0, (0..4).map(|_| (0.75, 1.0)));
    assert_eq!(walk.kinds(), [("entered", 0)], "{:?}", walk.events);
}

#[test]
fn an_object_never_confirmed_counts_no_crossing() {
    let tracking = Settings { confirm_hits: 4, ..Settings::default() };
    let mut walk = Walk::new(across(&[]), tracking);
    // Crosses in its second sighting, then vanishes before its fourth.
    walk.walk(0, [(0.5, 0.47), (0.5, 0.53), (0.5, 0.56)]);
    for _ in 0..5 {
        walk.see(&[]);
    }
    assert!(walk.events.is_empty(), "{:?}", walk.events);
    assert_eq!(walk.scene.counts()[0].1, lines::Counts::default());
}

#[test]
fn staying_in_a_zone_loiters_once() {
    let mut walk = Walk::new(corner(Some(2), &[]), Settings::default());
    // 20 pictures (4 s) in the zone: loitering after 2 s.
    walk.walk(0, (0..20).map(|_| (0.75, 0.75)));
    assert_eq!(walk.kinds(), [("entered", 0), ("loitering", 10 * STEP)], "{:?}", walk.events);
}

#[test]
fn an_object_lost_in_a_zone_leaves_it_when_it_was_last_seen() {
    let tracking = Settings { max_missed_us: 2 * STEP, ..Settings::default() };
    let mut walk = Walk::new(corner(None, &[]), tracking);
    walk.walk(0, (0..6).map(|_| (0.75, 0.75)));
    for _ in 0..5 {
        walk.see(&[]);
    }
    assert_eq!(walk.kinds(), [("entered", 0), ("left", 5 * STEP)], "{:?}", walk.events);
}

#[test]
fn objects_left_when_the_stream_stops_leave_their_zones() {
    let mut walk = Walk::new(corner(None, &[]), Settings::default());
    walk.walk(0, (0..6).map(|_| (0.75, 0.75)));
    let left = walk.tracker.end_all();
    let ended = walk.scene.end_all(&left);
    assert!(matches!(&ended[..], [SceneEvent::Left { left_us, .. }] if *left_us == 5 * STEP), "{ended:?}");
}

#[test]
fn a_zone_for_cars_ignores_people() {
    let mut walk = Walk::new(corner(None, &["car"]), Settings::default());
    walk.walk(0, (0..6).map(|_| (0.75, 0.75)));
    assert!(walk.events.is_empty());
    let mut cars = Walk::new(corner(None, &["car"]), Settings::default());
    cars.walk(1, (0..6).map(|_| (0.75, 0.75)));
    assert_eq!(cars.kinds(), [("entered", 0)]);
}

#[test]
fn a_scene_without_shapes_does_nothing() {
    let mut walk = Walk::new(CameraAnalytics::default(), Settings::default());
    assert!(walk.scene.is_empty());
    walk.walk(0, steps(0.3, 0.7, 9).map(|y| (0.5, y)));
    assert!(walk.events.is_empty());
}

#[test]
fn new_settings_keep_the_zones_and_lines_drawn_as_before() {
    let mut settings = corner(None, &[]);
    settings.lines = across(&[]).lines;
    let mut walk = Walk::new(settings.clone(), Settings::default());
    walk.walk(0, (0..4).map(|_| (0.75, 0.75)));
    walk.walk(1, steps(0.3, 0.7, 9).map(|y| (0.3, y)));
    assert_eq!(walk.kinds().iter().filter(|k| k.0 == "entered").count(), 1);
    let labels: Vec<String> = LABELS.iter().map(|l| l.to_string()).collect();

    // The same shapes, and a new zone: nothing happens, the count stays.
    let mut more = settings.clone();
    more.zones.push(Zone {
        name: "Other".into(),
        points: vec![[0.0, 0.0], [0.2, 0.0], [0.2, 0.2]],
        labels: vec![],
        loiter_secs: None,
    });
    assert!(walk.scene.reconfigure(&more, &labels, 99 * STEP).is_empty());
    assert_eq!(walk.scene.counts()[0].1.left_to_right, 1, "the line's count is kept");

    // The zone redrawn: whoever was in it leaves it then.
    let mut redrawn = more.clone();
    redrawn.zones[0].points = vec![[0.6, 0.6], [1.0, 0.6], [1.0, 1.0]];
    let left = walk.scene.reconfigure(&redrawn, &labels, 100 * STEP);
    assert!(
        matches!(&left[..], [SceneEvent::Left { zone, left_us, .. }] if zone == "Yard" && *left_us == 100 * STEP),
        "{left:?}"
    );
    // And it is entered again, after the usual inertia, since the object is inside the new one too.
    walk.events.clear();
    walk.walk(0, (0..3).map(|_| (0.75, 0.75)));
    assert_eq!(walk.kinds().iter().map(|k| k.0).collect::<Vec<_>>(), ["entered"]);
}
