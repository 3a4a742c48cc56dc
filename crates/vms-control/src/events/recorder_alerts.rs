//! Recorder alerts as events: when a recorder cannot record because its
//! disk is full, or because only footage locked as evidence is left to make
//! room with, control publishes a `recording_alert` event to every tenant
//! that has cameras (each recorder records every tenant's main streams), so
//! their operators and rules hear of it. The event starts when control first
//! sees the alert in the recorder's status reports and ends when a report
//! no longer carries it. A recorder that stops reporting leaves its events
//! open (nothing says the alert cleared); events still open when control
//! stops are taken over at its next start.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::Plane;
use vms_bus::{
    Subjects,
    events::{Event, Publisher},
};
use vms_catalog::{Scope, scope};

use crate::planes::PlaneRegistry;

/// The event type.
pub const RECORDING_ALERT: &str = "recording_alert";
/// How often the recorders' reports are looked at.
const EVERY: Duration = Duration::from_secs(5);
/// Reports older than this are not trusted to say an alert cleared.
const FRESH: Duration = Duration::from_secs(30);
/// Most events queued while NATS is away.
const QUEUE: usize = 1_000;

/// The alert a recorder's message stands for, if it is one tenants should hear of.
pub fn alert_of(message: &str) -> Option<&'static str> {
    if message.contains("locked as evidence") {
        Some("evidence_fills_storage")
    } else if message.starts_with("no space left to record") {
        Some("disk_full")
    } else {
        None
    }
}

/// What tenants are told of an alert.
fn told(node: &str, alert: &str) -> String {
    match alert {
        "disk_full" => format!("the recorder on node {node} has no space left: recording stopped until space returns"),
        _ => format!(
            "the recorder on node {node} needs room, but only footage locked as evidence is left: unlock bookmarks or add storage"
        ),
    }
}

/// The open alert events, by recorder node, alert and tenant. Pure: the
/// caller feeds it reports, and publishes what it returns.
#[derive(Debug, Default)]
pub struct AlertTracker {
    open: HashMap<(String, String, Uuid), Event>,
}

impl AlertTracker {
    /// Takes over an event still open from before a restart.
    pub fn restore(&mut self, open: Event) {
        let attribute = |name: &str| open.attributes.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let key = (attribute("node"), attribute("alert"), open.tenant_id);
        self.open.insert(key, open);
    }

    /// Looks at the fresh `reports` of recorders (node, alert messages) at
    /// `wall`, with `tenants` those that have cameras; returns the events to
    /// publish: new alerts, and the ends of cleared ones.
    pub fn observe(&mut self, reports: &[(String, Vec<String>)], tenants: &[Uuid], wall: DateTime<Utc>) -> Vec<Event> {
        let mut out = Vec::new();
        let mut active = HashSet::new();
        for (node, messages) in reports {
            for message in messages {
                // Two roots of one node in the same trouble are one alert.
                let Some(alert) = alert_of(message) else { continue };
                active.insert((node.clone(), alert.to_owned()));
                for tenant in tenants {
                    let key = (node.clone(), alert.to_owned(), *tenant);
                    if self.open.contains_key(&key) {
                        continue;
                    }
                    let mut attributes = serde_json::Map::new();
                    attributes.insert("node".into(), node.clone().into());
                    attributes.insert("alert".into(), alert.into());
                    // Every tenant hears of it: the recorder's own words (its
                    // storage paths, the bytes other tenants locked) stay out.
                    attributes.insert("message".into(), told(node, alert).into());
                    let event = Event {
                        id: Uuid::new_v4(),
                        tenant_id: *tenant,
                        camera_id: None,
                        kind: RECORDING_ALERT.to_owned(),
                        start: wall,
                        end: None,
                        attributes,
                        seq: 0,
                    };
                    self.open.insert(key, event.clone());
                    out.push(event);
                }
            }
        }
        let reporting: HashSet<&String> = reports.iter().map(|(node, _)| node).collect();
        let cleared: Vec<_> = self
            .open
            .keys()
            .filter(|(node, alert, _)| reporting.contains(node) && !active.contains(&(node.clone(), alert.clone())))
            .cloned()
            .collect();
        for key in cleared {
            if let Some(open) = self.open.remove(&key) {
                out.push(super::ended(open, wall));
            }
        }
        out
    }
}

/// Watches the recorders' reports and publishes their alerts until `cancel`.
pub async fn run(
    db: PgPool,
    registry: Arc<PlaneRegistry>,
    nats: async_nats::Client,
    subjects: Subjects,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let (publisher, publishing) = Publisher::start(nats, subjects, QUEUE, cancel.clone(), Duration::from_secs(5));
    let mut tracker = AlertTracker::default();
    let open = {
        let mut tx = scope::begin(&db, Scope::AllTenants).await?;
        vms_catalog::event::open_of_type(&mut *tx, RECORDING_ALERT).await?
    };
    for e in open {
        tracker.restore(super::as_message(e));
    }
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = tick.tick() => {}
        }
        let reports: Vec<(String, Vec<String>)> = registry
            .snapshot()
            .into_iter()
            .filter(|p| p.report.plane == Plane::Recorder && p.age < FRESH)
            .map(|p| (p.report.node_id, p.report.alerts))
            .collect();
        let tenants = match tenants_with_cameras(&db).await {
            Ok(tenants) => tenants,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read which tenants have cameras; recorder alerts wait");
                continue;
            }
        };
        for event in tracker.observe(&reports, &tenants, Utc::now()) {
            if event.end.is_none() {
                tracing::warn!(tenant = %event.tenant_id, alert = ?event.attributes.get("alert"), "recording alert");
            }
            publisher.publish(event).await;
        }
    }
    let _ = publishing.await;
    Ok(())
}

async fn tenants_with_cameras(db: &PgPool) -> Result<Vec<Uuid>, vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let owners = vms_catalog::plane_streams::stream_owners(&mut *tx).await?;
    let mut tenants: Vec<Uuid> = owners.into_iter().map(|(_, tenant, _, _)| tenant).collect();
    tenants.sort();
    tenants.dedup();
    Ok(tenants)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_is_one_event_per_tenant_until_it_clears() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let full = "no space left to record on /srv/rec; retention could not free enough".to_owned();
        let w0 = Utc::now();
        let mut tracker = AlertTracker::default();
        let node = |alerts: Vec<String>| vec![("n1".to_owned(), alerts)];
        assert!(tracker.observe(&node(vec!["some other trouble".into()]), &[a, b], w0).is_empty());
        let opened = tracker.observe(&node(vec![full.clone()]), &[a, b], w0);
        assert_eq!(opened.len(), 2);
        assert!(opened.iter().all(|e| e.kind == RECORDING_ALERT && e.camera_id.is_none() && e.end.is_none()));
        assert_eq!(opened[0].attributes["alert"], "disk_full");
        assert!(tracker.observe(&node(vec![full.clone()]), &[a, b], w0).is_empty(), "one event per alert");
        assert!(tracker.observe(&[], &[a, b], w0).is_empty(), "a recorder not reporting clears nothing");
        let w1 = w0 + chrono::TimeDelta::seconds(60);
        let ended = tracker.observe(&node(vec![]), &[a, b], w1);
        assert_eq!(ended.len(), 2);
        assert!(ended.iter().all(|e| e.seq == 1 && e.end == Some(w1)));
        let ids: HashSet<Uuid> = opened.iter().map(|e| e.id).collect();
        assert!(ended.iter().all(|e| ids.contains(&e.id)), "the same events end");
    }

    #[test]
    fn an_event_open_before_a_restart_ends_when_its_alert_is_gone() {
        let tenant = Uuid::from_u128(1);
        let mut attributes = serde_json::Map::new();
        attributes.insert("node".into(), "n1".into());
        attributes.insert("alert".into(), "evidence_fills_storage".into());
        let open = Event {
            id: Uuid::from_u128(9),
            tenant_id: tenant,
            camera_id: None,
            kind: RECORDING_ALERT.into(),
            start: Utc::now(),
            end: None,
            attributes,
            seq: 0,
        };
        let mut tracker = AlertTracker::default();
        tracker.restore(open);
        let locked =
            "storage root /srv needs room, but what is left is 5 bytes of footage locked as evidence".to_owned();
        assert!(tracker.observe(&[("n1".into(), vec![locked])], &[tenant], Utc::now()).is_empty());
        let ended = tracker.observe(&[("n1".into(), vec![])], &[tenant], Utc::now());
        assert_eq!((ended.len(), ended[0].id, ended[0].seq), (1, Uuid::from_u128(9), 1));
    }
}
