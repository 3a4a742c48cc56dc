//! What the evaluator knows of one event, borrowed from wherever the event
//! lives (a bus message, a database row), so that evaluating a hundred rules
//! against it copies nothing.
//!
//! The attributes the conditions read are the ones the analytics and camera
//! planes publish: `label` (a string), `zones` (an array of zone names) and
//! `line` (a string). Anything else in the map is ignored, and an attribute
//! of the wrong JSON type counts as absent.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde_json::{Map, Value};
use uuid::Uuid;

/// One event, as rules see it.
///
/// An event is published again, under the same `id`, each time it updates
/// and when it ends; `start` stays the same throughout.
#[derive(Debug, Clone, Copy)]
pub struct EventFacts<'a> {
    /// Identity of the event, the same across its updates.
    pub id: Uuid,
    /// Camera it happened on, if any (a licence warning has none).
    pub camera_id: Option<Uuid>,
    /// Site of that camera, if known.
    pub site_id: Option<Uuid>,
    /// Event type: `object`, `line_crossed`, `camera_offline`, ...
    pub kind: &'a str,
    /// When it started.
    pub start: Timestamp,
    /// When it ended; none while it is still going on.
    pub end: Option<Timestamp>,
    /// Free-form details published with the event.
    pub attributes: &'a Map<String, Value>,
    /// Time zone of the site, in which schedules are read. Callers pass UTC
    /// for events without a site.
    pub site_tz: &'a TimeZone,
}

impl EventFacts<'_> {
    /// Returns the `label` attribute, if it is a string.
    pub fn label(&self) -> Option<&str> {
        self.attributes.get("label").and_then(Value::as_str)
    }

    /// Returns the `line` attribute, if it is a string.
    pub fn line(&self) -> Option<&str> {
        self.attributes.get("line").and_then(Value::as_str)
    }

    /// Returns the names in the `zones` attribute, skipping entries that are
    /// not strings; nothing if the attribute is absent or not an array.
    pub fn zones(&self) -> impl Iterator<Item = &str> {
        self.attributes.get("zones").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
    }

    /// Returns how long the event has lasted as of `now`: up to its end if it
    /// has ended, up to `now` otherwise. Negative if `now` is before `start`.
    pub fn lasted(&self, now: Timestamp) -> SignedDuration {
        self.end.unwrap_or(now).duration_since(self.start)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    static UTC: TimeZone = TimeZone::UTC;

    fn facts<'a>(attributes: &'a Map<String, Value>) -> EventFacts<'a> {
        EventFacts {
            id: Uuid::nil(),
            camera_id: None,
            site_id: None,
            kind: "object",
            start: "2026-07-13T10:00:00Z".parse().unwrap(),
            end: None,
            attributes,
            site_tz: &UTC,
        }
    }

    #[test]
    fn attributes_of_the_wrong_type_count_as_absent() {
        let attributes = json!({"label": 3, "line": ["north"], "zones": "door"});
        let event = facts(attributes.as_object().unwrap());
        assert_eq!(event.label(), None);
        assert_eq!(event.line(), None);
        assert_eq!(event.zones().count(), 0);
    }

    #[test]
    fn zones_skip_entries_that_are_not_names() {
        let attributes = json!({"label": "person", "line": "north", "zones": ["door", 7, null, "yard"]});
        let event = facts(attributes.as_object().unwrap());
        assert_eq!(event.label(), Some("person"));
        assert_eq!(event.line(), Some("north"));
        assert_eq!(event.zones().collect::<Vec<_>>(), ["door", "yard"]);
    }

    #[test]
    fn an_event_lasts_until_its_end_or_until_now() {
        let attributes = Map::new();
        let mut event = facts(&attributes);
        let now: Timestamp = "2026-07-13T10:05:00Z".parse().unwrap();
        assert_eq!(event.lasted(now), SignedDuration::from_mins(5));
        event.end = Some("2026-07-13T10:01:00Z".parse().unwrap());
        assert_eq!(event.lasted(now), SignedDuration::from_mins(1));
    }
}
