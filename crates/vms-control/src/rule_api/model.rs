//! The JSON of the rules API, and the way between a stored rule and the
//! evaluator's.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::rule::StoredRule;
use vms_rules::{Action, Conditions, Rule};

/// A rule as written: `PUT` replaces it whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "People at the dock door after hours",
    "enabled": true,
    "conditions": {
        "types": ["zone_enter"],
        "labels": ["person"],
        "cameras": ["6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"],
        "zones": ["dock_door"],
        "schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "06:00"}],
        "min_duration_secs": 2
    },
    "actions": [
        {"kind": "snapshot"},
        {"kind": "webhook", "webhook_id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a"}
    ],
    "cooldown_secs": 300
}))]
pub struct RuleBody {
    /// Unique in the tenant, 1–200 characters.
    pub name: String,
    /// Whether it is evaluated (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Which events: `types`, `labels`, `cameras`, `sites`, `zones`, `lines`
    /// (lists; empty is any), `schedule` (weekly ranges in the site's time,
    /// as recording schedules), `min_duration_secs`.
    #[schema(value_type = Object)]
    pub conditions: Conditions,
    /// What to do, in order: `{"kind": "webhook", "webhook_id"}`.
    #[schema(value_type = Vec<Object>)]
    pub actions: Vec<Action>,
    /// Seconds it stays quiet per camera after firing, 0–86400 (default 0).
    #[serde(default)]
    pub cooldown_secs: u32,
}

fn yes() -> bool {
    true
}

/// A rule.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "5f6a7b8c-9d0e-4f1a-b2c3-d4e5f6a7b8c9",
    "name": "People at the dock door after hours",
    "enabled": true,
    "conditions": {
        "types": ["zone_enter"],
        "labels": ["person"],
        "cameras": ["6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"],
        "sites": [],
        "zones": ["dock_door"],
        "lines": [],
        "schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:00", "end": "06:00"}],
        "min_duration_secs": 2
    },
    "actions": [
        {"kind": "snapshot"},
        {"kind": "webhook", "webhook_id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a"}
    ],
    "cooldown_secs": 300,
    "problems": [],
    "created_at": "2026-11-25T08:40:19Z",
    "updated_at": "2026-11-25T08:40:19Z"
}))]
pub struct RuleView {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Whether it is evaluated.
    pub enabled: bool,
    /// Which events.
    #[schema(value_type = Object)]
    pub conditions: serde_json::Value,
    /// What it does.
    #[schema(value_type = Vec<Object>)]
    pub actions: serde_json::Value,
    /// Seconds it stays quiet per camera after firing.
    pub cooldown_secs: i32,
    /// What it names that no longer exists or works (a deleted camera, a
    /// disabled webhook); the rest of the rule still works.
    pub problems: Vec<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl RuleView {
    /// The view of a stored rule with its `problems`.
    pub fn new(r: StoredRule, problems: Vec<String>) -> Self {
        Self {
            id: r.id,
            name: r.name,
            enabled: r.enabled,
            conditions: r.conditions,
            actions: r.actions,
            cooldown_secs: r.cooldown_secs,
            problems,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The evaluator's rule for a stored one.
pub fn to_rule(r: &StoredRule) -> Result<Rule, serde_json::Error> {
    Ok(Rule {
        id: r.id,
        name: r.name.clone(),
        enabled: r.enabled,
        conditions: serde_json::from_value(r.conditions.clone())?,
        actions: serde_json::from_value(r.actions.clone())?,
        cooldown_secs: u32::try_from(r.cooldown_secs).unwrap_or(0),
    })
}

/// The evaluator's rule for a body, under `id`.
pub fn from_body(id: Uuid, body: RuleBody) -> Rule {
    Rule {
        id,
        name: body.name,
        enabled: body.enabled,
        conditions: body.conditions,
        actions: body.actions,
        cooldown_secs: body.cooldown_secs,
    }
}
