//! Raising and clearing alerts with hysteresis. Pure: the caller feeds it
//! what the checks observed and the time, and acts on the changes it returns.
//!
//! A condition must hold for its rule's `for_secs` before its alert is
//! raised, and be gone for `clear_after_secs` before it clears; a check may
//! also answer [`Level::Holding`] (between its raise and clear thresholds,
//! or unable to tell: a recorder that stopped reporting), which keeps the
//! alert as it is. An alert whose subject is no longer observed at all (a
//! camera deleted) counts as gone, but only for the kinds checked this
//! round: a check that could not run (the database away) clears nothing.

use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rule::{AlertKind, Rules, Severity};

/// What a check found of one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The condition holds.
    Firing,
    /// Keep the alert as it is.
    Holding,
    /// The condition is gone.
    Clear,
}

/// Whom an alert concerns, and so which tenants hear of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// One camera: its tenant.
    Camera {
        /// The camera's tenant.
        tenant_id: Uuid,
        /// The camera.
        camera_id: Uuid,
    },
    /// What records or serves every tenant's cameras (a recorder, a plane):
    /// every tenant with cameras.
    Shared {
        /// The node it is on.
        node: String,
    },
    /// The installation itself (its licence, its audit trail): its
    /// administrators, in the default tenant.
    Installation,
}

/// One observation of one subject by one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Which rule.
    pub kind: AlertKind,
    /// Names the subject within the rule (a camera and stream, a node and
    /// root); with the kind, it identifies the alert.
    pub subject_key: String,
    /// Whom it concerns.
    pub subject: Subject,
    /// What it found.
    pub level: Level,
    /// For super-admins: what is wrong, with every detail (paths included).
    pub message: String,
    /// For the tenants that hear of it: the same without the installation's
    /// internals (no storage paths, no other tenants' figures).
    pub told: String,
    /// The figure the threshold was compared with, in the rule's unit.
    pub value: Option<f64>,
}

impl Observation {
    /// The alert's key: the kind and subject, hashed so that tenants' event
    /// attributes carry no paths, yet control finds the alert again after a restart.
    pub fn key(&self) -> String {
        alert_key(self.kind, &self.subject_key)
    }
}

/// The key of the alert of `kind` on `subject_key`.
pub fn alert_key(kind: AlertKind, subject_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{}\n{subject_key}", kind.as_str()));
    format!("{}:{}", kind.as_str(), hex::encode(&digest[..8]))
}

/// A raised alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Stays the same from raise to clear.
    pub id: Uuid,
    /// Which rule raised it.
    pub kind: AlertKind,
    /// How urgent.
    pub severity: Severity,
    /// Kind and subject, hashed.
    pub key: String,
    /// Whom it concerns.
    pub subject: Subject,
    /// For super-admins.
    pub message: String,
    /// For the tenants.
    pub told: String,
    /// The figure, in the rule's unit, as last observed.
    pub value: Option<f64>,
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
}

/// What a round changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A new alert.
    Raised(Alert),
    /// An alert that cleared, as it last was.
    Cleared(Alert),
}

#[derive(Debug, Default)]
struct Tracked {
    /// Since when the condition holds, while not yet raised.
    firing_since: Option<Instant>,
    /// Since when it is gone, while still raised.
    clear_since: Option<Instant>,
    /// The alert, while raised.
    active: Option<Alert>,
}

/// Every subject's state.
#[derive(Debug, Default)]
pub struct Engine {
    tracked: HashMap<String, Tracked>,
}

impl Engine {
    /// Takes over an alert raised before a restart.
    pub fn restore(&mut self, alert: Alert) {
        self.tracked.insert(alert.key.clone(), Tracked { active: Some(alert), ..Default::default() });
    }

    /// The alerts raised now, oldest first.
    pub fn active(&self) -> Vec<Alert> {
        let mut out: Vec<Alert> = self.tracked.values().filter_map(|t| t.active.clone()).collect();
        out.sort_by(|a, b| a.raised_at.cmp(&b.raised_at).then_with(|| a.key.cmp(&b.key)));
        out
    }

    /// One round: the `observations` of the kinds in `checked`, under
    /// `rules`, at `now` (`wall` by the clock). Returns what changed.
    pub fn step(
        &mut self,
        observations: Vec<Observation>,
        checked: &HashSet<AlertKind>,
        rules: &Rules,
        now: Instant,
        wall: DateTime<Utc>,
    ) -> Vec<Change> {
        let mut changes = Vec::new();
        let mut seen = HashSet::new();
        for o in observations {
            let rule = rules.get(o.kind);
            if !rule.enabled {
                continue;
            }
            let key = o.key();
            seen.insert(key.clone());
            let tracked = self.tracked.entry(key.clone()).or_default();
            match (o.level, &mut tracked.active) {
                (Level::Firing, Some(active)) => {
                    tracked.clear_since = None;
                    active.message = o.message;
                    active.told = o.told;
                    active.value = o.value;
                }
                (Level::Firing, None) => {
                    let since = *tracked.firing_since.get_or_insert(now);
                    if now.duration_since(since) >= Duration::from_secs(rule.for_secs.into()) {
                        let alert = Alert {
                            id: Uuid::new_v4(),
                            kind: o.kind,
                            severity: o.kind.spec().severity,
                            key,
                            subject: o.subject,
                            message: o.message,
                            told: o.told,
                            value: o.value,
                            raised_at: wall,
                        };
                        tracked.firing_since = None;
                        tracked.active = Some(alert.clone());
                        changes.push(Change::Raised(alert));
                    }
                }
                (Level::Holding, Some(_)) => tracked.clear_since = None,
                (Level::Holding, None) | (Level::Clear, None) => tracked.firing_since = None,
                (Level::Clear, Some(active)) => {
                    active.value = o.value;
                    let since = *tracked.clear_since.get_or_insert(now);
                    if now.duration_since(since) >= Duration::from_secs(rule.clear_after_secs.into()) {
                        changes.extend(tracked.active.take().map(Change::Cleared));
                        tracked.clear_since = None;
                    }
                }
            }
        }
        // Subjects no longer observed by a check that ran, and every alert
        // of a disabled rule.
        let gone: Vec<String> = self
            .tracked
            .iter()
            .filter(|(key, t)| {
                let kind = t.active.as_ref().map(|a| a.kind).or_else(|| kind_of(key));
                kind.is_some_and(|kind| {
                    !rules.get(kind).enabled || (checked.contains(&kind) && !seen.contains(key.as_str()))
                })
            })
            .map(|(key, _)| key.clone())
            .collect();
        for key in gone {
            let Some(tracked) = self.tracked.get_mut(&key) else { continue };
            let disabled = tracked.active.as_ref().is_some_and(|a| !rules.get(a.kind).enabled);
            match &tracked.active {
                None => {
                    self.tracked.remove(&key);
                }
                Some(active) => {
                    let rule = rules.get(active.kind);
                    let since = *tracked.clear_since.get_or_insert(now);
                    if (disabled || now.duration_since(since) >= Duration::from_secs(rule.clear_after_secs.into()))
                        && let Some(alert) = self.tracked.remove(&key).and_then(|t| t.active)
                    {
                        changes.push(Change::Cleared(alert));
                    }
                }
            }
        }
        changes
    }
}

/// The kind a key names.
fn kind_of(key: &str) -> Option<AlertKind> {
    key.split_once(':').and_then(|(kind, _)| AlertKind::parse(kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::rule::AlertRule;

    fn seen(level: Level) -> Observation {
        Observation {
            kind: AlertKind::DiskFreeLow,
            subject_key: "n1 /srv".into(),
            subject: Subject::Shared { node: "n1".into() },
            level,
            message: "disk /srv on n1 has 2% free".into(),
            told: "a disk on n1 has 2% free".into(),
            value: Some(2.0),
        }
    }

    fn rules(for_secs: u32, clear_after_secs: u32) -> Rules {
        let mut rule = AlertRule::default_for(AlertKind::DiskFreeLow);
        rule.for_secs = for_secs;
        rule.clear_after_secs = clear_after_secs;
        Rules::from_stored(vec![rule.to_stored()])
    }

    fn checked() -> HashSet<AlertKind> {
        [AlertKind::DiskFreeLow].into()
    }

    #[test]
    fn raised_after_holding_for_its_time_and_cleared_after_its_own() {
        let (t0, w0) = (Instant::now(), Utc::now());
        let at = |s: u64| t0 + Duration::from_secs(s);
        let (rules, mut engine) = (rules(30, 60), Engine::default());
        assert!(engine.step(vec![seen(Level::Firing)], &checked(), &rules, at(0), w0).is_empty());
        assert!(engine.step(vec![seen(Level::Firing)], &checked(), &rules, at(29), w0).is_empty(), "not yet");
        let raised = engine.step(vec![seen(Level::Firing)], &checked(), &rules, at(30), w0);
        let [Change::Raised(alert)] = raised.as_slice() else { panic!("{raised:?}") };
        assert_eq!((alert.kind, alert.severity, alert.raised_at), (AlertKind::DiskFreeLow, Severity::Critical, w0));
        assert_eq!(engine.active().len(), 1);
        // A dip under the clear threshold and back is no clear.
        assert!(engine.step(vec![seen(Level::Clear)], &checked(), &rules, at(40), w0).is_empty());
        assert!(engine.step(vec![seen(Level::Firing)], &checked(), &rules, at(50), w0).is_empty());
        assert!(engine.step(vec![seen(Level::Clear)], &checked(), &rules, at(60), w0).is_empty());
        assert!(engine.step(vec![seen(Level::Holding)], &checked(), &rules, at(90), w0).is_empty(), "holding");
        assert!(engine.step(vec![seen(Level::Clear)], &checked(), &rules, at(100), w0).is_empty());
        let cleared = engine.step(vec![seen(Level::Clear)], &checked(), &rules, at(160), w0);
        let [Change::Cleared(gone)] = cleared.as_slice() else { panic!("{cleared:?}") };
        assert_eq!(gone.id, alert.id, "the alert raised is the one cleared");
        assert!(engine.active().is_empty());
    }

    #[test]
    fn a_flap_shorter_than_the_raise_delay_raises_nothing() {
        let t0 = Instant::now();
        let (rules, mut engine) = (rules(30, 0), Engine::default());
        for (s, level) in [(0, Level::Firing), (20, Level::Clear), (25, Level::Firing), (50, Level::Holding)] {
            let changes = engine.step(vec![seen(level)], &checked(), &rules, t0 + Duration::from_secs(s), Utc::now());
            assert!(changes.is_empty(), "at {s}: {changes:?}");
        }
    }

    #[test]
    fn an_unobserved_subject_clears_only_when_its_check_ran() {
        let t0 = Instant::now();
        let (rules, mut engine) = (rules(0, 0), Engine::default());
        assert_eq!(engine.step(vec![seen(Level::Firing)], &checked(), &rules, t0, Utc::now()).len(), 1);
        assert!(engine.step(vec![], &HashSet::new(), &rules, t0, Utc::now()).is_empty(), "the check did not run");
        let cleared = engine.step(vec![], &checked(), &rules, t0, Utc::now());
        assert!(matches!(cleared.as_slice(), [Change::Cleared(_)]), "{cleared:?}");
    }

    #[test]
    fn disabling_a_rule_clears_its_alerts_at_once_and_restored_alerts_follow_the_checks() {
        let t0 = Instant::now();
        let (on, mut engine) = (rules(0, 600), Engine::default());
        let raised = engine.step(vec![seen(Level::Firing)], &checked(), &on, t0, Utc::now());
        let [Change::Raised(alert)] = raised.as_slice() else { panic!() };
        let mut off = AlertRule::default_for(AlertKind::DiskFreeLow);
        off.enabled = false;
        let off = Rules::from_stored(vec![off.to_stored()]);
        let cleared = engine.step(vec![seen(Level::Firing)], &checked(), &off, t0, Utc::now());
        assert!(matches!(cleared.as_slice(), [Change::Cleared(a)] if a.id == alert.id), "{cleared:?}");

        let mut engine = Engine::default();
        engine.restore(alert.clone());
        assert!(engine.step(vec![seen(Level::Firing)], &checked(), &on, t0, Utc::now()).is_empty(), "still raised");
        assert_eq!(engine.active()[0].id, alert.id);
    }
}
