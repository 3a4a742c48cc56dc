//! The bounds a rule must respect before it is stored.
//!
//! Bounds keep one rule from costing much to hold or evaluate: every event is
//! checked against every enabled rule, and a rule's actions run on every
//! firing. They are checked here rather than while deserializing so that the
//! error names the field at fault in the form the API reports
//! (`conditions.schedule[0].days`, `actions[2].pre_secs`), and so that a
//! rule stored under older bounds can still be read.

use vms_base::schedule;

use crate::{Action, Rule};

/// The bounds [`validate`](crate::validate()) enforces.
pub mod limits {
    /// Longest rule name, in characters.
    pub const MAX_NAME_CHARS: usize = 200;
    /// Most actions a rule runs.
    pub const MAX_ACTIONS: usize = 10;
    /// Most entries in any list (event types, cameras, schedule ranges, ...).
    pub const MAX_LIST_LEN: usize = 100;
    /// Longest string in a condition or action, in bytes.
    pub const MAX_STRING_BYTES: usize = 200;
    /// Longest cooldown, in seconds (a day).
    pub const MAX_COOLDOWN_SECS: u32 = 86_400;
    /// Longest minimum duration, in seconds (a day).
    pub const MAX_MIN_DURATION_SECS: u32 = 86_400;
    /// Longest recording kept from before an event, in seconds.
    pub const MAX_PRE_SECS: u32 = 300;
    /// Longest recording after an event, in seconds.
    pub const MAX_POST_SECS: u32 = 3_600;
}

use limits::*;

/// Why a rule was refused: the field at fault, as a path into the rule's
/// JSON form, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RuleError {
    /// Path of the field, e.g. `conditions.labels[3]` or `actions[2].pre_secs`.
    pub field: String,
    /// What the field must be, e.g. `must be at most 300 seconds`.
    pub message: String,
}

impl RuleError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Checks `rule` against the bounds in [`limits`]; the error names the
/// first field at fault.
pub fn validate(rule: &Rule) -> Result<(), RuleError> {
    let name_chars = rule.name.chars().count();
    if name_chars == 0 || name_chars > MAX_NAME_CHARS {
        return Err(RuleError::new("name", format!("must be 1 to {MAX_NAME_CHARS} characters")));
    }
    if rule.name.trim().is_empty() {
        return Err(RuleError::new("name", "must not be blank"));
    }
    let c = &rule.conditions;
    strings("conditions.types", &c.types)?;
    strings("conditions.labels", &c.labels)?;
    list("conditions.cameras", c.cameras.len())?;
    list("conditions.sites", c.sites.len())?;
    strings("conditions.zones", &c.zones)?;
    strings("conditions.lines", &c.lines)?;
    list("conditions.schedule", c.schedule.len())?;
    for (i, range) in c.schedule.iter().enumerate() {
        list(&format!("conditions.schedule[{i}].days"), range.days.len())?;
    }
    schedule::validate(&c.schedule)
        .map_err(|(field, message)| RuleError::new(format!("conditions.{field}"), message))?;
    at_most("conditions.min_duration_secs", c.min_duration_secs, MAX_MIN_DURATION_SECS)?;
    if rule.actions.is_empty() || rule.actions.len() > MAX_ACTIONS {
        return Err(RuleError::new("actions", format!("must list 1 to {MAX_ACTIONS} actions")));
    }
    for (i, action) in rule.actions.iter().enumerate() {
        self::action(&format!("actions[{i}]"), action)?;
    }
    at_most("cooldown_secs", rule.cooldown_secs, MAX_COOLDOWN_SECS)
}

fn action(field: &str, action: &Action) -> Result<(), RuleError> {
    match action {
        Action::Snapshot | Action::Webhook { .. } => Ok(()),
        Action::Record { pre_secs, post_secs } => {
            at_most(&format!("{field}.pre_secs"), *pre_secs, MAX_PRE_SECS)?;
            at_most(&format!("{field}.post_secs"), *post_secs, MAX_POST_SECS)
        }
        Action::Mqtt { topic_suffix } => {
            let Some(suffix) = topic_suffix else { return Ok(()) };
            let field = format!("{field}.topic_suffix");
            string(&field, suffix)?;
            // Wildcards are for subscribing; a broker refuses them in a
            // topic published to.
            if suffix.contains(['+', '#']) {
                return Err(RuleError::new(field, "must not contain the MQTT wildcards + and #"));
            }
            // A NUL makes the broker drop the connection; an empty level
            // (`a//b`, a leading or trailing `/`) is a different topic than meant.
            if suffix.contains('\0') || suffix.split('/').any(str::is_empty) {
                return Err(RuleError::new(field, "must be levels of text separated by single slashes"));
            }
            Ok(())
        }
        Action::Notify { message } => message.as_ref().map_or(Ok(()), |m| string(&format!("{field}.message"), m)),
    }
}

fn list(field: &str, len: usize) -> Result<(), RuleError> {
    if len > MAX_LIST_LEN {
        return Err(RuleError::new(field, format!("must list at most {MAX_LIST_LEN} entries")));
    }
    Ok(())
}

fn strings(field: &str, values: &[String]) -> Result<(), RuleError> {
    list(field, values.len())?;
    values.iter().enumerate().try_for_each(|(i, value)| string(&format!("{field}[{i}]"), value))
}

fn string(field: &str, value: &str) -> Result<(), RuleError> {
    if value.is_empty() || value.len() > MAX_STRING_BYTES {
        return Err(RuleError::new(field, format!("must be 1 to {MAX_STRING_BYTES} bytes")));
    }
    Ok(())
}

fn at_most(field: &str, value: u32, max: u32) -> Result<(), RuleError> {
    if value > max {
        return Err(RuleError::new(field, format!("must be at most {max} seconds")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;
    use vms_base::schedule::WeeklyRange;

    use super::*;
    use crate::Conditions;

    fn valid() -> Rule {
        Rule {
            id: Uuid::new_v4(),
            name: "people at the door after hours".into(),
            enabled: true,
            conditions: Conditions {
                types: vec!["object".into()],
                labels: vec!["person".into()],
                zones: vec!["door".into()],
                schedule: vec![WeeklyRange { days: vec!["mon".into()], start: "18:00".into(), end: "08:00".into() }],
                min_duration_secs: 5,
                ..Default::default()
            },
            actions: vec![
                Action::Snapshot,
                Action::Record { pre_secs: 300, post_secs: 3600 },
                Action::Webhook { webhook_id: Uuid::new_v4() },
                Action::Mqtt { topic_suffix: Some("door/after-hours".into()) },
                Action::Notify { message: None },
            ],
            cooldown_secs: 86_400,
        }
    }

    fn field_at_fault(change: impl FnOnce(&mut Rule)) -> String {
        let mut rule = valid();
        change(&mut rule);
        validate(&rule).expect_err("the change should make the rule invalid").field
    }

    #[test]
    fn a_rule_within_bounds_is_valid() {
        assert_eq!(validate(&valid()), Ok(()));
    }

    #[test]
    fn the_error_reads_field_then_message() {
        let error = RuleError::new("actions[1].pre_secs", "must be at most 300 seconds");
        assert_eq!(error.to_string(), "actions[1].pre_secs: must be at most 300 seconds");
    }

    #[test]
    fn names_are_bounded_in_characters() {
        assert_eq!(field_at_fault(|r| r.name.clear()), "name");
        assert_eq!(field_at_fault(|r| r.name = "  ".into()), "name");
        assert_eq!(field_at_fault(|r| r.name = "x".repeat(201)), "name");
        let mut rule = valid();
        rule.name = "é".repeat(200);
        assert_eq!(validate(&rule), Ok(()), "200 characters, 400 bytes");
    }

    #[test]
    fn condition_lists_and_strings_are_bounded() {
        assert_eq!(field_at_fault(|r| r.conditions.types = vec!["x".into(); 101]), "conditions.types");
        assert_eq!(field_at_fault(|r| r.conditions.labels.push("x".repeat(201))), "conditions.labels[1]");
        assert_eq!(field_at_fault(|r| r.conditions.zones.push(String::new())), "conditions.zones[1]");
        assert_eq!(field_at_fault(|r| r.conditions.lines = vec![String::new()]), "conditions.lines[0]");
        assert_eq!(field_at_fault(|r| r.conditions.cameras = vec![Uuid::nil(); 101]), "conditions.cameras");
        assert_eq!(field_at_fault(|r| r.conditions.sites = vec![Uuid::nil(); 101]), "conditions.sites");
        let mut rule = valid();
        rule.conditions.types = vec!["x".repeat(200); 100];
        assert_eq!(validate(&rule), Ok(()));
    }

    #[test]
    fn schedule_errors_name_the_range_under_conditions() {
        let range = |days: &[&str], start: &str| WeeklyRange {
            days: days.iter().map(|d| d.to_string()).collect(),
            start: start.into(),
            end: "06:00".into(),
        };
        assert_eq!(
            field_at_fault(|r| r.conditions.schedule = vec![range(&["mon"], "22:00"), range(&["monday"], "22:00")]),
            "conditions.schedule[1].days"
        );
        assert_eq!(
            field_at_fault(|r| r.conditions.schedule = vec![range(&["mon"], "24:00")]),
            "conditions.schedule[0].start"
        );
        assert_eq!(
            field_at_fault(|r| r.conditions.schedule = vec![range(&["mon"; 101], "22:00")]),
            "conditions.schedule[0].days"
        );
        assert_eq!(
            field_at_fault(|r| r.conditions.schedule = vec![range(&["mon"], "22:00"); 101]),
            "conditions.schedule"
        );
    }

    #[test]
    fn durations_are_bounded() {
        assert_eq!(field_at_fault(|r| r.conditions.min_duration_secs = 86_401), "conditions.min_duration_secs");
        assert_eq!(field_at_fault(|r| r.cooldown_secs = 86_401), "cooldown_secs");
    }

    #[test]
    fn actions_are_bounded() {
        assert_eq!(field_at_fault(|r| r.actions.clear()), "actions");
        assert_eq!(field_at_fault(|r| r.actions = vec![Action::Snapshot; 11]), "actions");
        assert_eq!(
            field_at_fault(|r| r.actions[1] = Action::Record { pre_secs: 301, post_secs: 0 }),
            "actions[1].pre_secs"
        );
        assert_eq!(
            field_at_fault(|r| r.actions[1] = Action::Record { pre_secs: 0, post_secs: 3601 }),
            "actions[1].post_secs"
        );
        assert_eq!(
            field_at_fault(|r| r.actions[3] = Action::Mqtt { topic_suffix: Some("a/#".into()) }),
            "actions[3].topic_suffix"
        );
        assert_eq!(
            field_at_fault(|r| r.actions[3] = Action::Mqtt { topic_suffix: Some(String::new()) }),
            "actions[3].topic_suffix"
        );
        assert_eq!(
            field_at_fault(|r| r.actions[3] = Action::Mqtt { topic_suffix: Some("/door".into()) }),
            "actions[3].topic_suffix"
        );
        assert_eq!(
            field_at_fault(|r| r.actions[3] = Action::Mqtt { topic_suffix: Some("a\0b".into()) }),
            "actions[3].topic_suffix"
        );
        assert_eq!(
            field_at_fault(|r| r.actions[4] = Action::Notify { message: Some("x".repeat(201)) }),
            "actions[4].message"
        );
    }
}
