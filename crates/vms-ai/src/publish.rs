//! What a camera's analysis found, as bus events (docs/ref/events.md): a
//! motion event per motion, an `object` event per followed object, a
//! `loitering` event per object that stays in a zone too long. Such an
//! event's first message opens it (no end) and its second, with the same
//! id, closes it. Entering and leaving a zone (`zone_enter`, `zone_leave`)
//! and crossing a line (`line_crossed`) are moments: one message, ended as
//! it starts. Times are the media plane's arrival times.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
use uuid::Uuid;
use vms_bus::events::Event;
use vms_plane::StreamAssignment;

use crate::{
    analyse::Output,
    motion::events::Change,
    scene::{Object, SceneEvent},
    track::TrackEvent,
};

/// One camera's events in progress.
pub(crate) struct Events {
    /// The class names of the plane's model.
    labels: Vec<String>,
    /// The motion event open, and when it started.
    motion: Option<(Uuid, i64)>,
    /// Event ids of the objects followed, and when each was first seen, by track id.
    objects: HashMap<u64, (Uuid, i64)>,
    /// The zones each followed object has entered, by track id.
    visited: HashMap<u64, Vec<String>>,
    /// Loitering events open, and when each started, by zone and track id.
    loitering: HashMap<(String, u64), (Uuid, i64)>,
    /// The attributes each open event was opened with, by event id: a
    /// closing message replaces them in the store, so it repeats them.
    opened: HashMap<Uuid, serde_json::Value>,
}

impl Events {
    /// Events named with the model's `labels`.
    pub fn new(labels: Vec<String>) -> Self {
        Self {
            labels,
            motion: None,
            objects: HashMap::new(),
            visited: HashMap::new(),
            loitering: HashMap::new(),
            opened: HashMap::new(),
        }
    }

    /// The bus events for `output` on the stream `a`: none, one, or (an
    /// object leaving a zone it loitered in) two.
    pub fn events(&mut self, a: &StreamAssignment, output: Output) -> Vec<Event> {
        match output {
            Output::Scene(scene) => self.scene(a, scene),
            other => self.event(a, other).into_iter().collect(),
        }
    }

    /// The bus event for a motion or an object, if it makes one.
    fn event(&mut self, a: &StreamAssignment, output: Output) -> Option<Event> {
        let (id, kind, seq, start, end, attributes) = match output {
            Output::Motion(Change::Started { at_us, area }) => {
                let (id, _) = *self.motion.insert((Uuid::new_v4(), at_us));
                (id, "motion", 0, at_us, None, json!({ "box": area, "stream": a.role }))
            }
            Output::Motion(Change::Ended { started_us, ended_us, area, peak }) => {
                let (id, _) = self.motion.take()?;
                (id, "motion", 1, started_us, Some(ended_us), json!({ "box": area, "peak": peak, "stream": a.role }))
            }
            Output::Object(TrackEvent::Appeared(t)) => {
                let (id, _) = *self.objects.entry(t.id).or_insert_with(|| (Uuid::new_v4(), t.first_us));
                (id, "object", 0, t.first_us, None, self.object(&t, a))
            }
            Output::Object(TrackEvent::Left(t)) => {
                let zones = self.visited.remove(&t.id).unwrap_or_default();
                let (id, _) = self.objects.remove(&t.id)?;
                let mut attributes = self.object(&t, a);
                attributes["zones"] = json!(zones);
                (id, "object", 1, t.first_us, Some(t.last_us), attributes)
            }
            Output::Scene(_) => return None,
        };
        Some(self.message(a, id, kind, seq, start, end, attributes))
    }

    /// The message of an event: an opening one is remembered, a closing
    /// one repeats what it opened with, updated by `attributes`.
    #[allow(clippy::too_many_arguments)]
    fn message(
        &mut self,
        a: &StreamAssignment,
        id: Uuid,
        kind: &str,
        seq: u32,
        start: i64,
        end: Option<i64>,
        attributes: serde_json::Value,
    ) -> Event {
        let attributes = if seq == 0 {
            if end.is_none() {
                self.opened.insert(id, attributes.clone());
            }
            attributes
        } else {
            let mut merged = self.opened.remove(&id).unwrap_or_else(|| json!({}));
            if let (Some(merged), serde_json::Value::Object(update)) = (merged.as_object_mut(), attributes) {
                merged.extend(update);
            }
            merged
        };
        message(a, id, kind, seq, start, end, attributes)
    }

    /// The events of a zone or a line: moments, but for loitering, which
    /// lasts until the object leaves the zone.
    fn scene(&mut self, a: &StreamAssignment, event: SceneEvent) -> Vec<Event> {
        let moment = |kind, at, attributes| message(a, Uuid::new_v4(), kind, 0, at, Some(at), attributes);
        match event {
            SceneEvent::Entered { zone, object, at_us } => {
                let visited = self.visited.entry(object.track_id).or_default();
                if !visited.contains(&zone) {
                    visited.push(zone.clone());
                }
                let attributes = self.placed(a, &object, json!({ "zone": zone, "zones": [zone] }));
                vec![moment("zone_enter", at_us, attributes)]
            }
            SceneEvent::Left { zone, object, entered_us, left_us } => {
                let stayed = (left_us - entered_us).max(0) as f64 / 1e6;
                let mut out = Vec::new();
                if let Some((id, start)) = self.loitering.remove(&(zone.clone(), object.track_id)) {
                    let end = Some(left_us.max(start));
                    out.push(self.message(a, id, "loitering", 1, start, end, json!({ "stayed_secs": stayed })));
                }
                let entered = time(entered_us).to_rfc3339_opts(SecondsFormat::Micros, true);
                let attributes = self.placed(
                    a,
                    &object,
                    json!({ "zone": zone, "zones": [zone], "entered_at": entered, "stayed_secs": stayed }),
                );
                out.push(moment("zone_leave", left_us, attributes));
                out
            }
            SceneEvent::Loitering { zone, object, entered_us, at_us } => {
                let id = Uuid::new_v4();
                self.loitering.insert((zone.clone(), object.track_id), (id, entered_us));
                let waited = (at_us - entered_us).max(0) as f64 / 1e6;
                let attributes =
                    self.placed(a, &object, json!({ "zone": zone, "zones": [zone], "loitering_after_secs": waited }));
                vec![self.message(a, id, "loitering", 0, entered_us, None, attributes)]
            }
            SceneEvent::Crossed { line, direction, object, at_us, counts } => {
                let attributes = self.placed(
                    a,
                    &object,
                    json!({
                        "line": line,
                        "direction": direction.as_str(),
                        "count_left_to_right": counts.left_to_right,
                        "count_right_to_left": counts.right_to_left,
                    }),
                );
                vec![moment("line_crossed", at_us, attributes)]
            }
        }
    }

    /// `attributes` with who the object is: its label, track, box, and the
    /// id of its `object` event.
    fn placed(&self, a: &StreamAssignment, object: &Object, mut attributes: serde_json::Value) -> serde_json::Value {
        attributes["label"] = json!(self.label(object.label));
        attributes["track_id"] = json!(object.track_id);
        attributes["box"] = json!(object.rect);
        if let Some((id, _)) = self.objects.get(&object.track_id) {
            attributes["object_event_id"] = json!(id);
        }
        attributes["stream"] = json!(a.role);
        attributes
    }

    fn label(&self, index: usize) -> String {
        self.labels.get(index).cloned().unwrap_or_else(|| index.to_string())
    }

    /// Closes, at `now_us`, every event still open: the analysis ended
    /// without closing them (its thread failed). They say so in `closed`.
    pub fn close_open(&mut self, a: &StreamAssignment, now_us: i64) -> Vec<Event> {
        let closed = json!({ "closed": "the analysis stopped", "stream": a.role });
        let motion = self.motion.take().map(|(id, start)| (id, "motion", start));
        let objects = self.objects.drain().map(|(_, (id, start))| (id, "object", start));
        let loitering = self.loitering.drain().map(|(_, (id, start))| (id, "loitering", start));
        let open: Vec<(Uuid, &str, i64)> = motion.into_iter().chain(objects).chain(loitering).collect();
        self.visited.clear();
        open.into_iter()
            .map(|(id, kind, start)| self.message(a, id, kind, 1, start, Some(now_us.max(start)), closed.clone()))
            .collect()
    }

    /// An object's attributes: its label, track, best score with its box and
    /// the time of that picture (for the snapshot), and whether it stands still.
    fn object(&self, t: &crate::track::Track, a: &StreamAssignment) -> serde_json::Value {
        let (score, best_us, best_box) = t.best;
        let label = self.label(t.label);
        json!({
            "label": label,
            "track_id": t.id,
            "score": score,
            "box": best_box,
            "best_at": time(best_us).to_rfc3339_opts(SecondsFormat::Micros, true),
            "stationary": t.stationary,
            "stream": a.role,
        })
    }
}

fn message(
    a: &StreamAssignment,
    id: Uuid,
    kind: &str,
    seq: u32,
    start: i64,
    end: Option<i64>,
    attributes: serde_json::Value,
) -> Event {
    let serde_json::Value::Object(attributes) = attributes else { unreachable!("built as objects") };
    Event {
        id,
        tenant_id: a.tenant_id,
        camera_id: Some(a.camera_id),
        kind: kind.to_owned(),
        start: time(start),
        end: end.map(time),
        attributes,
        seq,
    }
}

fn time(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        geometry::Rect,
        track::{Detection, Settings, Tracker},
    };

    fn assignment() -> StreamAssignment {
        StreamAssignment {
            tenant_id: Uuid::from_u128(1),
            camera_id: Uuid::from_u128(2),
            stream_id: Uuid::from_u128(3),
            camera_name: "door".into(),
            role: vms_base::StreamRole::Sub,
            source_url: String::new(),
            transport: vms_base::Transport::Tcp,
            sealed_credentials: String::new(),
            analytics: String::new(),
        }
    }

    #[test]
    fn an_object_opens_and_closes_one_event_with_its_best_picture() {
        let mut events = Events::new(vec!["person".into()]);
        let mut tracker = Tracker::new(Settings { max_missed_us: 0, ..Settings::default() });
        let person = |score| Detection { label: 0, score, rect: Rect { x: 0.4, y: 0.3, w: 0.1, h: 0.3 } };
        let mut out = Vec::new();
        for (n, score) in [0.6, 0.9, 0.7].into_iter().enumerate() {
            out.extend(tracker.update(1_000_000 * n as i64, &[person(score)]));
        }
        out.extend(tracker.update(3_000_000, &[]));
        let a = assignment();
        let published: Vec<Event> = out.into_iter().flat_map(|o| events.events(&a, Output::Object(o))).collect();
        assert_eq!(published.len(), 2, "{published:?}");
        let (open, close) = (&published[0], &published[1]);
        assert_eq!((open.kind.as_str(), open.seq, close.seq), ("object", 0, 1));
        assert_eq!(open.id, close.id);
        assert_eq!(open.camera_id, Some(a.camera_id));
        assert_eq!(close.start, time(0));
        assert_eq!(close.end, Some(time(2_000_000)));
        assert_eq!(close.attributes["label"], "person");
        assert_eq!(close.attributes["best_at"], "1970-01-01T00:00:01.000000Z");
        assert!((close.attributes["score"].as_f64().unwrap() - 0.9).abs() < 1e-6);
    }

    #[test]
    fn events_left_open_are_closed_when_the_analysis_stops() {
        let mut events = Events::new(Vec::new());
        let a = assignment();
        let area = Rect { x: 0.0, y: 0.0, w: 1.0, h: 1.0 };
        let opened = events.event(&a, Output::Motion(Change::Started { at_us: 5, area })).unwrap();
        let closed = events.close_open(&a, 9);
        assert_eq!(closed.len(), 1);
        assert_eq!((closed[0].id, closed[0].seq, closed[0].end), (opened.id, 1, Some(time(9))));
        assert!(events.close_open(&a, 10).is_empty());
    }

    #[test]
    fn zones_and_lines_become_moments_and_loitering_lasts_until_leaving() {
        let mut events = Events::new(vec!["person".into()]);
        let a = assignment();
        let rect = Rect { x: 0.4, y: 0.3, w: 0.1, h: 0.3 };
        let object = Object { track_id: 7, label: 0, rect };
        let zone = || "Yard".to_string();
        let entered = events.events(&a, Output::Scene(SceneEvent::Entered { zone: zone(), object, at_us: 1_000_000 }));
        assert_eq!(entered.len(), 1);
        assert_eq!((entered[0].kind.as_str(), entered[0].end), ("zone_enter", Some(entered[0].start)));
        assert_eq!(entered[0].attributes["zone"], "Yard");
        assert_eq!(entered[0].attributes["zones"], json!(["Yard"]), "what searches and rules filter on");
        assert_eq!(entered[0].attributes["label"], "person");
        assert_eq!(entered[0].attributes["track_id"], 7);
        let loitering =
            Output::Scene(SceneEvent::Loitering { zone: zone(), object, entered_us: 1_000_000, at_us: 31_000_000 });
        let opened = events.events(&a, loitering);
        assert_eq!((opened[0].kind.as_str(), opened[0].start, opened[0].end), ("loitering", time(1_000_000), None));
        assert_eq!(opened[0].attributes["loitering_after_secs"], 30.0);
        let left = Output::Scene(SceneEvent::Left { zone: zone(), object, entered_us: 1_000_000, left_us: 41_000_000 });
        let left = events.events(&a, left);
        let kinds: Vec<(&str, u32)> = left.iter().map(|e| (e.kind.as_str(), e.seq)).collect();
        assert_eq!(kinds, [("loitering", 1), ("zone_leave", 0)]);
        assert_eq!((left[0].id, left[0].end), (opened[0].id, Some(time(41_000_000))));
        // The store keeps the closing message's attributes: they repeat the opening ones.
        assert_eq!(
            (left[0].attributes["zones"].clone(), left[0].attributes["stayed_secs"].clone()),
            (json!(["Yard"]), json!(40.0))
        );
        assert_eq!(left[0].attributes["loitering_after_secs"], 30.0);
        assert_eq!(left[1].attributes["stayed_secs"], 40.0);
        assert_eq!(left[1].attributes["entered_at"], "1970-01-01T00:00:01.000000Z");
        let counts = crate::scene::lines::Counts { left_to_right: 3, right_to_left: 1 };
        let crossed = SceneEvent::Crossed {
            line: "Gate".into(),
            direction: crate::scene::Direction::LeftToRight,
            object,
            at_us: 50_000_000,
            counts,
        };
        let crossed = events.events(&a, Output::Scene(crossed));
        assert_eq!(crossed[0].kind, "line_crossed");
        assert_eq!(crossed[0].attributes["direction"], "left_to_right");
        assert_eq!(
            (
                crossed[0].attributes["count_left_to_right"].as_u64(),
                crossed[0].attributes["count_right_to_left"].as_u64()
            ),
            (Some(3), Some(1))
        );
    }

    #[test]
    fn an_object_closes_with_the_zones_it_entered_and_carries_its_event_id_into_them() {
        let mut events = Events::new(vec!["person".into()]);
        let mut tracker = Tracker::new(Settings { max_missed_us: 0, ..Settings::default() });
        let person = Detection { label: 0, score: 0.9, rect: Rect { x: 0.4, y: 0.3, w: 0.1, h: 0.3 } };
        let a = assignment();
        let mut published = Vec::new();
        for n in 0..3 {
            for o in tracker.update(n * 1_000_000, &[person]) {
                published.extend(events.events(&a, Output::Object(o)));
            }
        }
        let object = Object { track_id: 1, label: 0, rect: person.rect };
        published
            .extend(events.events(&a, Output::Scene(SceneEvent::Entered { zone: "Door".into(), object, at_us: 1 })));
        for o in tracker.update(5_000_000, &[]) {
            published.extend(events.events(&a, Output::Object(o)));
        }
        let kinds: Vec<&str> = published.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["object", "zone_enter", "object"]);
        assert_eq!(published[1].attributes["object_event_id"], json!(published[0].id));
        assert_eq!(published[2].attributes["zones"], json!(["Door"]));
    }

    #[test]
    fn an_open_loitering_is_closed_when_the_analysis_stops() {
        let mut events = Events::new(Vec::new());
        let a = assignment();
        let object = Object { track_id: 1, label: 0, rect: Rect { x: 0.0, y: 0.0, w: 0.1, h: 0.1 } };
        let loitering = SceneEvent::Loitering { zone: "Yard".into(), object, entered_us: 0, at_us: 5 };
        let opened = events.events(&a, Output::Scene(loitering));
        let closed = events.close_open(&a, 9);
        assert_eq!((closed.len(), closed[0].id, closed[0].kind.as_str()), (1, opened[0].id, "loitering"));
        assert_eq!(
            (closed[0].attributes["zone"].as_str(), closed[0].attributes["closed"].as_str()),
            (Some("Yard"), Some("the analysis stopped"))
        );
        assert!(events.opened.is_empty(), "nothing is remembered of closed events");
    }

    #[test]
    fn an_end_without_a_start_publishes_nothing() {
        let mut events = Events::new(Vec::new());
        let ended =
            Change::Ended { started_us: 0, ended_us: 1, area: Rect { x: 0.0, y: 0.0, w: 1.0, h: 1.0 }, peak: 0.1 };
        assert!(events.event(&assignment(), Output::Motion(ended)).is_none());
    }
}
