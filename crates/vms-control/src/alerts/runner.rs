//! The alert loop: every [`EVERY`] it gathers the facts, runs the checks
//! under the rules in force, and publishes what changed as `alert` events,
//! one per tenant that hears of it (the camera's tenant; every tenant with
//! cameras for what records or serves them all; the default tenant, where
//! the installation's administrators are, for the licence and the audit
//! trail). Alerts still open when control stops are found again in their
//! events at the next start, and cleared once their condition is gone.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::Plane;
use vms_bus::{
    Subjects,
    events::{Event, Publisher},
    status::{PlaneState, PlaneStatusReport},
};
use vms_catalog::{Scope, scope};

use super::{
    AlertBoard,
    checks::{self, AuditCheck, Facts, Outage, PlaneFact},
    engine::{Alert, Change, Engine, Level, Subject},
    rule::{AlertKind, Rules},
};
use crate::{license::Licensing, planes::PlaneRegistry};

/// The event type of alerts.
pub const ALERT: &str = "alert";
/// How often the rules are checked.
pub const EVERY: Duration = Duration::from_secs(5);
/// Most events queued while NATS is away.
const QUEUE: usize = 10_000;
/// Problems of a failing audit chain named in its alert.
const PROBLEMS_TOLD: usize = 3;
/// The rules judged from the planes' reports.
const FROM_REPORTS: [AlertKind; 6] = [
    AlertKind::DiskFreeLow,
    AlertKind::RetentionShort,
    AlertKind::IndexLag,
    AlertKind::PlaneRestarts,
    AlertKind::PlaneHung,
    AlertKind::AnalyticsBehind,
];

/// What the loop needs.
#[derive(Clone)]
pub struct Runner {
    /// The catalog.
    pub db: PgPool,
    /// The planes' status reports.
    pub registry: Arc<PlaneRegistry>,
    /// The licence in force.
    pub licensing: Arc<Licensing>,
    /// Where the alerts raised are shown.
    pub board: AlertBoard,
    /// NATS, to publish the alert events on.
    pub nats: async_nats::Client,
    /// NATS subjects.
    pub subjects: Subjects,
    /// Reports older than this are not judged by.
    pub stale_after: Duration,
    /// Control's own status, for its restarts.
    pub control: PlaneStatusReport,
}

/// A plane's start last seen, its supervisor's restart count then, and the
/// restarts seen within the window.
type StartLog = (DateTime<Utc>, u64, VecDeque<DateTime<Utc>>);
/// Most restarts one new start may stand for.
const MAX_RESTARTS_COUNTED: u64 = 1000;

/// Each plane's starts seen, for the `plane_restarts` rule.
#[derive(Debug, Default)]
struct Starts {
    /// By (node, plane).
    seen: HashMap<(String, Plane), StartLog>,
}

impl Starts {
    /// Notes the starts in `reports`; returns each plane's restarts within `window` of `now`.
    fn observe(&mut self, reports: &[PlaneFact], window: Duration, now: DateTime<Utc>) -> Vec<(String, Plane, usize)> {
        let window = chrono::TimeDelta::from_std(window).unwrap_or_default();
        for p in reports {
            let key = (p.report.node_id.clone(), p.report.plane);
            let started = p.report.started_at;
            let first_sight = !self.seen.contains_key(&key);
            let (last, counted, restarts) =
                self.seen.entry(key).or_insert((started, p.report.restarts, VecDeque::new()));
            if first_sight && p.report.restarts > 0 && now - started <= window {
                // Control (re)started after a plane's restart: that one counts.
                restarts.push_back(started);
            }
            if started > *last {
                // The supervisor counts starts control never saw (a plane
                // dying before its first report): at least one, maybe more.
                let missed = p.report.restarts.saturating_sub(*counted).clamp(1, MAX_RESTARTS_COUNTED);
                restarts.extend(std::iter::repeat_n(started, missed as usize));
                (*last, *counted) = (started, p.report.restarts);
            }
        }
        self.seen
            .iter_mut()
            .map(|((node, plane), (_, _, restarts))| {
                while restarts.front().is_some_and(|at| now - *at > window) {
                    restarts.pop_front();
                }
                (node.clone(), *plane, restarts.len())
            })
            .collect()
    }
}

/// The tenants of each alert's events.
struct Audience {
    with_cameras: Vec<Uuid>,
    default: Option<Uuid>,
}

impl Audience {
    fn of(&self, subject: &Subject) -> Vec<Uuid> {
        match subject {
            Subject::Camera { tenant_id, .. } => vec![*tenant_id],
            Subject::Shared { .. } => self.with_cameras.clone(),
            Subject::Installation => self.default.into_iter().collect(),
        }
    }
}

/// The event telling `tenant` of `alert`.
fn event_of(alert: &Alert, tenant: Uuid) -> Event {
    let mut attributes = serde_json::Map::new();
    attributes.insert("alert".into(), alert.kind.as_str().into());
    // What rules and the events search filter on: a rule with `labels:
    // ["disk_free_low"]` acts on that rule's alerts only.
    attributes.insert("label".into(), alert.kind.as_str().into());
    attributes.insert("alert_id".into(), alert.id.to_string().into());
    attributes.insert("key".into(), alert.key.clone().into());
    attributes.insert("severity".into(), alert.severity.as_str().into());
    attributes.insert("message".into(), alert.told.clone().into());
    let (scope, node) = match &alert.subject {
        Subject::Camera { .. } => ("camera", None),
        Subject::Shared { node } => ("shared", Some(node.clone())),
        Subject::Installation => ("installation", None),
    };
    attributes.insert("scope".into(), scope.into());
    if let Some(node) = node {
        attributes.insert("node".into(), node.into());
    }
    if let Some(value) = alert.value {
        attributes.insert("value".into(), value.into());
    }
    let camera_id = match alert.subject {
        Subject::Camera { camera_id, .. } => Some(camera_id),
        _ => None,
    };
    Event {
        // One event per tenant that hears of it; `alert_id` ties them together.
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id,
        kind: ALERT.to_owned(),
        start: alert.raised_at,
        end: None,
        attributes,
        seq: 0,
    }
}

/// An alert as its open events tell it, to take over after a restart.
fn alert_of(events: &[Event]) -> Option<Alert> {
    let first = events.first()?;
    let text = |name: &str| first.attributes.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let kind = AlertKind::parse(&text("alert")?)?;
    let subject = match (text("scope").as_deref(), first.camera_id) {
        (Some("camera"), Some(camera_id)) => Subject::Camera { tenant_id: first.tenant_id, camera_id },
        (Some("installation"), _) => Subject::Installation,
        _ => Subject::Shared { node: text("node").unwrap_or_default() },
    };
    let told = text("message").unwrap_or_default();
    Some(Alert {
        id: text("alert_id").and_then(|id| id.parse().ok()).unwrap_or_else(Uuid::new_v4),
        kind,
        severity: kind.spec().severity,
        key: text("key")?,
        subject,
        message: told.clone(),
        told,
        value: first.attributes.get("value").and_then(|v| v.as_f64()),
        raised_at: first.start,
    })
}

impl Runner {
    /// Checks the rules every [`EVERY`] until `cancel`.
    pub async fn run(self, cancel: CancellationToken) -> anyhow::Result<()> {
        let (publisher, publishing) =
            Publisher::start(self.nats.clone(), self.subjects.clone(), QUEUE, cancel.clone(), Duration::from_secs(5));
        let mut engine = Engine::default();
        let mut open: HashMap<String, Vec<Event>> = HashMap::new();
        for events in self.load_open().await? {
            if let Some(alert) = alert_of(&events) {
                open.insert(alert.key.clone(), events);
                engine.restore(alert);
            }
        }
        self.board.set(engine.active());
        let (mut starts, mut audit, mut audited_at) = (Starts::default(), None, None::<Instant>);
        let started = Instant::now();
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = tick.tick() => {}
            }
            let rules = match Rules::load(&self.db).await {
                Ok(rules) => rules,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the alert rules; checking none this round");
                    continue;
                }
            };
            let audit_rule = rules.get(AlertKind::AuditChain);
            if audit_rule.enabled && audited_at.is_none_or(|at| at.elapsed() >= audit_rule.window()) {
                audited_at = Some(Instant::now());
                audit = self.verify_audit().await;
            }
            // Without the catalog nobody could be told: the round waits.
            let Some((facts, audience)) = self.gather(&rules, &mut starts, audit.clone()).await else { continue };
            let now = Utc::now();
            let (mut observations, checked) = checks::observe(&facts, &rules, now);
            let mut checked: HashSet<AlertKind> = checked.into_iter().collect();
            let heard = facts.planes.iter().any(|p| p.report.plane != Plane::Control);
            if started.elapsed() < self.stale_after || !heard {
                // Just started (or no plane heard yet): the planes have not all
                // reported, so what their reports would clear is held as it is.
                checked.retain(|kind| !FROM_REPORTS.contains(kind));
                for o in observations.iter_mut().filter(|o| FROM_REPORTS.contains(&o.kind)) {
                    if o.level == Level::Clear {
                        o.level = Level::Holding;
                    }
                }
            }
            for change in engine.step(observations, &checked, &rules, Instant::now(), now) {
                match change {
                    Change::Raised(alert) => {
                        tracing::warn!(alert = alert.kind.as_str(), severity = alert.severity.as_str(), message = %alert.message, "alert raised");
                        self.board.count_raised(alert.kind);
                        let events: Vec<Event> =
                            audience.of(&alert.subject).iter().map(|t| event_of(&alert, *t)).collect();
                        for event in &events {
                            publisher.publish(event.clone()).await;
                        }
                        open.insert(alert.key.clone(), events);
                    }
                    Change::Cleared(alert) => {
                        tracing::info!(alert = alert.kind.as_str(), message = %alert.message, "alert cleared");
                        for event in open.remove(&alert.key).unwrap_or_default() {
                            publisher.publish(crate::events::ended(event, now)).await;
                        }
                    }
                }
            }
            self.board.set(engine.active());
        }
        let _ = publishing.await;
        Ok(())
    }

    /// The open alert events, grouped by alert.
    async fn load_open(&self) -> anyhow::Result<Vec<Vec<Event>>> {
        let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
        let stored = vms_catalog::event::open_of_type(&mut *tx, ALERT).await?;
        let mut by_key: HashMap<String, Vec<Event>> = HashMap::new();
        for e in stored {
            let key = e.attributes.get("key").and_then(|k| k.as_str()).unwrap_or_default().to_owned();
            by_key.entry(key).or_default().push(crate::events::as_message(e));
        }
        Ok(by_key.into_values().collect())
    }

    /// Walks the audit chain; `None` when it cannot be read now.
    async fn verify_audit(&self) -> Option<AuditCheck> {
        let walked = async {
            // One snapshot for the anchor and the entries (retention dropping
            // old entries meanwhile must not look like a break), across tenants.
            let mut tx = self.db.begin().await.map_err(vms_catalog::CatalogError::from)?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await
                .map_err(vms_catalog::CatalogError::from)?;
            // Before the snapshot is taken: retention cannot drop a partition
            // (DROP is not versioned) between the anchor and the entries.
            sqlx::query("LOCK TABLE audit_anchor, audit_log IN ACCESS SHARE MODE")
                .execute(&mut *tx)
                .await
                .map_err(vms_catalog::CatalogError::from)?;
            sqlx::query("SELECT set_config('vms.cross_tenant', 'on', true)")
                .execute(&mut *tx)
                .await
                .map_err(vms_catalog::CatalogError::from)?;
            vms_catalog::audit::verify(&mut tx).await
        };
        match walked.await {
            Ok(report) => Some(AuditCheck {
                entries: report.entries,
                problems: report.problems.iter().take(PROBLEMS_TOLD).map(ToString::to_string).collect(),
                problem_count: report.problems.len(),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "cannot verify the audit chain now");
                None
            }
        }
    }

    /// What the checks look at this round, and who hears of what; `None`
    /// while the catalog cannot be read.
    async fn gather(&self, rules: &Rules, starts: &mut Starts, audit: Option<AuditCheck>) -> Option<(Facts, Audience)> {
        let catalog = async {
            let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
            let outages =
                vms_catalog::event::open_of_type(&mut *tx, crate::events::stream_health::CAMERA_OFFLINE).await?;
            let continuous = vms_catalog::alert_rule::continuous_cameras(&mut *tx).await?;
            let longest = vms_catalog::alert_rule::longest_retention_days(&mut *tx).await?;
            let owners = vms_catalog::plane_streams::stream_owners(&mut *tx).await?;
            let default = vms_catalog::tenant::find_by_name(&mut *tx, vms_catalog::tenant::DEFAULT_TENANT).await?;
            Ok::<_, vms_catalog::CatalogError>((outages, continuous, longest, owners, default.map(|t| t.id)))
        };
        let mut facts = Facts::default();
        let audience;
        match catalog.await {
            Ok((outages, continuous, longest, owners, default)) => {
                facts.outages = Some(
                    outages
                        .into_iter()
                        .filter_map(|e| {
                            let text = |name: &str| {
                                e.attributes.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
                            };
                            Some(Outage {
                                tenant_id: e.tenant_id,
                                camera_id: e.camera_id?,
                                stream: text("stream"),
                                since: e.start_time,
                                reason: text("reason"),
                            })
                        })
                        .collect(),
                );
                facts.continuous = Some(continuous);
                facts.longest_retention_days = Some(longest);
                let tenants: HashMap<Uuid, Uuid> =
                    owners.iter().map(|(_, tenant, camera, _)| (*camera, *tenant)).collect();
                let mut with_cameras: Vec<Uuid> = tenants.values().copied().collect();
                with_cameras.sort();
                with_cameras.dedup();
                facts.camera_tenants = Some(tenants);
                audience = Audience { with_cameras, default };
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the catalog; the alerts wait");
                return None;
            }
        }
        // A plane that said it was stopping and has not come back is gone
        // (stopped by hand, its node retired): its alerts clear. One that
        // went silent without a word holds them, as `/health/ready` says it
        // is down.
        facts.planes = self
            .registry
            .snapshot()
            .into_iter()
            .filter(|seen| !(seen.report.state == PlaneState::Stopping && seen.age > self.stale_after))
            .map(|seen| PlaneFact { fresh: seen.age <= self.stale_after, report: seen.report })
            .chain(std::iter::once(PlaneFact { report: self.control.clone(), fresh: true }))
            .collect();
        facts.restarts = starts.observe(&facts.planes, rules.get(AlertKind::PlaneRestarts).window(), Utc::now());
        let entitlement = self.licensing.entitlement().await;
        facts.licence_expires = Some(entitlement.terms.and_then(|t| t.expires_at));
        facts.audit = audit;
        Some((facts, audience))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(plane: Plane, at: DateTime<Utc>, restarts: u64) -> PlaneFact {
        let mut report = super::checks::test_report(plane);
        (report.started_at, report.restarts) = (at, restarts);
        PlaneFact { report, fresh: true }
    }

    #[test]
    fn restarts_count_new_starts_and_those_the_supervisor_saw_between() {
        let (t0, window) = (Utc::now(), Duration::from_secs(600));
        let at = |s: i64| t0 + chrono::TimeDelta::seconds(s);
        let mut starts = Starts::default();
        assert_eq!(starts.observe(&[started(Plane::Media, at(0), 0)], window, at(0))[0].2, 0, "a first sight");
        assert_eq!(starts.observe(&[started(Plane::Media, at(0), 0)], window, at(5))[0].2, 0, "the same start");
        assert_eq!(starts.observe(&[started(Plane::Media, at(10), 1)], window, at(10))[0].2, 1);
        // Two starts died before reporting: the supervisor counted them.
        assert_eq!(starts.observe(&[started(Plane::Media, at(20), 4)], window, at(20))[0].2, 4);
        assert_eq!(starts.observe(&[], window, at(700))[0].2, 0, "out of the window");
        let mut after_a_restart_of_control = Starts::default();
        let seen = after_a_restart_of_control.observe(&[started(Plane::Media, at(0), 3)], window, at(5));
        assert_eq!(seen[0].2, 1, "a plane restarted lately counts once at first sight");
    }
}
