//! The JSON of the alerts API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::alerts::{
    Alert,
    engine::Subject,
    rule::{AlertKind, AlertRule, Severity},
};

/// A built-in alert rule as in force.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "kind": "disk_free_low",
    "description": "Free space on a recorder's storage root below the threshold",
    "enabled": true,
    "threshold": 5.0,
    "unit": "percent",
    "threshold_min": 0.1,
    "threshold_max": 99.9,
    "for_secs": 30,
    "clear_after_secs": 60,
    "severity": "critical",
    "updated_at": null
}))]
pub struct AlertRuleView {
    /// Which rule.
    pub kind: AlertKind,
    /// What it watches.
    pub description: String,
    /// Whether it is checked; a disabled rule's alerts clear at once.
    pub enabled: bool,
    /// Its threshold, in `unit` (absent for rules without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The threshold's unit: `seconds`, `percent`, `days` or `restarts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Smallest threshold allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_min: Option<f64>,
    /// Largest threshold allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_max: Option<f64>,
    /// Seconds the condition must hold before the alert is raised.
    pub for_secs: u32,
    /// Seconds the condition must be gone before the alert clears.
    pub clear_after_secs: u32,
    /// Its window in seconds: restarts are counted over it (`plane_restarts`),
    /// a hung plane's alert lasts it (`plane_hung`), the chain is verified
    /// this often (`audit_chain`). Absent for rules without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_secs: Option<u32>,
    /// How urgent its alerts are: `warning` or `critical`.
    pub severity: Severity,
    /// When a super-admin last changed it; `null`: the defaults.
    pub updated_at: Option<DateTime<Utc>>,
}

/// What each rule watches, in words.
fn description(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::CameraOffline => "A camera stream offline for longer than the threshold",
        AlertKind::NoFootage => "No footage written for the threshold by a camera that records continuously",
        AlertKind::DiskFreeLow => "Free space on a recorder's storage root below the threshold",
        AlertKind::RetentionShort => {
            "Footage removed to make room while younger than the threshold's share of the longest retention asked for"
        }
        AlertKind::IndexLag => "A recorder's index further behind its files than the threshold",
        AlertKind::PlaneRestarts => "A plane restarting more often than the threshold within the window",
        AlertKind::PlaneHung => "A plane found hung and restarted by the watchdog (raised for the window after)",
        AlertKind::AnalyticsBehind => "An analysed stream reaching less than the threshold of its detect rate",
        AlertKind::LicenceExpiring => "The licence expiring within the threshold, or expired",
        AlertKind::AuditChain => "The audit chain failing verification (checked every window)",
    }
}

impl From<&AlertRule> for AlertRuleView {
    fn from(rule: &AlertRule) -> Self {
        let spec = rule.kind.spec();
        Self {
            kind: rule.kind,
            description: description(rule.kind).to_owned(),
            enabled: rule.enabled,
            threshold: spec.threshold.map(|_| rule.threshold()),
            unit: spec.threshold.map(|b| b.unit.to_owned()),
            threshold_min: spec.threshold.map(|b| b.min),
            threshold_max: spec.threshold.map(|b| b.max),
            for_secs: rule.for_secs,
            clear_after_secs: rule.clear_after_secs,
            window_secs: spec.window.map(|_| rule.window().as_secs() as u32),
            severity: spec.severity,
            updated_at: rule.updated_at,
        }
    }
}

/// New settings for a rule; what is left out keeps its value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true, "threshold": 10.0, "for_secs": 60, "clear_after_secs": 120}))]
pub struct UpdateAlertRule {
    /// Whether it is checked.
    pub enabled: Option<bool>,
    /// Its threshold, within the rule's bounds (only for rules with one).
    pub threshold: Option<f64>,
    /// Seconds the condition must hold before raising, at most 86400.
    pub for_secs: Option<u32>,
    /// Seconds the condition must be gone before clearing, at most 86400.
    pub clear_after_secs: Option<u32>,
    /// Its window in seconds (only for rules with one).
    pub window_secs: Option<u32>,
}

/// An alert raised now.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "3f2b6c1d-8e4a-4b7c-9d1e-2f3a4b5c6d7e",
    "kind": "camera_offline",
    "severity": "warning",
    "scope": "camera",
    "camera_id": "6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b",
    "message": "the main stream of camera 6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b is offline (unreachable) since 2026-12-03 08:14:05 UTC",
    "value": 75.0,
    "raised_at": "2026-12-03T08:15:05Z"
}))]
pub struct AlertView {
    /// Stays the same from raise to clear; the `alert_id` of its events.
    pub id: Uuid,
    /// The rule that raised it.
    pub kind: AlertKind,
    /// `warning` or `critical`.
    pub severity: Severity,
    /// `camera` (one camera), `shared` (what records or serves every
    /// tenant: a recorder, a plane) or `installation` (the licence, the audit trail).
    pub scope: String,
    /// The camera, for a camera's alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_id: Option<Uuid>,
    /// The node, for a recorder's or plane's alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The figure compared with the threshold, in the rule's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
}

impl AlertView {
    /// `alert` as shown to a super-admin (`whole`) or a tenant.
    pub fn new(alert: Alert, whole: bool) -> Self {
        let (scope, camera_id, node) = match alert.subject {
            Subject::Camera { camera_id, .. } => ("camera", Some(camera_id), None),
            Subject::Shared { node } => ("shared", None, Some(node)),
            Subject::Installation => ("installation", None, None),
        };
        Self {
            id: alert.id,
            kind: alert.kind,
            severity: alert.severity,
            scope: scope.to_owned(),
            camera_id,
            node,
            message: if whole { alert.message } else { alert.told },
            value: alert.value,
            raised_at: alert.raised_at,
        }
    }
}
