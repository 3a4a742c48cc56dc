//! Deciding whether a rule fires for an event now, given what fired before.
//!
//! An event reaches the rules each time it is published: when it starts,
//! each time it updates and when it ends, always under the same id. A rule
//! must still act once per event, act only once the event has lasted its
//! minimum duration, and stay quiet per camera for its cooldown. That needs
//! memory, which [`Firings`] holds as plain data: the caller owns it, passes
//! the time in, and persists or shares it as it sees fit.
//!
//! # Bounded memory
//!
//! An event is acted on only while it is younger than `max_event_age`
//! (24 hours by default) plus the rule's minimum duration; after that,
//! [`Firings::decide`] answers [`Decision::NoMatch`] for it. A firing is
//! remembered until its event is past that age for any valid rule
//! (`max_event_age` + 24 hours after its start), so forgetting it can never
//! let the rule fire again for the same event. Memory therefore follows the
//! number of firings over the last two days. As a last resort against a
//! flood, at most `max_events` firings (100 000 by default) are remembered,
//! the oldest events forgotten first; an update to an event forgotten that
//! way may fire its rule a second time. Cooldowns are remembered for 24
//! hours, the longest a valid rule asks for.
//!
//! Time is whatever the caller says `now` is, and it should not go back: a
//! firing forgotten at one `now` is not restored for an earlier one.

use std::collections::{BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::{EventFacts, Rule, limits, matches};

/// How long after it starts an event is acted on, by default (plus the
/// rule's minimum duration).
pub const DEFAULT_MAX_EVENT_AGE: SignedDuration = SignedDuration::from_hours(24);

/// How many firings are remembered at most, by default.
pub const DEFAULT_MAX_EVENTS: usize = 100_000;

/// What a rule should do about one publication of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Run the rule's actions now, then call [`Firings::record`].
    Fire,
    /// The event matches but has not yet lasted the minimum duration; ask
    /// again on its next update, or at its start plus the minimum duration.
    Wait,
    /// The rule is disabled, the event does not match, it ended before
    /// lasting the minimum duration, or it is too old to act on.
    NoMatch,
    /// The rule fired for this camera too recently.
    Cooldown,
    /// The rule already fired for this event.
    AlreadyFired,
}

/// What fired before: which rules fired for which events, and when each rule
/// last fired for each camera. Memory is bounded as the module docs explain.
#[derive(Debug, Clone)]
pub struct Firings {
    max_event_age: SignedDuration,
    max_events: usize,
    /// Start of each event a rule fired for, keyed by (rule, event).
    fired: HashMap<(Uuid, Uuid), Timestamp>,
    /// The same firings ordered by event start, oldest first, to forget.
    by_start: BTreeSet<(Timestamp, Uuid, Uuid)>,
    /// When each rule last fired for each camera; `None` is "no camera".
    last_fired: HashMap<(Uuid, Option<Uuid>), Timestamp>,
    /// Size of `last_fired` at which expired cooldowns are next dropped.
    prune_cooldowns_at: usize,
}

impl Default for Firings {
    fn default() -> Self {
        Self::with_limits(DEFAULT_MAX_EVENT_AGE, DEFAULT_MAX_EVENTS)
    }
}

impl Firings {
    /// Returns an empty memory with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns an empty memory that acts on events for `max_event_age` after
    /// they start (plus the rule's minimum duration) and remembers at most
    /// `max_events` firings. `max_event_age` must exceed the delay between an
    /// event's start and its first publication, or the event is never acted
    /// on.
    pub fn with_limits(max_event_age: SignedDuration, max_events: usize) -> Self {
        Self {
            max_event_age,
            max_events,
            fired: HashMap::new(),
            by_start: BTreeSet::new(),
            last_fired: HashMap::new(),
            prune_cooldowns_at: 64,
        }
    }

    /// Returns how many (rule, event) firings are remembered.
    pub fn remembered_events(&self) -> usize {
        self.fired.len()
    }

    /// Decides what `rule` should do about this publication of `event` at
    /// `now`. Changes nothing: after acting on [`Decision::Fire`], call
    /// [`Firings::record`].
    pub fn decide(&self, rule: &Rule, event: &EventFacts<'_>, now: Timestamp) -> Decision {
        if !rule.enabled {
            return Decision::NoMatch;
        }
        if self.fired.contains_key(&(rule.id, event.id)) {
            return Decision::AlreadyFired;
        }
        let min_duration = secs(rule.conditions.min_duration_secs.min(limits::MAX_MIN_DURATION_SECS));
        if now.duration_since(event.start) > self.max_event_age.saturating_add(min_duration) {
            return Decision::NoMatch;
        }
        if !matches(&rule.conditions, event) {
            return Decision::NoMatch;
        }
        if event.lasted(now) < min_duration {
            return if event.end.is_some() { Decision::NoMatch } else { Decision::Wait };
        }
        let cooldown = secs(rule.cooldown_secs.min(limits::MAX_COOLDOWN_SECS));
        if let Some(last) = self.last_fired.get(&(rule.id, event.camera_id))
            && now.duration_since(*last) < cooldown
        {
            return Decision::Cooldown;
        }
        Decision::Fire
    }

    /// Remembers that `rule` fired for `event` at `now`, and forgets what can
    /// no longer matter at `now`.
    pub fn record(&mut self, rule: &Rule, event: &EventFacts<'_>, now: Timestamp) {
        self.forget(now);
        if let Some(start) = self.fired.insert((rule.id, event.id), event.start) {
            self.by_start.remove(&(start, rule.id, event.id));
        }
        self.by_start.insert((event.start, rule.id, event.id));
        while self.fired.len() > self.max_events {
            let (_, rule_id, event_id) = self.by_start.pop_first().expect("by_start should index every firing");
            self.fired.remove(&(rule_id, event_id));
        }
        self.last_fired.insert((rule.id, event.camera_id), now);
    }

    /// Forgets firings of events too old to act on, and, once the cooldown
    /// map has doubled since it was last swept, cooldowns that have run out.
    fn forget(&mut self, now: Timestamp) {
        let horizon = self.max_event_age.saturating_add(secs(limits::MAX_MIN_DURATION_SECS));
        while let Some(&(start, rule_id, event_id)) = self.by_start.first()
            && now.duration_since(start) > horizon
        {
            self.by_start.pop_first();
            self.fired.remove(&(rule_id, event_id));
        }
        if self.last_fired.len() >= self.prune_cooldowns_at {
            let longest = secs(limits::MAX_COOLDOWN_SECS);
            self.last_fired.retain(|_, last| now.duration_since(*last) < longest);
            self.prune_cooldowns_at = (2 * self.last_fired.len()).max(64);
        }
    }
}

fn secs(secs: u32) -> SignedDuration {
    SignedDuration::from_secs(i64::from(secs))
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan;
    use uuid::Uuid;

    use super::*;
    use crate::{
        Action, Conditions,
        test_utils::{Event, at},
    };

    fn armed(conditions: Conditions, cooldown_secs: u32) -> Rule {
        Rule {
            id: Uuid::new_v4(),
            name: "test".into(),
            enabled: true,
            conditions,
            actions: vec![Action::Snapshot],
            cooldown_secs,
        }
    }

    fn waiting(min_duration_secs: u32) -> Conditions {
        Conditions { min_duration_secs, ..Default::default() }
    }

    fn after(event: &Event, secs: i64) -> Timestamp {
        event.start + secs.seconds()
    }

    #[test]
    fn a_matching_event_fires() {
        let event = Event::new("object");
        assert_eq!(
            Firings::new().decide(&armed(Conditions::default(), 0), &event.facts(), event.start),
            Decision::Fire
        );
    }

    #[test]
    fn a_disabled_rule_matches_nothing() {
        let event = Event::new("object");
        let mut rule = armed(Conditions::default(), 0);
        rule.enabled = false;
        assert_eq!(Firings::new().decide(&rule, &event.facts(), event.start), Decision::NoMatch);
    }

    #[test]
    fn a_non_matching_event_does_not_fire() {
        let event = Event::new("object");
        let rule = armed(Conditions { types: vec!["motion".into()], ..Default::default() }, 0);
        assert_eq!(Firings::new().decide(&rule, &event.facts(), event.start), Decision::NoMatch);
    }

    #[test]
    fn a_rule_fires_once_per_event_across_updates() {
        let rule = armed(Conditions::default(), 0);
        let event = Event::new("object");
        let mut firings = Firings::new();
        firings.record(&rule, &event.facts(), event.start);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 5)), Decision::AlreadyFired);
        let ended = event.clone().ending("2026-07-13T10:00:30Z");
        assert_eq!(firings.decide(&rule, &ended.facts(), after(&event, 30)), Decision::AlreadyFired);
        // Another rule, or another event, is not affected.
        let other_rule = armed(Conditions::default(), 0);
        assert_eq!(firings.decide(&other_rule, &event.facts(), after(&event, 5)), Decision::Fire);
        assert_eq!(firings.decide(&rule, &Event::new("object").facts(), after(&event, 5)), Decision::Fire);
    }

    #[test]
    fn a_rule_waits_for_the_minimum_duration() {
        let rule = armed(waiting(60), 0);
        let event = Event::new("camera_offline");
        let firings = Firings::new();
        assert_eq!(firings.decide(&rule, &event.facts(), event.start), Decision::Wait);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 59)), Decision::Wait);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 60)), Decision::Fire);
        // An update that ends it late enough fires too, whenever it arrives.
        let ended = event.clone().ending("2026-07-13T10:02:00Z");
        assert_eq!(firings.decide(&rule, &ended.facts(), after(&event, 600)), Decision::Fire);
    }

    #[test]
    fn an_event_that_ended_too_soon_never_fires() {
        let rule = armed(waiting(60), 0);
        let event = Event::new("camera_offline").ending("2026-07-13T10:00:59Z");
        let firings = Firings::new();
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 59)), Decision::NoMatch);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 3600)), Decision::NoMatch);
    }

    #[test]
    fn a_waiting_event_that_stops_matching_is_no_match() {
        let rule = armed(Conditions { labels: vec!["person".into()], min_duration_secs: 60, ..Default::default() }, 0);
        let event = Event::new("object").with(serde_json::json!({"label": "person"}));
        let firings = Firings::new();
        assert_eq!(firings.decide(&rule, &event.facts(), event.start), Decision::Wait);
        let relabelled = event.clone().with(serde_json::json!({"label": "car"}));
        assert_eq!(firings.decide(&rule, &relabelled.facts(), after(&event, 60)), Decision::NoMatch);
    }

    #[test]
    fn cooldown_is_per_rule_and_camera() {
        let rule = armed(Conditions::default(), 60);
        let first = Event::new("object");
        let mut firings = Firings::new();
        firings.record(&rule, &first.facts(), first.start);

        let second = Event { id: Uuid::new_v4(), ..first.clone() };
        assert_eq!(firings.decide(&rule, &second.facts(), after(&first, 59)), Decision::Cooldown);
        assert_eq!(firings.decide(&rule, &second.facts(), after(&first, 60)), Decision::Fire);

        let elsewhere = Event::new("object");
        assert_eq!(firings.decide(&rule, &elsewhere.facts(), after(&first, 1)), Decision::Fire);
        let other_rule = armed(Conditions::default(), 60);
        assert_eq!(firings.decide(&other_rule, &second.facts(), after(&first, 1)), Decision::Fire);
    }

    #[test]
    fn camera_less_events_share_one_cooldown() {
        let rule = armed(Conditions::default(), 60);
        let first = Event::new("license_expiring").without_camera();
        let mut firings = Firings::new();
        firings.record(&rule, &first.facts(), first.start);
        let second = Event::new("disk_full").without_camera();
        assert_eq!(firings.decide(&rule, &second.facts(), after(&first, 30)), Decision::Cooldown);
        assert_eq!(firings.decide(&rule, &Event::new("object").facts(), after(&first, 30)), Decision::Fire);
    }

    #[test]
    fn a_waiting_event_in_cooldown_waits_first() {
        let rule = armed(waiting(60), 600);
        let first = Event::new("object");
        let mut firings = Firings::new();
        firings.record(&rule, &first.facts(), first.start);
        let second = Event { id: Uuid::new_v4(), ..first.clone() };
        assert_eq!(firings.decide(&rule, &second.facts(), after(&first, 10)), Decision::Wait);
        assert_eq!(firings.decide(&rule, &second.facts(), after(&first, 60)), Decision::Cooldown);
    }

    #[test]
    fn old_events_are_not_acted_on_and_their_firings_are_forgotten() {
        let rule = armed(Conditions::default(), 0);
        let event = Event::new("camera_offline");
        let mut firings = Firings::with_limits(SignedDuration::from_hours(1), 100);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 3600)), Decision::Fire);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 3601)), Decision::NoMatch);

        firings.record(&rule, &event.facts(), event.start);
        // Kept while a rule waiting up to the longest minimum duration could
        // still act on the event, then forgotten; the event stays no match.
        let horizon = 3600 + i64::from(limits::MAX_MIN_DURATION_SECS);
        let fresh = Event::new("object").starting("2026-07-14T10:00:00Z");
        firings.record(&rule, &fresh.facts(), after(&event, horizon));
        assert_eq!(firings.remembered_events(), 2);
        firings.record(&rule, &fresh.facts(), after(&event, horizon + 1));
        assert_eq!(firings.remembered_events(), 1);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, horizon + 1)), Decision::NoMatch);
    }

    #[test]
    fn the_minimum_duration_extends_how_long_an_event_is_acted_on() {
        let rule = armed(waiting(1800), 0);
        let event = Event::new("camera_offline");
        let firings = Firings::with_limits(SignedDuration::from_hours(1), 100);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 5400)), Decision::Fire);
        assert_eq!(firings.decide(&rule, &event.facts(), after(&event, 5401)), Decision::NoMatch);
    }

    #[test]
    fn the_cap_forgets_the_oldest_events_first() {
        let rule = armed(Conditions::default(), 0);
        let mut firings = Firings::with_limits(DEFAULT_MAX_EVENT_AGE, 2);
        let events: Vec<Event> =
            (0..3).map(|i| Event::new("object").starting(&format!("2026-07-13T10:0{i}:00Z"))).collect();
        let now = at("2026-07-13T10:05:00Z");
        for event in &events {
            firings.record(&rule, &event.facts(), now);
        }
        assert_eq!(firings.remembered_events(), 2);
        assert_eq!(firings.decide(&rule, &events[0].facts(), now), Decision::Fire);
        assert_eq!(firings.decide(&rule, &events[1].facts(), now), Decision::AlreadyFired);
        assert_eq!(firings.decide(&rule, &events[2].facts(), now), Decision::AlreadyFired);
    }

    #[test]
    fn expired_cooldowns_are_swept() {
        let rule = armed(Conditions::default(), 60);
        let mut firings = Firings::new();
        let start = at("2026-07-13T10:00:00Z");
        for _ in 0..64 {
            let event = Event::new("object");
            firings.record(&rule, &event.facts(), start);
        }
        assert_eq!(firings.last_fired.len(), 64);
        let late = start + SignedDuration::from_hours(25);
        let event = Event::new("object").starting("2026-07-14T11:00:00Z");
        firings.record(&rule, &event.facts(), late);
        assert_eq!(firings.last_fired.len(), 1);
    }

    #[test]
    fn out_of_range_limits_are_clamped() {
        let rule = armed(Conditions::default(), u32::MAX);
        let first = Event::new("object");
        let mut firings = Firings::new();
        firings.record(&rule, &first.facts(), first.start);
        let second = Event { id: Uuid::new_v4(), start: after(&first, 86_400), ..first.clone() };
        assert_eq!(firings.decide(&rule, &second.facts(), after(&first, 86_400)), Decision::Fire);
    }
}
