//! What control knows about the other planes, from their NATS status reports.

use std::{
    collections::HashMap,
    sync::RwLock,
    time::{Duration, Instant},
};

use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use vms_base::Plane;
use vms_bus::{Subjects, status::PlaneStatusReport};

/// The latest report of each plane on each node.
#[derive(Default)]
pub struct PlaneRegistry {
    seen: RwLock<HashMap<(Plane, String), (PlaneStatusReport, Instant)>>,
}

/// A report and how long ago it arrived.
#[derive(Debug, Clone)]
pub struct SeenPlane {
    /// The report.
    pub report: PlaneStatusReport,
    /// Time since it arrived (by this process's clock, so skew does not matter).
    pub age: Duration,
}

impl PlaneRegistry {
    /// Stores a report.
    pub fn record(&self, report: PlaneStatusReport) {
        let key = (report.plane, report.node_id.clone());
        self.seen.write().expect("registry lock should not be poisoned").insert(key, (report, Instant::now()));
    }

    /// Returns every plane seen, ordered by plane and node.
    pub fn snapshot(&self) -> Vec<SeenPlane> {
        let seen = self.seen.read().expect("registry lock should not be poisoned");
        let mut planes: Vec<SeenPlane> =
            seen.values().map(|(report, at)| SeenPlane { report: report.clone(), age: at.elapsed() }).collect();
        planes.sort_by(|a, b| (a.report.plane, &a.report.node_id).cmp(&(b.report.plane, &b.report.node_id)));
        planes
    }

    /// Whether `plane` is ready: up, and raising no critical alert; `Err` says why not.
    pub fn health(&self, plane: Plane, stale_after: Duration) -> Result<(), String> {
        let planes = self.snapshot();
        let up: Vec<&SeenPlane> = planes
            .iter()
            .filter(|p| {
                p.report.plane == plane
                    && p.report.state == vms_bus::status::PlaneState::Running
                    && p.age <= stale_after
            })
            .collect();
        if up.is_empty() {
            return Err("no recent status report".to_owned());
        }
        let alerts: Vec<String> =
            up.iter().flat_map(|p| p.report.alerts.iter().map(move |a| format!("{}: {a}", p.report.node_id))).collect();
        if alerts.is_empty() { Ok(()) } else { Err(format!("critical: {}", alerts.join("; "))) }
    }
}

/// Follows every plane's status subject until shutdown, re-subscribing after errors.
pub async fn follow(
    nats: async_nats::Client,
    subjects: Subjects,
    registry: std::sync::Arc<PlaneRegistry>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    loop {
        let mut sub = match nats.subscribe(subjects.all_status()).await {
            Ok(sub) => sub,
            Err(e) => {
                tracing::warn!(error = %e, "failed to subscribe to plane status; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return Ok(()),
                message = sub.next() => match message {
                    Some(m) => match PlaneStatusReport::from_bytes(&m.payload) {
                        Ok(report) => registry.record(report),
                        Err(e) => tracing::warn!(subject = %m.subject, error = %e, "ignoring malformed status report"),
                    },
                    None => break,
                },
            }
        }
    }
}
