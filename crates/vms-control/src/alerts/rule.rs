//! The built-in alert rules: what each watches, its unit, its defaults and
//! the bounds a super-admin may set it within (`PUT /api/alert-rules/{kind}`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vms_catalog::alert_rule::StoredAlertRule;

/// Which built-in rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A camera stream offline for longer than `threshold` seconds.
    CameraOffline,
    /// No footage written for `threshold` seconds for a camera that records continuously.
    NoFootage,
    /// Free space on a recorder's storage root below `threshold` percent.
    DiskFreeLow,
    /// Footage younger than `threshold` percent of the longest retention a
    /// camera asks for removed to make room: the disk cannot hold it.
    RetentionShort,
    /// A recorder's index more than `threshold` seconds behind its files.
    IndexLag,
    /// A plane restarted more than `threshold` times within `window_secs`.
    PlaneRestarts,
    /// A plane found hung and restarted by the watchdog, for `window_secs` after.
    PlaneHung,
    /// An analysed stream achieving less than `threshold` percent of its detect rate.
    AnalyticsBehind,
    /// The licence expiring within `threshold` days (or expired).
    LicenceExpiring,
    /// The audit chain failing verification (checked every `window_secs`, at least 10 minutes: it walks the whole trail).
    AuditChain,
}

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Needs attention soon.
    Warning,
    /// Footage or evidence is being lost, or the installation's integrity is in doubt.
    Critical,
}

impl Severity {
    /// The name in events and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// The bounds of a number a rule takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// Used when not set.
    pub default: f64,
    /// Smallest allowed.
    pub min: f64,
    /// Largest allowed.
    pub max: f64,
    /// `seconds`, `percent`, `days` or `restarts`.
    pub unit: &'static str,
}

/// What a rule takes, and its defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    /// Its threshold, if it has one.
    pub threshold: Option<Bound>,
    /// Its window, if it has one.
    pub window: Option<Bound>,
    /// Default seconds the condition must hold before the alert is raised.
    pub for_secs: u32,
    /// Default seconds the condition must be gone before it is cleared.
    pub clear_after_secs: u32,
    /// How urgent its alerts are.
    pub severity: Severity,
}

const fn bound(default: f64, min: f64, max: f64, unit: &'static str) -> Option<Bound> {
    Some(Bound { default, min, max, unit })
}

const DAY: f64 = 86_400.0;

impl AlertKind {
    /// Every rule, in the order they are listed.
    pub const ALL: [AlertKind; 10] = [
        AlertKind::CameraOffline,
        AlertKind::NoFootage,
        AlertKind::DiskFreeLow,
        AlertKind::RetentionShort,
        AlertKind::IndexLag,
        AlertKind::PlaneRestarts,
        AlertKind::PlaneHung,
        AlertKind::AnalyticsBehind,
        AlertKind::LicenceExpiring,
        AlertKind::AuditChain,
    ];

    /// The name in the API, events and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::CameraOffline => "camera_offline",
            AlertKind::NoFootage => "no_footage",
            AlertKind::DiskFreeLow => "disk_free_low",
            AlertKind::RetentionShort => "retention_short",
            AlertKind::IndexLag => "index_lag",
            AlertKind::PlaneRestarts => "plane_restarts",
            AlertKind::PlaneHung => "plane_hung",
            AlertKind::AnalyticsBehind => "analytics_behind",
            AlertKind::LicenceExpiring => "licence_expiring",
            AlertKind::AuditChain => "audit_chain",
        }
    }

    /// The rule a name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// What it takes, and its defaults.
    pub fn spec(self) -> Spec {
        use Severity::*;
        let (threshold, window, for_secs, clear_after_secs, severity) = match self {
            AlertKind::CameraOffline => (bound(60.0, 10.0, DAY, "seconds"), None, 0, 10, Warning),
            AlertKind::NoFootage => (bound(120.0, 30.0, DAY, "seconds"), None, 0, 10, Critical),
            AlertKind::DiskFreeLow => (bound(5.0, 0.1, 99.0, "percent"), None, 30, 60, Critical),
            AlertKind::RetentionShort => (bound(100.0, 1.0, 100.0, "percent"), None, 0, 300, Warning),
            AlertKind::IndexLag => (bound(60.0, 5.0, DAY, "seconds"), None, 30, 60, Warning),
            AlertKind::PlaneRestarts => {
                (bound(3.0, 1.0, 1000.0, "restarts"), bound(600.0, 60.0, DAY, "seconds"), 0, 60, Critical)
            }
            AlertKind::PlaneHung => (None, bound(600.0, 10.0, DAY, "seconds"), 0, 0, Critical),
            AlertKind::AnalyticsBehind => (bound(80.0, 1.0, 95.0, "percent"), None, 60, 60, Warning),
            AlertKind::LicenceExpiring => (bound(14.0, 1.0, 365.0, "days"), None, 0, 0, Warning),
            AlertKind::AuditChain => (None, bound(3600.0, 600.0, DAY, "seconds"), 0, 0, Critical),
        };
        Spec { threshold, window, for_secs, clear_after_secs, severity }
    }
}

/// Longest raise or clear delay a rule may take: a day.
pub const MAX_DELAY_SECS: u32 = 86_400;

/// A rule as it is in force.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    /// Which rule.
    pub kind: AlertKind,
    /// Whether it is evaluated; a disabled rule's alerts clear at once.
    pub enabled: bool,
    /// Its threshold, in its unit (`None` for rules without one).
    pub threshold: Option<f64>,
    /// Seconds the condition must hold before the alert is raised.
    pub for_secs: u32,
    /// Seconds the condition must be gone before the alert clears.
    pub clear_after_secs: u32,
    /// Its window in seconds (`None` for rules without one).
    pub window_secs: Option<u32>,
    /// When a super-admin last changed it (`None`: the defaults).
    pub updated_at: Option<DateTime<Utc>>,
}

impl AlertRule {
    /// The rule as shipped.
    pub fn default_for(kind: AlertKind) -> Self {
        let spec = kind.spec();
        Self {
            kind,
            enabled: true,
            threshold: spec.threshold.map(|b| b.default),
            for_secs: spec.for_secs,
            clear_after_secs: spec.clear_after_secs,
            window_secs: spec.window.map(|b| b.default as u32),
            updated_at: None,
        }
    }

    /// The threshold, or its default.
    pub fn threshold(&self) -> f64 {
        self.threshold.or(self.kind.spec().threshold.map(|b| b.default)).unwrap_or_default()
    }

    /// The window, or its default.
    pub fn window(&self) -> std::time::Duration {
        let secs = self.window_secs.or(self.kind.spec().window.map(|b| b.default as u32)).unwrap_or(60);
        std::time::Duration::from_secs(secs.into())
    }

    /// Checks the settings against the rule's bounds; `Err` names the field and why.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let spec = self.kind.spec();
        let within = |field: &'static str, value: Option<f64>, bound: Option<Bound>| match (value, bound) {
            (None, _) => Ok(()),
            (Some(_), None) => Err((field, format!("is not taken by the {} rule", self.kind.as_str()))),
            (Some(v), Some(b)) if !v.is_finite() || v < b.min || v > b.max => {
                Err((field, format!("must be between {} and {} {}", b.min, b.max, b.unit)))
            }
            _ => Ok(()),
        };
        within("threshold", self.threshold, spec.threshold)?;
        within("window_secs", self.window_secs.map(f64::from), spec.window)?;
        if self.for_secs > MAX_DELAY_SECS {
            return Err(("for_secs", format!("must be at most {MAX_DELAY_SECS}")));
        }
        if self.clear_after_secs > MAX_DELAY_SECS {
            return Err(("clear_after_secs", format!("must be at most {MAX_DELAY_SECS}")));
        }
        Ok(())
    }

    /// A stored row as a rule; `None` for a kind this build does not know.
    pub fn from_stored(row: StoredAlertRule) -> Option<Self> {
        let kind = AlertKind::parse(&row.kind)?;
        let rule = Self {
            kind,
            enabled: row.enabled,
            threshold: row.threshold,
            for_secs: u32::try_from(row.for_secs).unwrap_or(0),
            clear_after_secs: u32::try_from(row.clear_after_secs).unwrap_or(0),
            window_secs: row.window_secs.and_then(|w| u32::try_from(w).ok()),
            updated_at: Some(row.updated_at),
        };
        // A row outside this build's bounds (written by another version) is not trusted.
        rule.check().ok().map(|()| rule)
    }

    /// The row to store.
    pub fn to_stored(&self) -> StoredAlertRule {
        StoredAlertRule {
            kind: self.kind.as_str().to_owned(),
            enabled: self.enabled,
            threshold: self.threshold,
            for_secs: i32::try_from(self.for_secs).unwrap_or(i32::MAX),
            clear_after_secs: i32::try_from(self.clear_after_secs).unwrap_or(i32::MAX),
            window_secs: self.window_secs.map(|w| i32::try_from(w).unwrap_or(i32::MAX)),
            updated_at: self.updated_at.unwrap_or_else(Utc::now),
        }
    }
}

/// Every rule as in force: the stored settings over the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules(BTreeMap<AlertKind, AlertRule>);

impl Default for Rules {
    fn default() -> Self {
        Self(AlertKind::ALL.into_iter().map(|k| (k, AlertRule::default_for(k))).collect())
    }
}

impl Rules {
    /// The stored rows over the defaults (rows of unknown kinds, or out of
    /// bounds, are ignored).
    pub fn from_stored(rows: Vec<StoredAlertRule>) -> Self {
        let mut rules = Self::default();
        for rule in rows.into_iter().filter_map(AlertRule::from_stored) {
            rules.0.insert(rule.kind, rule);
        }
        rules
    }

    /// Reads the stored rules.
    pub async fn load(db: &sqlx::PgPool) -> Result<Self, vms_catalog::CatalogError> {
        Ok(Self::from_stored(vms_catalog::alert_rule::list(db).await?))
    }

    /// The rule of `kind`.
    pub fn get(&self, kind: AlertKind) -> &AlertRule {
        &self.0[&kind]
    }

    /// Every rule, in [`AlertKind::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = &AlertRule> {
        self.0.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_defaults_are_within_bounds() {
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
            assert_eq!(AlertRule::default_for(kind).check(), Ok(()), "{kind:?}");
        }
        assert_eq!(AlertKind::parse("nonsense"), None);
    }

    #[test]
    fn settings_out_of_bounds_or_not_taken_are_refused() {
        let mut rule = AlertRule::default_for(AlertKind::DiskFreeLow);
        rule.threshold = Some(150.0);
        assert_eq!(rule.check().unwrap_err().0, "threshold");
        rule.threshold = Some(f64::NAN);
        assert_eq!(rule.check().unwrap_err().0, "threshold");
        rule.threshold = Some(10.0);
        rule.window_secs = Some(60);
        assert_eq!(rule.check().unwrap_err().0, "window_secs", "disk_free_low has no window");
        let mut hung = AlertRule::default_for(AlertKind::PlaneHung);
        hung.threshold = Some(1.0);
        assert_eq!(hung.check().unwrap_err().0, "threshold");
        let mut slow = AlertRule::default_for(AlertKind::CameraOffline);
        slow.for_secs = MAX_DELAY_SECS + 1;
        assert_eq!(slow.check().unwrap_err().0, "for_secs");
    }

    #[test]
    fn stored_rows_override_defaults_and_bad_rows_are_ignored() {
        let row = |kind: &str, threshold: f64| StoredAlertRule {
            kind: kind.into(),
            enabled: false,
            threshold: Some(threshold),
            for_secs: 5,
            clear_after_secs: 7,
            window_secs: None,
            updated_at: Utc::now(),
        };
        let rules =
            Rules::from_stored(vec![row("camera_offline", 30.0), row("disk_free_low", 500.0), row("gone", 1.0)]);
        let offline = rules.get(AlertKind::CameraOffline);
        assert_eq!((offline.enabled, offline.threshold, offline.for_secs), (false, Some(30.0), 5));
        assert_eq!(rules.get(AlertKind::DiskFreeLow), &AlertRule::default_for(AlertKind::DiskFreeLow));
        assert_eq!(rules.iter().count(), AlertKind::ALL.len());
    }
}
