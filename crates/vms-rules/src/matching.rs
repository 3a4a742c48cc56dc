//! Whether an event meets a rule's conditions, taken one event publication at
//! a time and without regard to time passing: the minimum duration, the
//! cooldown and the once-per-event rule belong to
//! [`Firings`](crate::Firings), which remembers.

use vms_base::schedule;

use crate::{Conditions, EventFacts};

/// Answers whether `event` meets every condition in `conditions` except the
/// minimum duration.
///
/// An empty list accepts anything; a non-empty one needs the event to have
/// the property and to match one entry exactly (case-sensitive). The schedule
/// is read at the event's start in its site's time zone, so an event that
/// began inside the schedule keeps matching as it updates after the
/// schedule closes.
pub fn matches(conditions: &Conditions, event: &EventFacts<'_>) -> bool {
    let c = conditions;
    any_or_empty(&c.types, |t| t == event.kind)
        && any_or_empty(&c.cameras, |id| event.camera_id == Some(*id))
        && any_or_empty(&c.sites, |id| event.site_id == Some(*id))
        && any_or_empty(&c.labels, |l| event.label() == Some(l))
        && any_or_empty(&c.lines, |l| event.line() == Some(l))
        && any_or_empty(&c.zones, |z| event.zones().any(|name| name == z))
        && (c.schedule.is_empty() || schedule::is_active(&c.schedule, event.site_tz, event.start))
}

fn any_or_empty<T>(list: &[T], accepts: impl Fn(&T) -> bool) -> bool {
    list.is_empty() || list.iter().any(accepts)
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;
    use serde_json::json;
    use uuid::Uuid;
    use vms_base::schedule::WeeklyRange;

    use super::*;
    use crate::test_utils::Event;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn empty_conditions_match_anything() {
        let event = Event::new("camera_offline").without_camera();
        assert!(matches(&Conditions::default(), &event.facts()));
    }

    #[test]
    fn types_match_exactly() {
        let c = Conditions { types: strings(&["object", "line_crossed"]), ..Default::default() };
        assert!(matches(&c, &Event::new("line_crossed").facts()));
        assert!(!matches(&c, &Event::new("camera_offline").facts()));
        assert!(!matches(&c, &Event::new("Object").facts()), "case-sensitive");
    }

    #[test]
    fn labels_need_a_label_attribute() {
        let c = Conditions { labels: strings(&["person"]), ..Default::default() };
        assert!(matches(&c, &Event::new("object").with(json!({"label": "person"})).facts()));
        assert!(!matches(&c, &Event::new("object").with(json!({"label": "car"})).facts()));
        assert!(!matches(&c, &Event::new("object").with(json!({"label": "Person"})).facts()));
        assert!(!matches(&c, &Event::new("object").facts()), "no label at all");
    }

    #[test]
    fn cameras_and_sites_need_the_event_to_have_one() {
        let event = Event::new("object");
        let camera = event.camera_id.unwrap();
        let site = event.site_id.unwrap();
        let on = |cameras: Vec<Uuid>, sites: Vec<Uuid>| Conditions { cameras, sites, ..Default::default() };
        assert!(matches(&on(vec![Uuid::new_v4(), camera], vec![]), &event.facts()));
        assert!(!matches(&on(vec![Uuid::new_v4()], vec![]), &event.facts()));
        assert!(matches(&on(vec![], vec![site]), &event.facts()));
        assert!(!matches(&on(vec![], vec![Uuid::new_v4()]), &event.facts()));
        assert!(!matches(&on(vec![camera], vec![]), &event.clone().without_camera().facts()));
        assert!(!matches(&on(vec![], vec![site]), &event.without_camera().facts()));
    }

    #[test]
    fn zones_need_one_name_in_common() {
        let c = Conditions { zones: strings(&["door", "gate"]), ..Default::default() };
        assert!(matches(&c, &Event::new("object").with(json!({"zones": ["yard", "gate"]})).facts()));
        assert!(!matches(&c, &Event::new("object").with(json!({"zones": ["yard"]})).facts()));
        assert!(!matches(&c, &Event::new("object").with(json!({"zones": []})).facts()));
        assert!(!matches(&c, &Event::new("object").with(json!({"zones": "door"})).facts()), "not an array");
    }

    #[test]
    fn lines_match_the_crossed_line() {
        let c = Conditions { lines: strings(&["north"]), ..Default::default() };
        assert!(matches(&c, &Event::new("line_crossed").with(json!({"line": "north"})).facts()));
        assert!(!matches(&c, &Event::new("line_crossed").with(json!({"line": "south"})).facts()));
        assert!(!matches(&c, &Event::new("line_crossed").facts()));
    }

    #[test]
    fn the_schedule_is_read_at_the_start_in_the_site_time_zone() {
        let nights = WeeklyRange { days: strings(&["mon"]), start: "22:00".into(), end: "06:00".into() };
        let c = Conditions { schedule: vec![nights], ..Default::default() };
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        // Monday 13:30 UTC is Monday 22:30 in Tokyo, and 13:30 in UTC.
        let event = Event::new("object").starting("2026-07-13T13:30:00Z");
        assert!(!matches(&c, &event.facts()));
        assert!(matches(&c, &event.clone().in_zone(tokyo.clone()).facts()));
        // Still matching once it has ended outside the schedule.
        let ended = event.in_zone(tokyo).ending("2026-07-14T12:00:00Z");
        assert!(matches(&c, &ended.facts()));
    }

    #[test]
    fn every_condition_must_hold() {
        let c = Conditions { types: strings(&["object"]), labels: strings(&["person"]), ..Default::default() };
        assert!(matches(&c, &Event::new("object").with(json!({"label": "person"})).facts()));
        assert!(!matches(&c, &Event::new("object").with(json!({"label": "car"})).facts()));
        assert!(!matches(&c, &Event::new("motion").with(json!({"label": "person"})).facts()));
    }

    #[test]
    fn the_minimum_duration_is_not_a_matching_condition() {
        let c = Conditions { min_duration_secs: 60, ..Default::default() };
        assert!(matches(&c, &Event::new("object").facts()));
    }
}
