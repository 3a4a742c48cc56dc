//! The simulated device's events service: PullPoint subscriptions
//! (`CreatePullPointSubscription`, then `PullMessages`, `Renew`,
//! `SetSynchronizationPoint`, `Unsubscribe` at the subscription's own
//! address), written from the ONVIF Event Service specification.
//!
//! Tests raise alarms with [`super::OnvifDevice::raise`]; each goes to every
//! live subscription. A subscription not renewed ends at its termination
//! time, and [`super::OnvifDevice::restart_events`] forgets them all, as a
//! rebooting device does.

use std::{
    collections::{HashMap, VecDeque},
    time::Duration,
};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use vms_devices::{
    alarm::AlarmKind,
    xml::{Element, escape},
};

use super::replies::envelope;

/// Subscriptions a device keeps at once (real ones keep a handful).
const MAX_SUBSCRIPTIONS: usize = 8;
/// Notifications kept for a subscription nobody pulls.
const MAX_QUEUED: usize = 1000;
/// The longest a pull is held, and the longest a subscription lasts unrenewed.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// One notification waiting to be pulled.
#[derive(Debug, Clone)]
pub struct Note {
    kind: AlarmKind,
    active: bool,
    at: DateTime<Utc>,
    initialized: bool,
}

struct Subscription {
    terminates: DateTime<Utc>,
    queue: VecDeque<Note>,
}

/// The device's subscriptions and the state of its properties.
#[derive(Default)]
pub struct Events {
    state: std::sync::Mutex<State>,
    /// Woken when a notification is queued.
    queued: Notify,
}

#[derive(Default)]
struct State {
    next: u32,
    subscriptions: HashMap<u32, Subscription>,
    /// The last state raised of each kind (what a synchronization point repeats).
    current: HashMap<AlarmKind, bool>,
}

/// Why a request to a subscription failed.
pub enum Refusal {
    /// No such subscription (ended, or forgotten by a restart).
    Unknown,
    /// Too many subscriptions.
    Full,
}

impl Events {
    /// Creates a subscription ending after `keep`; returns its id.
    pub fn subscribe(&self, now: DateTime<Utc>, keep: Duration) -> Result<(u32, DateTime<Utc>), Refusal> {
        let mut state = self.state.lock().expect("events lock");
        state.subscriptions.retain(|_, s| s.terminates > now);
        if state.subscriptions.len() >= MAX_SUBSCRIPTIONS {
            return Err(Refusal::Full);
        }
        state.next += 1;
        let id = state.next;
        let terminates = now + keep.min(MAX_WAIT);
        state.subscriptions.insert(id, Subscription { terminates, queue: VecDeque::new() });
        Ok((id, terminates))
    }

    /// Queues an alarm for every live subscription.
    pub fn raise(&self, kind: AlarmKind, active: bool, now: DateTime<Utc>) {
        let mut state = self.state.lock().expect("events lock");
        // A crossing is an instant, not a property with a state to repeat.
        if kind != AlarmKind::LineCrossing {
            state.current.insert(kind, active);
        }
        for subscription in state.subscriptions.values_mut() {
            if subscription.queue.len() < MAX_QUEUED {
                subscription.queue.push_back(Note { kind, active, at: now, initialized: false });
            }
        }
        drop(state);
        self.queued.notify_waiters();
    }

    /// Forgets every subscription.
    pub fn forget(&self) {
        self.state.lock().expect("events lock").subscriptions.clear();
        self.queued.notify_waiters();
    }

    /// Extends subscription `id` by `keep` from `now`.
    pub fn renew(&self, id: u32, now: DateTime<Utc>, keep: Duration) -> Result<DateTime<Utc>, Refusal> {
        let mut state = self.state.lock().expect("events lock");
        let subscription = live(&mut state, id, now)?;
        subscription.terminates = now + keep.min(MAX_WAIT);
        Ok(subscription.terminates)
    }

    /// Ends subscription `id`.
    pub fn unsubscribe(&self, id: u32) -> Result<(), Refusal> {
        let removed = self.state.lock().expect("events lock").subscriptions.remove(&id);
        self.queued.notify_waiters();
        removed.map(|_| ()).ok_or(Refusal::Unknown)
    }

    /// Queues the current state of every property for subscription `id`.
    pub fn synchronize(&self, id: u32, now: DateTime<Utc>) -> Result<(), Refusal> {
        let mut state = self.state.lock().expect("events lock");
        let current: Vec<(AlarmKind, bool)> = state.current.iter().map(|(k, v)| (*k, *v)).collect();
        let subscription = live(&mut state, id, now)?;
        for (kind, active) in current {
            subscription.queue.push_back(Note { kind, active, at: now, initialized: true });
        }
        drop(state);
        self.queued.notify_waiters();
        Ok(())
    }

    /// Up to `limit` notifications for `id`, waiting up to `wait` for the
    /// first, and when the subscription ends.
    pub async fn pull(
        &self,
        id: u32,
        wait: Duration,
        limit: usize,
        now: impl Fn() -> DateTime<Utc>,
    ) -> Result<(Vec<Note>, DateTime<Utc>), Refusal> {
        let deadline = tokio::time::Instant::now() + wait.min(MAX_WAIT);
        loop {
            let woken = self.queued.notified();
            {
                let mut state = self.state.lock().expect("events lock");
                let subscription = live(&mut state, id, now())?;
                let timed_out = tokio::time::Instant::now() >= deadline;
                if !subscription.queue.is_empty() || timed_out {
                    let n = subscription.queue.len().min(limit.max(1));
                    return Ok((subscription.queue.drain(..n).collect(), subscription.terminates));
                }
            }
            let _ = tokio::time::timeout_at(deadline, woken).await;
        }
    }
}

fn live(state: &mut State, id: u32, now: DateTime<Utc>) -> Result<&mut Subscription, Refusal> {
    match state.subscriptions.get(&id) {
        Some(s) if s.terminates <= now => {
            state.subscriptions.remove(&id);
            Err(Refusal::Unknown)
        }
        Some(_) => state.subscriptions.get_mut(&id).ok_or(Refusal::Unknown),
        None => Err(Refusal::Unknown),
    }
}

/// The id in a subscription's service name (`subscription_7`).
pub fn subscription_id(service: &str) -> Option<u32> {
    service.strip_prefix("subscription_")?.parse().ok()
}

/// An ISO 8601 `PTnS` duration, or an absolute time (some clients send one) as the time left from `now`.
pub fn keep_of(text: Option<&str>, now: DateTime<Utc>) -> Duration {
    let text = text.unwrap_or("PT60S").trim();
    let seconds =
        text.strip_prefix("PT").and_then(|t| t.strip_suffix('S')).and_then(|t| t.parse::<f64>().ok()).or_else(|| {
            DateTime::parse_from_rfc3339(text).ok().map(|t| (t.with_timezone(&Utc) - now).num_seconds() as f64)
        });
    Duration::from_secs_f64(seconds.filter(|s| s.is_finite()).unwrap_or(60.0).clamp(1.0, MAX_WAIT.as_secs_f64()))
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The topic, source item and data item of an alarm, as ONVIF devices send it.
fn shape(kind: AlarmKind) -> (&'static str, (&'static str, &'static str), &'static str) {
    match kind {
        AlarmKind::Motion => {
            ("tns1:RuleEngine/CellMotionDetector/Motion", ("VideoSourceConfigurationToken", "vs_src0"), "IsMotion")
        }
        AlarmKind::LineCrossing => {
            ("tns1:RuleEngine/LineDetector/Crossed", ("VideoSourceConfigurationToken", "vs_src0"), "ObjectId")
        }
        AlarmKind::Intrusion => {
            ("tns1:RuleEngine/FieldDetector/ObjectsInside", ("VideoSourceConfigurationToken", "vs_src0"), "IsInside")
        }
        AlarmKind::Tamper => ("tns1:VideoSource/GlobalSceneChange/ImagingService", ("Source", "src0"), "State"),
        AlarmKind::VideoLoss => ("tns1:VideoSource/SignalLoss", ("Source", "src0"), "State"),
        AlarmKind::Input => ("tns1:Device/Trigger/DigitalInput", ("InputToken", "DIN1"), "LogicalState"),
        // ONVIF has no heartbeat; anything else is a monitoring topic clients ignore.
        AlarmKind::Heartbeat | AlarmKind::Other => ("tns1:Monitoring/ProcessorUsage", ("Token", "cpu"), "Value"),
    }
}

fn notification(note: &Note) -> String {
    let (topic, (source_name, source_value), data_name) = shape(note.kind);
    let value = if note.kind == AlarmKind::LineCrossing { "1".to_owned() } else { note.active.to_string() };
    let operation = if note.initialized { "Initialized" } else { "Changed" };
    format!(
        r#"<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">{topic}</wsnt:Topic><wsnt:Message><tt:Message UtcTime="{}" PropertyOperation="{operation}"><tt:Source><tt:SimpleItem Name="{source_name}" Value="{source_value}"/></tt:Source><tt:Data><tt:SimpleItem Name="{data_name}" Value="{value}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>"#,
        time(note.at)
    )
}

pub fn created(address: &str, now: DateTime<Utc>, terminates: DateTime<Utc>) -> String {
    envelope(&format!(
        "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>{}</wsa:Address></tev:SubscriptionReference><wsnt:CurrentTime>{}</wsnt:CurrentTime><wsnt:TerminationTime>{}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>",
        escape(address),
        time(now),
        time(terminates)
    ))
}

pub fn pulled(notes: &[Note], now: DateTime<Utc>, terminates: DateTime<Utc>) -> String {
    let messages: String = notes.iter().map(notification).collect();
    envelope(&format!(
        "<tev:PullMessagesResponse><tev:CurrentTime>{}</tev:CurrentTime><tev:TerminationTime>{}</tev:TerminationTime>{messages}</tev:PullMessagesResponse>",
        time(now),
        time(terminates)
    ))
}

pub fn renewed(now: DateTime<Utc>, terminates: DateTime<Utc>) -> String {
    envelope(&format!(
        "<wsnt:RenewResponse><wsnt:TerminationTime>{}</wsnt:TerminationTime><wsnt:CurrentTime>{}</wsnt:CurrentTime></wsnt:RenewResponse>",
        time(terminates),
        time(now)
    ))
}

/// The wait and message limit of a `PullMessages` request.
pub fn pull_request(request: &Element, now: DateTime<Utc>) -> (Duration, usize) {
    let limit = request.text_of("MessageLimit").and_then(|t| t.trim().parse().ok()).unwrap_or(100);
    (keep_of(request.text_of("Timeout"), now), limit)
}
