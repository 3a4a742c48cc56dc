//! What a camera's analysis found, as bus events (docs/ref/events.md): a
//! motion event per motion, an `object` event per followed object. An
//! event's first message opens it (no end) and its second, with the same
//! id, closes it; times are the media plane's arrival times.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
use uuid::Uuid;
use vms_bus::events::Event;
use vms_plane::StreamAssignment;

use crate::{analyse::Output, motion::events::Change, track::TrackEvent};

/// One camera's events in progress.
pub(crate) struct Events {
    /// The class names of the plane's model.
    labels: Vec<String>,
    /// The motion event open, and when it started.
    motion: Option<(Uuid, i64)>,
    /// Event ids of the objects followed, and when each was first seen, by track id.
    objects: HashMap<u64, (Uuid, i64)>,
}

impl Events {
    /// Events named with the model's `labels`.
    pub fn new(labels: Vec<String>) -> Self {
        Self { labels, motion: None, objects: HashMap::new() }
    }

    /// The bus event for `output` on the stream `a`, if it makes one.
    pub fn event(&mut self, a: &StreamAssignment, output: Output) -> Option<Event> {
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
                let (id, _) = self.objects.remove(&t.id)?;
                (id, "object", 1, t.first_us, Some(t.last_us), self.object(&t, a))
            }
        };
        Some(message(a, id, kind, seq, start, end, attributes))
    }

    /// Closes, at `now_us`, every event still open: the analysis ended
    /// without closing them (its thread failed). They say so in `closed`.
    pub fn close_open(&mut self, a: &StreamAssignment, now_us: i64) -> Vec<Event> {
        let closed = json!({ "closed": "the analysis stopped", "stream": a.role });
        let motion = self.motion.take().map(|(id, start)| (id, "motion", start));
        let objects = self.objects.drain().map(|(_, (id, start))| (id, "object", start));
        motion
            .into_iter()
            .chain(objects)
            .map(|(id, kind, start)| message(a, id, kind, 1, start, Some(now_us.max(start)), closed.clone()))
            .collect()
    }

    /// An object's attributes: its label, track, best score with its box and
    /// the time of that picture (for the snapshot), and whether it stands still.
    fn object(&self, t: &crate::track::Track, a: &StreamAssignment) -> serde_json::Value {
        let (score, best_us, best_box) = t.best;
        let label = self.labels.get(t.label).cloned().unwrap_or_else(|| t.label.to_string());
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
        let published: Vec<Event> = out.into_iter().filter_map(|o| events.event(&a, Output::Object(o))).collect();
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
    fn an_end_without_a_start_publishes_nothing() {
        let mut events = Events::new(Vec::new());
        let ended =
            Change::Ended { started_us: 0, ended_us: 1, area: Rect { x: 0.0, y: 0.0, w: 1.0, h: 1.0 }, peak: 0.1 };
        assert!(events.event(&assignment(), Output::Motion(ended)).is_none());
    }
}
