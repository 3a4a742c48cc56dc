//! What a rule says: the events it is about ([`Conditions`]) and what to do
//! when one of them fires it ([`Action`]).
//!
//! These types are also the rule's stored and wire form, so they derive serde
//! and refuse unknown fields: a misspelt condition (`"label"` for `"labels"`)
//! would otherwise be dropped silently and the rule would match far more than
//! its author meant. Bounds are checked separately by
//! [`validate`](crate::validate()), so that a stored rule can always be read
//! back even if the bounds change.

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vms_base::schedule::WeeklyRange;

/// An event rule: when an event meets its conditions, its actions run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Identity of the rule; firings and cooldowns are remembered under it.
    pub id: Uuid,
    /// Name shown to operators, 1 to 200 characters.
    pub name: String,
    /// Whether the rule is armed; a disabled rule matches nothing.
    pub enabled: bool,
    /// Which events fire the rule.
    pub conditions: Conditions,
    /// What to do when it fires, 1 to 10 actions run in this order.
    pub actions: Vec<Action>,
    /// After firing for a camera, how long the rule stays quiet for that
    /// camera, in seconds (0 to 86400). Camera-less events share one cooldown.
    pub cooldown_secs: u32,
}

/// The conditions an event must meet to fire a rule.
///
/// Every condition must hold. Within a list, any entry will do, and an empty
/// list accepts every event, so `Conditions::default()` matches everything.
/// Strings are compared exactly, case included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Event types accepted, e.g. `object`, `line_crossed`, `camera_offline`.
    #[serde(default)]
    pub types: Vec<String>,
    /// Values of the event's `label` attribute accepted (`person`, `car`).
    /// An event without a label fails a non-empty list.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Cameras accepted. A camera-less event fails a non-empty list.
    #[serde(default)]
    pub cameras: Vec<Uuid>,
    /// Sites accepted. A site-less event fails a non-empty list.
    #[serde(default)]
    pub sites: Vec<Uuid>,
    /// Zone names; the event's `zones` attribute (an array of names) must
    /// contain at least one of them.
    #[serde(default)]
    pub zones: Vec<String>,
    /// Line names; the event's `line` attribute must equal one of them.
    #[serde(default)]
    pub lines: Vec<String>,
    /// When the rule is armed, read in the site's time zone at the moment
    /// the event started. Empty means always.
    #[serde(default)]
    pub schedule: Vec<WeeklyRange>,
    /// How long the event must have lasted before the rule fires, in seconds
    /// (0 to 86400). 0 fires as soon as the event is seen.
    #[serde(default)]
    pub min_duration_secs: u32,
}

/// Something a rule does when it fires.
///
/// Tagged by `kind` on the wire: `{"kind": "record", "pre_secs": 5,
/// "post_secs": 30}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Takes a still image from the event's camera.
    Snapshot,
    /// Records the event's camera around the event.
    Record {
        /// Seconds kept from before the event, 0 to 300 (from the
        /// recorder's pre-event buffer).
        pre_secs: u32,
        /// Seconds recorded after the event ends, 0 to 3600.
        post_secs: u32,
    },
    /// Calls a configured webhook with the event.
    Webhook {
        /// The webhook to call.
        webhook_id: Uuid,
    },
    /// Publishes the event on the MQTT bridge.
    Mqtt {
        /// Suffix added to the bridge's topic for this rule; none uses the
        /// bridge's topic as it is.
        topic_suffix: Option<String>,
    },
    /// Notifies the operators watching the site.
    Notify {
        /// Text sent with the notification; none leaves the wording to the
        /// notifier.
        message: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_rule_reads_from_its_json_form() {
        let id = Uuid::new_v4();
        let webhook_id = Uuid::new_v4();
        let rule: Rule = serde_json::from_value(json!({
            "id": id,
            "name": "person at the door",
            "enabled": true,
            "conditions": {"types": ["object"], "labels": ["person"], "min_duration_secs": 3},
            "actions": [
                {"kind": "snapshot"},
                {"kind": "record", "pre_secs": 5, "post_secs": 30},
                {"kind": "webhook", "webhook_id": webhook_id},
                {"kind": "mqtt"},
                {"kind": "notify", "message": "someone is at the door"},
            ],
            "cooldown_secs": 60,
        }))
        .unwrap();
        assert_eq!(rule.conditions.labels, ["person"]);
        assert!(rule.conditions.cameras.is_empty() && rule.conditions.schedule.is_empty());
        assert_eq!(
            rule.actions,
            [
                Action::Snapshot,
                Action::Record { pre_secs: 5, post_secs: 30 },
                Action::Webhook { webhook_id },
                Action::Mqtt { topic_suffix: None },
                Action::Notify { message: Some("someone is at the door".into()) },
            ]
        );
        let back: Rule = serde_json::from_value(serde_json::to_value(&rule).unwrap()).unwrap();
        assert_eq!(back, rule);
    }

    #[test]
    fn misspelt_fields_are_refused() {
        let refused = |conditions, action| {
            serde_json::from_value::<Rule>(json!({
                "id": Uuid::nil(), "name": "r", "enabled": true, "conditions": conditions,
                "actions": [action], "cooldown_secs": 0,
            }))
            .is_err()
        };
        assert!(!refused(json!({}), json!({"kind": "snapshot"})));
        assert!(refused(json!({"label": ["person"]}), json!({"kind": "snapshot"})));
        assert!(refused(json!({}), json!({"kind": "record", "pre_secs": 5, "post": 30})));
        assert!(refused(json!({}), json!({"kind": "email"})));
    }
}
