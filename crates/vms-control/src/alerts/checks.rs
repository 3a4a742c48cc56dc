//! What each rule looks at, and what it finds: pure functions from the
//! [`Facts`] gathered for a round to [`Observation`]s.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vms_base::Plane;
use vms_bus::status::PlaneStatusReport;
use vms_catalog::alert_rule::ContinuousCamera;

use super::{
    engine::{Level, Observation, Subject},
    rule::{AlertKind, Rules},
};

/// A camera stream whose outage is an open `camera_offline` event.
#[derive(Debug, Clone, PartialEq)]
pub struct Outage {
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// `main` or `sub`.
    pub stream: String,
    /// Since when it is down.
    pub since: DateTime<Utc>,
    /// Why, as the media plane said.
    pub reason: String,
}

/// A plane's last report, and whether it is recent.
#[derive(Debug, Clone)]
pub struct PlaneFact {
    /// The report.
    pub report: PlaneStatusReport,
    /// Whether it is recent enough to judge by.
    pub fresh: bool,
}

/// The result of the last audit chain verification.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditCheck {
    /// The entries walked.
    pub entries: u64,
    /// The problems found, as sentences (at most a few).
    pub problems: Vec<String>,
    /// How many problems in all.
    pub problem_count: usize,
}

/// Everything a round looks at. A `None` is a fact that could not be read
/// this round: its rules are not checked (and so clear nothing).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The open camera outages.
    pub outages: Option<Vec<Outage>>,
    /// The cameras recording continuously, with where their footage ends.
    pub continuous: Option<Vec<ContinuousCamera>>,
    /// The longest retention any camera asks for, in days (`Some(None)`: none asks).
    pub longest_retention_days: Option<Option<i32>>,
    /// Each camera's tenant.
    pub camera_tenants: Option<HashMap<Uuid, Uuid>>,
    /// Every plane's last report (control's own included).
    pub planes: Vec<PlaneFact>,
    /// Restarts of each (node, plane) within the `plane_restarts` window.
    pub restarts: Vec<(String, Plane, usize)>,
    /// When the licence in force expires (`Some(None)`: it does not, or none is installed).
    pub licence_expires: Option<Option<DateTime<Utc>>>,
    /// The last audit chain verification, once one ran.
    pub audit: Option<AuditCheck>,
}

/// Runs every check on `facts` at `now`; returns the observations and the
/// kinds that could be checked.
pub fn observe(facts: &Facts, rules: &Rules, now: DateTime<Utc>) -> (Vec<Observation>, Vec<AlertKind>) {
    let mut out = Vec::new();
    let mut checked = Vec::new();
    if let Some(outages) = &facts.outages {
        checked.push(AlertKind::CameraOffline);
        out.extend(camera_offline(outages, rules.get(AlertKind::CameraOffline).threshold(), now));
    }
    if let Some(cameras) = &facts.continuous {
        checked.push(AlertKind::NoFootage);
        out.extend(no_footage(cameras, rules.get(AlertKind::NoFootage).threshold(), now));
    }
    checked.push(AlertKind::DiskFreeLow);
    out.extend(disk_free_low(&facts.planes, rules.get(AlertKind::DiskFreeLow).threshold()));
    if let Some(days) = facts.longest_retention_days {
        checked.push(AlertKind::RetentionShort);
        out.extend(retention_short(&facts.planes, days, rules.get(AlertKind::RetentionShort).threshold(), now));
    }
    checked.push(AlertKind::IndexLag);
    out.extend(index_lag(&facts.planes, rules.get(AlertKind::IndexLag).threshold()));
    checked.push(AlertKind::PlaneRestarts);
    out.extend(plane_restarts(&facts.restarts, rules.get(AlertKind::PlaneRestarts)));
    checked.push(AlertKind::PlaneHung);
    out.extend(plane_hung(&facts.planes, rules.get(AlertKind::PlaneHung).window(), now));
    if let (Some(tenants), Some(outages)) = (&facts.camera_tenants, &facts.outages) {
        checked.push(AlertKind::AnalyticsBehind);
        let threshold = rules.get(AlertKind::AnalyticsBehind).threshold();
        out.extend(analytics_behind(&facts.planes, tenants, outages, threshold));
    }
    if let Some(expires) = facts.licence_expires {
        checked.push(AlertKind::LicenceExpiring);
        out.extend(licence_expiring(expires, rules.get(AlertKind::LicenceExpiring).threshold(), now));
    }
    if let Some(audit) = &facts.audit {
        checked.push(AlertKind::AuditChain);
        out.push(audit_chain(audit));
    }
    (out, checked)
}

fn observation(kind: AlertKind, subject_key: String, subject: Subject, level: Level, message: String) -> Observation {
    Observation { kind, subject_key, subject, level, told: message.clone(), message, value: None }
}

fn firing_if(condition: bool) -> Level {
    if condition { Level::Firing } else { Level::Clear }
}

/// Firing at or past `raise`, clear below `clear`, holding between (for
/// figures that grow with trouble).
fn above(value: f64, raise: f64, clear: f64) -> Level {
    if value >= raise {
        Level::Firing
    } else if value < clear {
        Level::Clear
    } else {
        Level::Holding
    }
}

fn camera_offline(outages: &[Outage], threshold_secs: f64, now: DateTime<Utc>) -> Vec<Observation> {
    outages
        .iter()
        .map(|o| {
            let down = (now - o.since).num_milliseconds().max(0) as f64 / 1000.0;
            let mut seen = observation(
                AlertKind::CameraOffline,
                format!("{} {}", o.camera_id, o.stream),
                Subject::Camera { tenant_id: o.tenant_id, camera_id: o.camera_id },
                firing_if(down >= threshold_secs),
                format!(
                    "the {} stream of camera {} is offline ({}) since {}",
                    o.stream, o.camera_id, o.reason, o.since
                ),
            );
            seen.value = Some(down.round());
            seen
        })
        .collect()
}

fn no_footage(cameras: &[ContinuousCamera], threshold_secs: f64, now: DateTime<Utc>) -> Vec<Observation> {
    cameras
        .iter()
        .map(|c| {
            // A camera that never recorded counts from when it was added.
            let since = c.last_footage.unwrap_or(c.created_at);
            let silent = (now - since).num_milliseconds().max(0) as f64 / 1000.0;
            let message = match c.last_footage {
                Some(last) => format!("camera {} records continuously, but its footage ends at {last}", c.camera_id),
                None => {
                    format!("camera {} records continuously, but nothing was recorded since it was added", c.camera_id)
                }
            };
            let mut seen = observation(
                AlertKind::NoFootage,
                c.camera_id.to_string(),
                Subject::Camera { tenant_id: c.tenant_id, camera_id: c.camera_id },
                firing_if(silent >= threshold_secs),
                message,
            );
            seen.value = Some(silent.round());
            seen
        })
        .collect()
}

/// Reports of `plane`: fresh ones judged, stale ones holding.
fn reports(planes: &[PlaneFact], plane: Plane) -> impl Iterator<Item = &PlaneFact> {
    planes.iter().filter(move |p| p.report.plane == plane)
}

fn disk_free_low(planes: &[PlaneFact], threshold_percent: f64) -> Vec<Observation> {
    let mut out = Vec::new();
    for p in reports(planes, Plane::Recorder) {
        let node = &p.report.node_id;
        for (index, root) in p.report.storage.iter().enumerate().filter(|(_, r)| r.total_bytes > 0) {
            let free = root.free_bytes as f64 * 100.0 / root.total_bytes as f64;
            // Cleared a point above the threshold (half the way to 100 %
            // above 98 %), so a disk hovering at it does not raise and clear
            // with every sweep.
            let clear = threshold_percent + ((100.0 - threshold_percent) / 2.0).min(1.0);
            let level = if p.fresh { above(-free, -threshold_percent, -clear) } else { Level::Holding };
            // Named by its place in the recorder's list, not its path: the
            // key goes to tenants, hashed, and paths are easy to guess.
            let mut seen = observation(
                AlertKind::DiskFreeLow,
                format!("{node} root {index}"),
                Subject::Shared { node: node.clone() },
                level,
                format!("storage root {} on node {node} has {free:.1}% free ({} bytes)", root.path, root.free_bytes),
            );
            seen.told = format!("a storage root on node {node} has {free:.1}% free: recording may stop");
            seen.value = Some((free * 10.0).round() / 10.0);
            out.push(seen);
        }
    }
    out
}

fn retention_short(
    planes: &[PlaneFact],
    longest_days: Option<i32>,
    threshold_percent: f64,
    now: DateTime<Utc>,
) -> Vec<Observation> {
    let Some(days) = longest_days.filter(|d| *d > 0) else { return Vec::new() };
    let wanted = f64::from(days) * threshold_percent / 100.0;
    let mut out = Vec::new();
    for p in reports(planes, Plane::Recorder) {
        let node = &p.report.node_id;
        for (index, root) in p.report.storage.iter().enumerate() {
            let Some(oldest) = root.oldest else { continue };
            let held = (now - oldest).num_seconds().max(0) as f64 / 86_400.0;
            // Only footage removed to make room, lately, says the disk is too
            // small: a young installation holds little because it is young.
            let pressed = root.room_removed_at.is_some_and(|at| now - at < chrono::TimeDelta::days(1));
            let level = if !p.fresh { Level::Holding } else { firing_if(pressed && held < wanted) };
            let mut seen = observation(
                AlertKind::RetentionShort,
                format!("{node} root {index}"),
                Subject::Shared { node: node.clone() },
                level,
                format!(
                    "storage root {} on node {node} holds {held:.1} days of footage, while cameras ask for {days}: \
                     footage is removed to make room before its time",
                    root.path
                ),
            );
            // The days asked for may be another tenant's setting: not told.
            seen.told = format!(
                "a storage root on node {node} holds {held:.1} days of footage, less than cameras ask for: \
                 footage is removed to make room before its time"
            );
            seen.value = Some((held * 10.0).round() / 10.0);
            out.push(seen);
        }
    }
    out
}

fn index_lag(planes: &[PlaneFact], threshold_secs: f64) -> Vec<Observation> {
    reports(planes, Plane::Recorder)
        .filter_map(|p| {
            let lag = p.report.index_lag_secs?;
            let node = &p.report.node_id;
            let level = if p.fresh { above(lag, threshold_secs, threshold_secs * 0.8) } else { Level::Holding };
            let mut seen = observation(
                AlertKind::IndexLag,
                node.clone(),
                Subject::Shared { node: node.clone() },
                level,
                format!("the recording index on node {node} is {lag:.0}s behind the files written"),
            );
            seen.value = Some(lag.round());
            Some(seen)
        })
        .collect()
}

fn plane_restarts(restarts: &[(String, Plane, usize)], rule: &super::rule::AlertRule) -> Vec<Observation> {
    let (most, window) = (rule.threshold(), rule.window().as_secs());
    restarts
        .iter()
        .map(|(node, plane, count)| {
            let mut seen = observation(
                AlertKind::PlaneRestarts,
                format!("{node} {plane}"),
                Subject::Shared { node: node.clone() },
                firing_if(*count as f64 > most),
                format!("the {plane} plane on node {node} restarted {count} times in the last {window}s"),
            );
            seen.value = Some(*count as f64);
            seen
        })
        .collect()
}

fn plane_hung(planes: &[PlaneFact], window: std::time::Duration, now: DateTime<Utc>) -> Vec<Observation> {
    planes
        .iter()
        .map(|p| {
            let r = &p.report;
            let since = chrono::TimeDelta::from_std(window).unwrap_or_default();
            let hung = r.restart_cause.as_deref() == Some(vms_base::watchdog::CAUSE_HUNG) && now - r.started_at < since;
            observation(
                AlertKind::PlaneHung,
                format!("{} {}", r.node_id, r.plane),
                Subject::Shared { node: r.node_id.clone() },
                firing_if(hung),
                format!(
                    "the {} plane on node {} stopped reporting while it ran (hung); the watchdog restarted it at {}",
                    r.plane, r.node_id, r.started_at
                ),
            )
        })
        .collect()
}

fn analytics_behind(
    planes: &[PlaneFact],
    tenants: &HashMap<Uuid, Uuid>,
    outages: &[Outage],
    threshold_percent: f64,
) -> Vec<Observation> {
    let mut out = Vec::new();
    for p in reports(planes, Plane::Ai) {
        for s in &p.report.analytics {
            let Some(tenant_id) = tenants.get(&s.camera_id).copied() else { continue };
            if s.detect_fps == 0 {
                continue;
            }
            let achieved = f64::from(s.fps) * 100.0 / f64::from(s.detect_fps);
            // A stream decoding keyframes only, or whose camera is offline,
            // cannot reach its rate: other alerts say why.
            let excused = s.keyframes_only || outages.iter().any(|o| o.camera_id == s.camera_id);
            let level = if !p.fresh || excused {
                Level::Holding
            } else {
                // Cleared 5 points above, or half the way to 100 % above 90 %.
                let clear = threshold_percent + ((100.0 - threshold_percent) / 2.0).min(5.0);
                above(-achieved, -threshold_percent, -clear)
            };
            let mut seen = observation(
                AlertKind::AnalyticsBehind,
                format!("{} {} {}", p.report.node_id, s.camera_id, s.stream),
                Subject::Camera { tenant_id, camera_id: s.camera_id },
                level,
                format!(
                    "analytics of camera {} ({} stream) reaches {:.1} of its {} pictures per second",
                    s.camera_id, s.stream, s.fps, s.detect_fps
                ),
            );
            seen.value = Some(achieved.round());
            out.push(seen);
        }
    }
    out
}

fn licence_expiring(expires: Option<DateTime<Utc>>, threshold_days: f64, now: DateTime<Utc>) -> Vec<Observation> {
    let Some(expires) = expires else { return Vec::new() };
    let left = (expires - now).num_seconds() as f64 / 86_400.0;
    let message = if left <= 0.0 {
        format!("the licence expired at {expires}")
    } else {
        format!("the licence expires at {expires}, in {left:.1} days")
    };
    let mut seen = observation(
        AlertKind::LicenceExpiring,
        "licence".into(),
        Subject::Installation,
        firing_if(left < threshold_days),
        message,
    );
    seen.value = Some((left * 10.0).round() / 10.0);
    vec![seen]
}

fn audit_chain(audit: &AuditCheck) -> Observation {
    let message = if audit.problem_count == 0 {
        format!("the audit chain of {} entries verifies", audit.entries)
    } else {
        format!(
            "the audit chain fails verification: {} problem(s) in {} entries, first: {}",
            audit.problem_count,
            audit.entries,
            audit.problems.join("; ")
        )
    };
    let mut seen = observation(
        AlertKind::AuditChain,
        "audit".into(),
        Subject::Installation,
        firing_if(audit.problem_count > 0),
        message,
    );
    // Where the chain breaks is for super-admins (`/api/alerts`, `vms audit verify`).
    seen.told = "the audit trail fails verification: a super-admin can see where".to_owned();
    seen.value = Some(audit.problem_count as f64);
    seen
}

/// A running plane's report on node `n1`, for tests.
#[cfg(test)]
pub(crate) fn test_report(plane: Plane) -> PlaneStatusReport {
    PlaneStatusReport {
        plane,
        node_id: "n1".into(),
        version: "1".into(),
        pid: 1,
        state: vms_bus::status::PlaneState::Running,
        started_at: Utc::now(),
        reported_at: Utc::now(),
        assignments_revision: 0,
        assigned_streams: 0,
        control_connected: true,
        grpc_addr: String::new(),
        alerts: Vec::new(),
        endpoints: Default::default(),
        analytics: Vec::new(),
        storage: Vec::new(),
        restarts: 0,
        restart_cause: None,
        index_lag_secs: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vms_bus::status::{StorageRootStatus, StreamAnalytics};

    fn plane(plane: Plane) -> PlaneStatusReport {
        test_report(plane)
    }

    fn levels(found: &[Observation]) -> Vec<Level> {
        found.iter().map(|o| o.level).collect()
    }

    #[test]
    fn disk_free_raises_under_its_threshold_clears_a_point_above_and_tells_tenants_no_path() {
        let root = |free: u64| StorageRootStatus {
            path: "/srv/rec".into(),
            total_bytes: 1000,
            free_bytes: free,
            ..Default::default()
        };
        let mut recorder = plane(Plane::Recorder);
        recorder.storage = vec![root(40), root(55), root(70)];
        let facts = [PlaneFact { report: recorder.clone(), fresh: true }];
        let found = disk_free_low(&facts, 5.0);
        assert_eq!(levels(&found), [Level::Firing, Level::Holding, Level::Clear]);
        assert!(found[0].message.contains("/srv/rec") && !found[0].told.contains("/srv/rec"), "{found:?}");
        let stale = [PlaneFact { report: recorder, fresh: false }];
        assert_eq!(levels(&disk_free_low(&stale, 5.0))[0], Level::Holding, "a silent recorder clears nothing");
    }

    #[test]
    fn retention_is_short_only_when_room_was_made_lately() {
        let now = Utc::now();
        let mut recorder = plane(Plane::Recorder);
        let root = |removed: Option<DateTime<Utc>>| StorageRootStatus {
            path: "/srv".into(),
            oldest: Some(now - chrono::TimeDelta::days(3)),
            room_removed_at: removed,
            ..Default::default()
        };
        recorder.storage = vec![root(None), root(Some(now - chrono::TimeDelta::hours(1)))];
        let facts = [PlaneFact { report: recorder, fresh: true }];
        assert_eq!(levels(&retention_short(&facts, Some(7), 100.0, now)), [Level::Clear, Level::Firing]);
        assert_eq!(
            levels(&retention_short(&facts, Some(7), 40.0, now)),
            [Level::Clear, Level::Clear],
            "2.8 days wanted"
        );
        assert!(retention_short(&facts, None, 100.0, now).is_empty(), "no camera asks for days");
    }

    #[test]
    fn analytics_behind_spares_offline_and_keyframe_streams() {
        let camera = Uuid::from_u128(7);
        let stream = |fps: f32, keyframes_only: bool| StreamAnalytics {
            camera_id: camera,
            stream: "sub".into(),
            detect_fps: 5,
            fps,
            keyframes_only,
            ..Default::default()
        };
        let mut ai = plane(Plane::Ai);
        ai.analytics = vec![stream(2.0, false), stream(4.1, false), stream(5.0, false), stream(0.5, true)];
        let facts = [PlaneFact { report: ai, fresh: true }];
        let tenants = HashMap::from([(camera, Uuid::from_u128(1))]);
        let found = analytics_behind(&facts, &tenants, &[], 80.0);
        assert_eq!(levels(&found), [Level::Firing, Level::Holding, Level::Clear, Level::Holding]);
        let outage = Outage {
            tenant_id: Uuid::from_u128(1),
            camera_id: camera,
            stream: "main".into(),
            since: Utc::now(),
            reason: "x".into(),
        };
        assert_eq!(levels(&analytics_behind(&facts, &tenants, &[outage], 80.0))[0], Level::Holding);
    }

    #[test]
    fn a_plane_restarted_for_hanging_fires_for_the_window() {
        let now = Utc::now();
        let mut media = plane(Plane::Media);
        media.restart_cause = Some("hung".into());
        media.started_at = now - chrono::TimeDelta::seconds(30);
        let window = std::time::Duration::from_secs(60);
        let facts = |r: &PlaneStatusReport| [PlaneFact { report: r.clone(), fresh: true }];
        assert_eq!(levels(&plane_hung(&facts(&media), window, now)), [Level::Firing]);
        media.started_at = now - chrono::TimeDelta::seconds(90);
        assert_eq!(levels(&plane_hung(&facts(&media), window, now)), [Level::Clear]);
        media.restart_cause = Some("exited".into());
        media.started_at = now;
        assert_eq!(levels(&plane_hung(&facts(&media), window, now)), [Level::Clear]);
    }

    #[test]
    fn tenants_are_not_told_where_the_audit_chain_breaks_nor_others_retention() {
        let audit = AuditCheck {
            entries: 9,
            problems: vec!["entry 5 was edited after it was written".into()],
            problem_count: 1,
        };
        let found = audit_chain(&audit);
        assert!(found.message.contains("entry 5") && !found.told.contains("entry 5"), "{found:?}");
        let now = Utc::now();
        let mut recorder = plane(Plane::Recorder);
        recorder.storage = vec![StorageRootStatus {
            path: "/srv".into(),
            oldest: Some(now - chrono::TimeDelta::days(2)),
            room_removed_at: Some(now),
            ..Default::default()
        }];
        let found = retention_short(&[PlaneFact { report: recorder, fresh: true }], Some(31), 100.0, now);
        assert!(found[0].message.contains("31") && !found[0].told.contains("31"), "{found:?}");
    }

    #[test]
    fn licence_and_footage_thresholds() {
        let now = Utc::now();
        assert_eq!(levels(&licence_expiring(Some(now + chrono::TimeDelta::days(3)), 14.0, now)), [Level::Firing]);
        assert_eq!(levels(&licence_expiring(Some(now + chrono::TimeDelta::days(30)), 14.0, now)), [Level::Clear]);
        assert!(licence_expiring(None, 14.0, now).is_empty());
        let camera = |last: Option<i64>| ContinuousCamera {
            camera_id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            created_at: now - chrono::TimeDelta::seconds(300),
            last_footage: last.map(|s| now - chrono::TimeDelta::seconds(s)),
        };
        let found = no_footage(&[camera(Some(5)), camera(Some(200)), camera(None)], 120.0, now);
        assert_eq!(levels(&found), [Level::Clear, Level::Firing, Level::Firing]);
    }
}
