//! Cameras going offline, as events: control follows every stream's state
//! from the media planes and publishes a `camera_offline` event when a
//! stream has been down for [`CONFIRM`]. The event starts when the stream
//! went down and ends when pictures arrive again, so one event covers the
//! whole outage (and rules see both edges).
//!
//! A stream is down when its media plane says it is connecting or offline,
//! or when a stream last seen online has not been reported for [`SILENCE`]
//! (the media plane died or stalled). Events still open when control stops
//! are found again in the database at its next start and ended when their
//! stream comes back, or when their camera is gone.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_bus::{
    Subjects,
    events::{Event, Publisher},
    hot::{StreamState, StreamStatus},
};
use vms_catalog::{Scope, scope};

/// The event type.
pub const CAMERA_OFFLINE: &str = "camera_offline";
/// How long a stream must stay down before its outage is an event.
pub const CONFIRM: Duration = Duration::from_secs(10);
/// How long a stream last seen online may go unreported before it counts as
/// down (the media plane reports an online stream every few seconds).
pub const SILENCE: Duration = Duration::from_secs(20);
/// Most events queued while NATS is away.
const QUEUE: usize = 10_000;

/// Where a stream belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOwner {
    /// Its tenant.
    pub tenant_id: Uuid,
    /// Its camera.
    pub camera_id: Uuid,
    /// `main` or `sub`.
    pub role: &'static str,
}

#[derive(Debug)]
struct Tracked {
    owner: StreamOwner,
    /// When the last report arrived.
    seen: Instant,
    /// Since when it is down (`None` while up).
    down_since: Option<(Instant, DateTime<Utc>)>,
    /// Why, as the last report said.
    reason: Option<String>,
    detail: Option<String>,
    /// The event published about the current outage.
    open: Option<Event>,
}

/// The outage state of every stream, and the events it calls for. Pure:
/// the caller feeds it reports and time, and publishes what it returns.
#[derive(Debug, Default)]
pub struct Tracker {
    streams: HashMap<Uuid, Tracked>,
}

impl Tracker {
    /// Takes over an outage event still open from before a restart: the
    /// stream counts as down since the event's start until it reports online.
    pub fn restore(&mut self, stream: Uuid, owner: StreamOwner, open: Event, now: Instant) {
        let since = (now, open.start);
        self.streams.insert(
            stream,
            Tracked { owner, seen: now, down_since: Some(since), reason: None, detail: None, open: Some(open) },
        );
    }

    /// Records a report of `stream`'s state received at `now` (`wall` by the
    /// clock); returns the event update it calls for (an outage's end).
    pub fn observe(
        &mut self,
        stream: Uuid,
        owner: StreamOwner,
        state: &StreamState,
        now: Instant,
        wall: DateTime<Utc>,
    ) -> Option<Event> {
        let tracked = self.streams.entry(stream).or_insert(Tracked {
            owner,
            seen: now,
            down_since: None,
            reason: None,
            detail: None,
            open: None,
        });
        tracked.seen = now;
        tracked.owner = owner;
        if state.status == StreamStatus::Online {
            tracked.down_since = None;
            tracked.reason = None;
            tracked.detail = None;
            return tracked.open.take().map(|open| super::ended(open, wall));
        }
        tracked.down_since.get_or_insert((now, wall));
        // A reconnect attempt says only "connecting": the failure's reason stands.
        if let Some(reason) = state.reason {
            tracked.reason = Some(reason.as_str().to_owned());
            tracked.detail = state.detail.clone();
        } else if tracked.reason.is_none() {
            tracked.reason = Some(state.status.as_str().to_owned());
        }
        None
    }

    /// Moves time to `now`: streams silent for [`SILENCE`] go down, and
    /// outages confirmed for [`CONFIRM`] become events. Returns the events to publish.
    pub fn tick(&mut self, now: Instant, wall: DateTime<Utc>) -> Vec<Event> {
        let mut out = Vec::new();
        for tracked in self.streams.values_mut() {
            if tracked.down_since.is_none() && now.duration_since(tracked.seen) >= SILENCE {
                let silent_for = now.duration_since(tracked.seen);
                let since = wall - chrono::TimeDelta::from_std(silent_for).unwrap_or_default();
                tracked.down_since = Some((tracked.seen, since));
                tracked.reason = Some("not_reported".to_owned());
                tracked.detail = Some("the media plane stopped reporting the stream".to_owned());
            }
            let Some((since, since_wall)) = tracked.down_since else { continue };
            if tracked.open.is_none() && now.duration_since(since) >= CONFIRM {
                let mut attributes = serde_json::Map::new();
                attributes.insert("stream".into(), tracked.owner.role.into());
                attributes.insert("reason".into(), tracked.reason.clone().unwrap_or_default().into());
                if let Some(detail) = &tracked.detail {
                    attributes.insert("detail".into(), detail.clone().into());
                }
                let event = Event {
                    id: Uuid::new_v4(),
                    tenant_id: tracked.owner.tenant_id,
                    camera_id: Some(tracked.owner.camera_id),
                    kind: CAMERA_OFFLINE.to_owned(),
                    start: since_wall,
                    end: None,
                    attributes,
                    seq: 0,
                };
                tracked.open = Some(event.clone());
                out.push(event);
            }
        }
        out
    }

    /// Forgets streams whose camera is gone (`keep` answers false), ending
    /// their open events at `wall`; returns those ends.
    pub fn retain(&mut self, keep: impl Fn(Uuid) -> bool, wall: DateTime<Utc>) -> Vec<Event> {
        let gone: Vec<Uuid> = self.streams.keys().copied().filter(|s| !keep(*s)).collect();
        gone.into_iter()
            .filter_map(|s| self.streams.remove(&s).and_then(|t| t.open))
            .map(|open| super::ended(open, wall))
            .collect()
    }
}

/// Follows stream states on NATS and publishes outage events until `cancel`.
pub async fn run(
    db: PgPool,
    nats: async_nats::Client,
    subjects: Subjects,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let mut states = nats
        .subscribe(subjects.all_stream_states())
        .await
        .map_err(|e| anyhow::anyhow!("cannot follow stream states: {e}"))?;
    let (publisher, publishing) =
        Publisher::start(nats.clone(), subjects.clone(), QUEUE, cancel.clone(), Duration::from_secs(5));
    let mut owners = load_owners(&db).await?;
    let mut owners_at = Instant::now();
    let mut tracker = Tracker::default();
    let (open, orphans) = load_open(&db, &owners).await?;
    for (stream, open) in open {
        tracker.restore(stream, owners[&stream], open, Instant::now());
    }
    for orphan in orphans {
        publisher.publish(super::ended(orphan, Utc::now())).await;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut refresh = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            message = states.next() => {
                let Some(message) = message else { anyhow::bail!("the stream state subscription ended") };
                let Some(stream) = message.subject.as_str().split('.').rev().nth(1).and_then(|s| s.parse().ok()) else {
                    continue;
                };
                let Ok(state) = StreamState::decode(&message.payload) else { continue };
                if !owners.contains_key(&stream) && owners_at.elapsed() >= Duration::from_secs(1) {
                    // A stream created since the last read.
                    if let Ok(fresh) = load_owners(&db).await {
                        owners = fresh;
                        owners_at = Instant::now();
                    }
                }
                let Some(owner) = owners.get(&stream).copied() else { continue };
                if let Some(ended) = tracker.observe(stream, owner, &state, Instant::now(), Utc::now()) {
                    publisher.publish(ended).await;
                }
            }
            _ = tick.tick() => {
                for event in tracker.tick(Instant::now(), Utc::now()) {
                    tracing::info!(camera = %event.camera_id.unwrap_or_default(), "camera offline");
                    publisher.publish(event).await;
                }
            }
            _ = refresh.tick() => match load_owners(&db).await {
                Ok(fresh) => {
                    owners = fresh;
                    owners_at = Instant::now();
                    for ended in tracker.retain(|s| owners.contains_key(&s), Utc::now()) {
                        publisher.publish(ended).await;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read the streams; keeping the last list"),
            },
        }
    }
    let _ = publishing.await;
    Ok(())
}

/// Every stream's tenant, camera and role.
async fn load_owners(db: &PgPool) -> Result<HashMap<Uuid, StreamOwner>, vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let rows = vms_catalog::plane_streams::stream_owners(&mut *tx).await?;
    Ok(rows
        .into_iter()
        .map(|(stream, tenant_id, camera_id, role)| {
            let role = if role == "sub" { "sub" } else { "main" };
            (stream, StreamOwner { tenant_id, camera_id, role })
        })
        .collect())
}

/// The outage events still open: by the stream they concern, and those
/// whose stream no longer exists (to be ended now).
async fn load_open(
    db: &PgPool,
    owners: &HashMap<Uuid, StreamOwner>,
) -> Result<(Vec<(Uuid, Event)>, Vec<Event>), vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let open = vms_catalog::event::open_of_type(&mut *tx, CAMERA_OFFLINE).await?;
    let by_camera: HashMap<(Uuid, &str), Uuid> =
        owners.iter().map(|(stream, o)| ((o.camera_id, o.role), *stream)).collect();
    let (mut matched, mut orphans) = (Vec::new(), Vec::new());
    for e in open {
        let role = e.attributes.get("stream").and_then(|r| r.as_str()).unwrap_or("main").to_owned();
        let stream = e.camera_id.and_then(|c| by_camera.get(&(c, role.as_str())).copied());
        let event = super::as_message(e);
        match stream {
            Some(stream) => matched.push((stream, event)),
            None => orphans.push(event),
        }
    }
    Ok((matched, orphans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vms_bus::hot::OfflineReason;

    fn owner() -> StreamOwner {
        StreamOwner { tenant_id: Uuid::from_u128(1), camera_id: Uuid::from_u128(2), role: "main" }
    }

    fn state(status: StreamStatus, reason: Option<OfflineReason>) -> StreamState {
        StreamState { status, reason, ..Default::default() }
    }

    #[test]
    fn an_outage_becomes_one_event_once_confirmed_and_ends_when_pictures_return() {
        let (stream, t0, w0) = (Uuid::from_u128(3), Instant::now(), Utc::now());
        let at = |s: u64| (t0 + Duration::from_secs(s), w0 + chrono::TimeDelta::seconds(s as i64));
        let mut tracker = Tracker::default();
        assert!(tracker.observe(stream, owner(), &state(StreamStatus::Online, None), t0, w0).is_none());
        let (t, w) = at(5);
        tracker.observe(stream, owner(), &state(StreamStatus::Offline, Some(OfflineReason::Unreachable)), t, w);
        let (t, w) = at(10);
        tracker.observe(stream, owner(), &state(StreamStatus::Connecting, None), t, w);
        assert!(tracker.tick(t, w).is_empty(), "not confirmed yet");
        let (t, w) = at(15);
        let opened = tracker.tick(t, w);
        assert_eq!(opened.len(), 1);
        let open = &opened[0];
        assert_eq!((open.kind.as_str(), open.start, open.seq), (CAMERA_OFFLINE, at(5).1, 0));
        assert_eq!(open.attributes["reason"], "unreachable", "the failure's reason, not the retry's");
        assert!(tracker.tick(at(30).0, at(30).1).is_empty(), "one event per outage");
        let (t, w) = at(40);
        let ended = tracker.observe(stream, owner(), &state(StreamStatus::Online, None), t, w).unwrap();
        assert_eq!((ended.id, ended.seq, ended.end), (open.id, 1, Some(w)));
    }

    #[test]
    fn a_short_drop_is_no_event_and_silence_is_an_outage() {
        let (stream, t0, w0) = (Uuid::from_u128(3), Instant::now(), Utc::now());
        let mut tracker = Tracker::default();
        tracker.observe(stream, owner(), &state(StreamStatus::Offline, None), t0, w0);
        let back = t0 + Duration::from_secs(3);
        assert!(tracker.observe(stream, owner(), &state(StreamStatus::Online, None), back, w0).is_none());
        assert!(tracker.tick(t0 + Duration::from_secs(12), w0).is_empty(), "recovered within CONFIRM");
        // No report at all for SILENCE: down since the last report, which
        // is longer ago than CONFIRM already.
        assert!(tracker.tick(back + SILENCE - Duration::from_secs(1), w0).is_empty(), "not silent long enough");
        let opened = tracker.tick(back + SILENCE, w0);
        assert_eq!(opened.len(), 1);
        assert_eq!(opened[0].attributes["reason"], "not_reported");
        assert_eq!(opened[0].start, w0 - chrono::TimeDelta::from_std(SILENCE).unwrap(), "since the last report");
    }

    #[test]
    fn outages_open_before_a_restart_end_on_return_or_with_their_camera() {
        let (stream, now, wall) = (Uuid::from_u128(3), Instant::now(), Utc::now());
        let open = Event {
            id: Uuid::from_u128(9),
            tenant_id: owner().tenant_id,
            camera_id: Some(owner().camera_id),
            kind: CAMERA_OFFLINE.into(),
            start: wall - chrono::TimeDelta::minutes(5),
            end: None,
            attributes: Default::default(),
            seq: 0,
        };
        let mut tracker = Tracker::default();
        tracker.restore(stream, owner(), open.clone(), now);
        assert!(tracker.tick(now + CONFIRM * 2, wall).is_empty(), "already published");
        let ended = tracker.observe(stream, owner(), &state(StreamStatus::Online, None), now, wall).unwrap();
        assert_eq!((ended.id, ended.seq), (open.id, 1));

        let mut tracker = Tracker::default();
        tracker.restore(stream, owner(), open.clone(), now);
        let ended = tracker.retain(|_| false, wall);
        assert_eq!((ended.len(), ended[0].end), (1, Some(wall)));
    }
}
