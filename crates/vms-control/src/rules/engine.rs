//! The rules at work: the tenants' enabled rules and their sites' time
//! zones, held in memory and reloaded when a rule changes, asked about each
//! event the consumer stores. What fires comes back as [`Fired`] for the
//! caller to act on; the decisions themselves are `vms-rules`'.
//!
//! A rule with a minimum duration whose event has not lasted it yet waits:
//! it is asked again on the event's next update, and once a second for
//! those whose time has come (an outage that has not ended yet).

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use jiff::{Timestamp, tz::TimeZone};
use sqlx::PgPool;
use uuid::Uuid;
use vms_catalog::{CatalogError, Scope, event::StoredEvent, scope};
use vms_rules::{Action, Decision, EventFacts, Firings, Rule};

/// How often the rules are checked for changes.
const CHECK_EVERY: Duration = Duration::from_secs(2);
/// The most (rule, event) pairs waiting for their minimum duration.
const MAX_WAITING: usize = 10_000;
/// How often the sites' time zones are read again.
const ZONES_EVERY: Duration = Duration::from_secs(60);

/// A rule that fired for an event: the actions to take.
#[derive(Debug, Clone)]
pub struct Fired {
    /// The rule.
    pub rule_id: Uuid,
    /// Its name, for the receivers.
    pub rule_name: String,
    /// The event.
    pub event: Arc<StoredEvent>,
    /// What to do, in order.
    pub actions: Vec<Action>,
}

/// Rules, time zones and what fired before.
#[derive(Debug, Default)]
pub struct Engine {
    rules: HashMap<Uuid, Vec<Rule>>,
    site_tz: HashMap<Uuid, TimeZone>,
    firings: Firings,
    waiting: HashMap<(Uuid, Uuid), (Timestamp, Arc<StoredEvent>)>,
    version: Option<Option<(DateTime<Utc>, i64)>>,
    checked_at: Option<Instant>,
    zones_at: Option<Instant>,
}

fn timestamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp::from_microsecond(t.timestamp_micros()).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Engine {
    /// Reloads the rules and time zones if a rule changed (checked at most
    /// every [`CHECK_EVERY`]).
    pub async fn refresh(&mut self, db: &PgPool) -> Result<(), CatalogError> {
        if self.checked_at.is_some_and(|at| at.elapsed() < CHECK_EVERY) {
            return Ok(());
        }
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        let version = vms_catalog::rule::last_change(&mut *tx).await?;
        self.checked_at = Some(Instant::now());
        // Sites change without a rule changing: their time zones are read again each minute.
        let zones_stale = self.zones_at.is_none_or(|at| at.elapsed() >= ZONES_EVERY);
        if self.version == Some(version) && !zones_stale {
            return Ok(());
        }
        let stored = vms_catalog::rule::all_enabled(&mut *tx).await?;
        let zones = vms_catalog::site::timezones(&mut *tx).await?;
        let mut rules: HashMap<Uuid, Vec<Rule>> = HashMap::new();
        for r in stored {
            match crate::rule_api::model::to_rule(&r) {
                Ok(rule) => rules.entry(r.tenant_id).or_default().push(rule),
                Err(e) => tracing::warn!(rule = %r.id, error = %e, "skipping a stored rule that no longer reads"),
            }
        }
        self.rules = rules;
        self.site_tz =
            zones.into_iter().map(|(id, name)| (id, TimeZone::get(&name).unwrap_or(TimeZone::UTC))).collect();
        self.version = Some(version);
        self.waiting.retain(|(rule, _), _| self.rules.values().flatten().any(|r| r.id == *rule));
        Ok(())
    }

    /// Whether any tenant has an enabled rule.
    pub fn has_rules(&self) -> bool {
        !self.rules.is_empty()
    }

    /// Asks every rule of each event's tenant about it, at `now`.
    pub fn evaluate(&mut self, events: &[Arc<StoredEvent>], now: DateTime<Utc>) -> Vec<Fired> {
        let mut fired = Vec::new();
        for event in events {
            let Some(rules) = self.rules.get(&event.tenant_id) else { continue };
            for rule in rules {
                fired.extend(decide(&mut self.firings, &mut self.waiting, &self.site_tz, rule, event, now));
            }
        }
        fired
    }

    /// Asks again about the waiting events whose minimum duration has come.
    pub fn due(&mut self, now: DateTime<Utc>) -> Vec<Fired> {
        let ts = timestamp(now);
        let ready: Vec<(Uuid, Uuid)> =
            self.waiting.iter().filter(|(_, (due, _))| *due <= ts).map(|(key, _)| *key).collect();
        let mut fired = Vec::new();
        for key in ready {
            let Some((_, event)) = self.waiting.remove(&key) else { continue };
            let Some(rule) = self.rules.get(&event.tenant_id).and_then(|rs| rs.iter().find(|r| r.id == key.0)) else {
                continue;
            };
            fired.extend(decide(&mut self.firings, &mut self.waiting, &self.site_tz, rule, &event, now));
        }
        fired
    }
}

fn decide(
    firings: &mut Firings,
    waiting: &mut HashMap<(Uuid, Uuid), (Timestamp, Arc<StoredEvent>)>,
    site_tz: &HashMap<Uuid, TimeZone>,
    rule: &Rule,
    event: &Arc<StoredEvent>,
    now: DateTime<Utc>,
) -> Option<Fired> {
    let empty = serde_json::Map::new();
    let utc = TimeZone::UTC;
    let tz = event.site_id.and_then(|s| site_tz.get(&s)).unwrap_or(&utc);
    let facts = EventFacts {
        id: event.id,
        camera_id: event.camera_id,
        site_id: event.site_id,
        kind: &event.kind,
        start: timestamp(event.start_time),
        end: event.end_time.map(timestamp),
        attributes: event.attributes.as_object().unwrap_or(&empty),
        site_tz: tz,
    };
    let now = timestamp(now);
    let key = (rule.id, event.id);
    match firings.decide(rule, &facts, now) {
        Decision::Fire => {
            firings.record(rule, &facts, now);
            waiting.remove(&key);
            Some(Fired {
                rule_id: rule.id,
                rule_name: rule.name.clone(),
                event: event.clone(),
                actions: rule.actions.clone(),
            })
        }
        Decision::Wait => {
            let due = facts.start + jiff::SignedDuration::from_secs(i64::from(rule.conditions.min_duration_secs));
            if waiting.len() < MAX_WAITING || waiting.contains_key(&key) {
                waiting.insert(key, (due, event.clone()));
            } else {
                tracing::warn!(rule = %rule.id, "too many events wait for their minimum duration; this one is asked again on its next update only");
            }
            None
        }
        Decision::NoMatch | Decision::Cooldown | Decision::AlreadyFired => {
            waiting.remove(&key);
            None
        }
    }
}
