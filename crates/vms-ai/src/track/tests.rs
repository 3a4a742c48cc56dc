//! The tracker on scripted detections: people walking, crossing, hidden for
//! a moment, standing still, and a flicker that never becomes an object.

use super::*;

fn person(x: f32, y: f32, score: f32) -> Detection {
    Detection { label: 0, score, rect: Rect { x, y, w: 0.05, h: 0.15 } }
}

const STEP: i64 = 200_000;

fn ids(events: &[TrackEvent]) -> Vec<(char, u64)> {
    events
        .iter()
        .map(|e| match e {
            TrackEvent::Appeared(t) => ('+', t.id),
            TrackEvent::Left(t) => ('-', t.id),
        })
        .collect()
}

#[test]
fn a_walker_keeps_one_id_appears_once_and_leaves_once() {
    let mut tracker = Tracker::new(Settings::default());
    let mut seen = Vec::new();
    for n in 0..30 {
        seen.extend(ids(&tracker.update(n * STEP, &[person(0.1 + 0.01 * n as f32, 0.5, 0.8)])));
    }
    assert_eq!(seen, vec![('+', 1)]);
    let walker = &tracker.tracks()[0];
    assert_eq!((walker.first_us, walker.last_us), (0, 29 * STEP));
    for n in 30..45 {
        seen.extend(ids(&tracker.update(n * STEP, &[])));
    }
    assert_eq!(seen, vec![('+', 1), ('-', 1)], "it left once the allowance of missed time ran out");
}

#[test]
fn two_people_crossing_keep_their_ids() {
    let mut tracker = Tracker::new(Settings::default());
    for n in 0..40 {
        let t = n as f32 * 0.02;
        // One walks right, the other left, on slightly different rows; they pass at n = 20.
        let detections = [person(0.1 + t, 0.40, 0.9), person(0.9 - t, 0.45, 0.9)];
        tracker.update(n * STEP, &detections);
    }
    let mut tracks: Vec<(u64, f32)> = tracker.tracks().iter().map(|t| (t.id, t.rect.x)).collect();
    tracks.sort_by_key(|(id, _)| *id);
    assert_eq!(tracks.len(), 2, "{tracks:?}");
    // Track 1 started on the left and must now be on the right.
    assert!(tracks[0].1 > 0.8 && tracks[1].1 < 0.2, "the ids swapped when they crossed: {tracks:?}");
}

#[test]
fn a_short_occlusion_and_an_unsure_picture_keep_the_track() {
    let mut tracker = Tracker::new(Settings::default());
    let mut events = Vec::new();
    for n in 0..20 {
        let x = 0.1 + 0.01 * n as f32;
        let detections = match n {
            // Hidden behind a pillar for five pictures …
            8..=12 => vec![],
            // … and only half visible (an unsure score) for two more.
            13 | 14 => vec![person(x, 0.5, 0.3)],
            _ => vec![person(x, 0.5, 0.8)],
        };
        events.extend(ids(&tracker.update(n * STEP, &detections)));
    }
    assert_eq!(events, vec![('+', 1)], "one object throughout");
    assert_eq!(tracker.tracks().len(), 1);
}

#[test]
fn doubtful_sightings_of_a_new_object_count_against_it() {
    let mut tracker = Tracker::new(Settings::default());
    let mut events = Vec::new();
    // One confident sighting, then only doubtful ones of the same thing.
    for (n, score) in [0.9, 0.3, 0.3, 0.3, 0.3].into_iter().enumerate() {
        events.extend(ids(&tracker.update(n as i64 * STEP, &[person(0.3, 0.3, score)])));
    }
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(tracker.tracks().len(), 1, "the doubtful sightings kept it, unconfirmed");
    assert!(!tracker.tracks()[0].confirmed);
}

#[test]
fn a_flicker_or_a_weak_median_never_becomes_an_object() {
    let mut tracker = Tracker::new(Settings::default());
    let mut events = Vec::new();
    for n in 0..20 {
        // Something seen every other picture (never twice in a row) …
        let flicker = if n % 2 == 0 { vec![person(0.7, 0.2, 0.9)] } else { vec![] };
        // … and something seen each time, but mostly with a poor score.
        let score = if n % 4 == 0 { 0.55 } else { 0.3 };
        let mut detections = flicker;
        detections.push(person(0.2, 0.6, score));
        events.extend(ids(&tracker.update(n * STEP, &detections)));
    }
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn someone_standing_still_becomes_stationary_and_best_is_kept() {
    let settings = Settings { stationary_after_us: 5 * STEP, ..Settings::default() };
    let mut tracker = Tracker::new(settings);
    for n in 0..12 {
        let x = if n < 4 { 0.1 + 0.01 * n as f32 } else { 0.13 };
        let score = if n == 6 { 0.95 } else { 0.7 };
        tracker.update(n * STEP, &[person(x, 0.5, score)]);
    }
    let t = &tracker.tracks()[0];
    assert!(t.stationary, "{t:?}");
    assert_eq!((t.best.0, t.best.1), (0.95, 6 * STEP));
    let left = tracker.end_all();
    assert!(matches!(&left[..], [TrackEvent::Left(t)] if t.id == 1));
}
