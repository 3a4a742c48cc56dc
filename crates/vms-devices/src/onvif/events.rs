//! The events service through a PullPoint: `CreatePullPointSubscription`,
//! then `PullMessages` in a loop (each a long poll), `Renew` before the
//! subscription's termination time, `SetSynchronizationPoint` to have the
//! device repeat the current state of every property, and `Unsubscribe`.
//!
//! Notifications are read into [`Alarm`]s by their topic and data
//! ([`read_notifications`]); topics nobody maps to an alarm are skipped.
//! Requests to a subscription carry WS-Addressing `Action` and `To`, which
//! several firmwares insist on.

use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use super::{OnvifClient, reachable};
use crate::{
    alarm::{Alarm, AlarmKind},
    error::DeviceError,
    soap::clip,
    xml::{Element, escape},
};

const EVENTS_WSDL: &str = "http://www.onvif.org/ver10/events/wsdl";
const WSN: &str = "http://docs.oasis-open.org/wsn/bw-2";
/// The most notifications asked for in one pull.
pub const MESSAGE_LIMIT: u32 = 100;

/// A PullPoint subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Where its requests go.
    pub address: Url,
    /// When the device will end it unless renewed, by the device's clock.
    pub terminates: Option<DateTime<Utc>>,
}

/// What one pull brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pulled {
    /// Alarms, in the order the device sent them.
    pub alarms: Vec<Alarm>,
    /// Notifications received, mapped to alarms or not.
    pub notifications: usize,
}

/// `PT<n>S`.
fn duration(d: Duration) -> String {
    format!("PT{}S", d.as_secs().max(1))
}

/// WS-Addressing headers of a request to `to`.
fn addressing(action: &str, to: &Url) -> String {
    format!("<wsa:Action>{}</wsa:Action><wsa:To>{}</wsa:To>", escape(action), escape(to.as_str()))
}

fn parse_time(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?.trim()).ok().map(|t| t.with_timezone(&Utc))
}

/// The subscription a `CreatePullPointSubscriptionResponse` names, its
/// address pointed at the device when it names another host.
pub fn read_subscription(reply: &Element, device: &Url) -> Result<Subscription, DeviceError> {
    let address = reply
        .find("SubscriptionReference")
        .and_then(|r| r.text_of("Address"))
        .ok_or(DeviceError::Missing("the subscription's address"))?;
    let address = reachable(address, device).ok_or(DeviceError::Missing("a valid subscription address"))?;
    Ok(Subscription { address, terminates: parse_time(reply.text_of("TerminationTime")) })
}

/// A `SimpleItem`'s value among `items`, by one of `names` (case-insensitive).
fn item<'a>(items: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    items.iter().find(|(n, _)| names.iter().any(|want| n.eq_ignore_ascii_case(want))).map(|(_, v)| v.as_str())
}

fn simple_items(parent: Option<&Element>) -> Vec<(String, String)> {
    parent
        .map(|p| {
            p.find_all("SimpleItem")
                .into_iter()
                .filter_map(|i| Some((i.attr("Name")?.to_owned(), i.attr("Value").unwrap_or("").to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The alarm a topic is, by the words vendors put in it (ONVIF's own
/// `RuleEngine/CellMotionDetector/Motion`, `VideoSource/MotionAlarm`,
/// `RuleEngine/LineDetector/Crossed`, `RuleEngine/FieldDetector/ObjectsInside`,
/// `VideoSource/GlobalSceneChange`, `VideoSource/SignalLoss`,
/// `Device/Trigger/DigitalInput`, and vendors' variants of them).
fn kind_of(topic: &str) -> Option<AlarmKind> {
    let t = topic.to_ascii_lowercase();
    if t.contains("linedetector") || t.contains("linecross") || t.contains("tripwire") {
        Some(AlarmKind::LineCrossing)
    } else if t.contains("fielddetector") || t.contains("intrusion") || t.contains("objectsinside") {
        Some(AlarmKind::Intrusion)
    } else if t.contains("signalloss") || t.contains("videoloss") {
        Some(AlarmKind::VideoLoss)
    } else if t.contains("globalscenechange") || t.contains("tamper") || t.contains("imagetoodark") {
        Some(AlarmKind::Tamper)
    } else if t.contains("digitalinput") || t.contains("alarminput") || t.contains("relay") && t.contains("input") {
        Some(AlarmKind::Input)
    } else if t.contains("motion") {
        Some(AlarmKind::Motion)
    } else {
        None
    }
}

/// Whether a state value means "on": `true`, `1`, `active`, `on` (devices write all of these).
fn truthy(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "1" | "active" | "on")
}

/// The alarms among the `NotificationMessage`s of a `PullMessagesResponse`
/// (or a notification sent any other way). A message whose topic maps to no
/// alarm is skipped; one without a state item is read as active (an instant,
/// like a crossing); its time and source are kept when given.
pub fn read_notifications(reply: &Element) -> Pulled {
    let messages = reply.find_all("NotificationMessage");
    let mut alarms = Vec::new();
    for message in &messages {
        let Some(topic) = message.text_of("Topic").map(str::trim).filter(|t| !t.is_empty()) else { continue };
        let Some(kind) = kind_of(topic) else { continue };
        // The inner `tt:Message` (inside `wsnt:Message`) carries the time and items.
        let inner = message.find("Message").map(|m| m.find("Message").unwrap_or(m));
        let source = simple_items(inner.and_then(|m| m.find("Source")));
        let data = simple_items(inner.and_then(|m| m.find("Data")));
        let state = item(
            &data,
            &["IsMotion", "State", "LogicalState", "IsInside", "IsTamper", "Signal", "ImageTooDark", "Active"],
        );
        let active = match (kind, state) {
            (AlarmKind::LineCrossing, _) | (_, None) => true,
            (_, Some(value)) => truthy(value),
        };
        let source =
            item(&source, &["VideoSourceToken", "VideoSourceConfigurationToken", "Source", "InputToken", "RelayToken"])
                .map(|s| clip(s, 128));
        alarms.push(Alarm {
            kind,
            channel: None,
            active,
            code: clip(topic, 200),
            time: inner.and_then(|m| m.attr("UtcTime")).and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok()),
            description: None,
            source,
        });
    }
    Pulled { alarms, notifications: messages.len() }
}

impl OnvifClient {
    fn events_service(&self) -> Result<&Url, DeviceError> {
        self.services().events.as_ref().ok_or(DeviceError::Unsupported("ONVIF events"))
    }

    /// Creates a PullPoint subscription the device ends after `keep` unless renewed.
    pub async fn create_pull_point(&self, keep: Duration) -> Result<Subscription, DeviceError> {
        let service = self.events_service()?.clone();
        let body = format!(
            "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>{}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>",
            duration(keep)
        );
        let action = format!("{EVENTS_WSDL}/EventPortType/CreatePullPointSubscriptionRequest");
        let reply = self.call_with(&service, &addressing(&action, &service), &body).await?;
        read_subscription(&reply, self.device_service())
    }

    /// Waits up to `wait` for notifications (at most [`MESSAGE_LIMIT`]). The
    /// device holds the request open that long, so `wait` is cut to leave
    /// two seconds of the request deadline for the answer to travel.
    pub async fn pull_messages(&self, subscription: &Subscription, wait: Duration) -> Result<Pulled, DeviceError> {
        let wait = wait.min(self.request_timeout().saturating_sub(Duration::from_secs(2))).max(Duration::from_secs(1));
        let body = format!(
            "<tev:PullMessages><tev:Timeout>{}</tev:Timeout><tev:MessageLimit>{MESSAGE_LIMIT}</tev:MessageLimit></tev:PullMessages>",
            duration(wait)
        );
        let action = format!("{EVENTS_WSDL}/PullPointSubscription/PullMessagesRequest");
        let reply = self.call_with(&subscription.address, &addressing(&action, &subscription.address), &body).await?;
        Ok(read_notifications(&reply))
    }

    /// Extends the subscription by `keep` from now; returns its new termination time, if the device says.
    pub async fn renew(
        &self,
        subscription: &Subscription,
        keep: Duration,
    ) -> Result<Option<DateTime<Utc>>, DeviceError> {
        let body = format!("<wsnt:Renew><wsnt:TerminationTime>{}</wsnt:TerminationTime></wsnt:Renew>", duration(keep));
        let action = format!("{WSN}/SubscriptionManager/RenewRequest");
        let reply = self.call_with(&subscription.address, &addressing(&action, &subscription.address), &body).await?;
        Ok(parse_time(reply.text_of("TerminationTime")))
    }

    /// Asks the device to send the current state of every property again (after a reconnect).
    pub async fn set_synchronization_point(&self, subscription: &Subscription) -> Result<(), DeviceError> {
        let action = format!("{EVENTS_WSDL}/PullPointSubscription/SetSynchronizationPointRequest");
        let headers = addressing(&action, &subscription.address);
        self.call_with(&subscription.address, &headers, "<tev:SetSynchronizationPoint/>").await.map(|_| ())
    }

    /// Ends the subscription.
    pub async fn unsubscribe(&self, subscription: &Subscription) -> Result<(), DeviceError> {
        let action = format!("{WSN}/SubscriptionManager/UnsubscribeRequest");
        let headers = addressing(&action, &subscription.address);
        self.call_with(&subscription.address, &headers, "<wsnt:Unsubscribe/>").await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_become_alarms_by_topic_and_state() {
        let reply = super::super::tests::testdata("pull_messages.xml");
        let pulled = read_notifications(&reply);
        assert_eq!(pulled.notifications, 7, "{pulled:#?}");
        let summary: Vec<(AlarmKind, bool, Option<&str>)> =
            pulled.alarms.iter().map(|a| (a.kind, a.active, a.source.as_deref())).collect();
        assert_eq!(
            summary,
            [
                (AlarmKind::Motion, true, Some("VideoSourceToken_1")),
                (AlarmKind::Motion, false, Some("VideoSourceToken_1")),
                (AlarmKind::LineCrossing, true, Some("VideoSourceConfigurationToken_1")),
                (AlarmKind::Tamper, true, Some("VideoSourceToken_1")),
                (AlarmKind::VideoLoss, false, Some("VideoSourceToken_1")),
                (AlarmKind::Input, true, Some("DigitalInputToken_1")),
            ],
            "the unknown topic is skipped"
        );
        assert_eq!(pulled.alarms[0].time.unwrap().to_rfc3339(), "2026-12-04T09:15:02+00:00");
        assert_eq!(pulled.alarms[0].code, "tns1:RuleEngine/CellMotionDetector/Motion");
        assert_eq!(pulled.alarms[3].time, None, "an unreadable time is no time");
    }

    #[test]
    fn a_subscription_points_back_at_the_device() {
        let reply = crate::xml::parse(
            br#"<CreatePullPointSubscriptionResponse><SubscriptionReference><Address>http://192.168.1.64/onvif/Events/PullSubManager_1</Address></SubscriptionReference><CurrentTime>2026-12-04T09:00:00Z</CurrentTime><TerminationTime>2026-12-04T09:01:00Z</TerminationTime></CreatePullPointSubscriptionResponse>"#,
        )
        .unwrap();
        let device = Url::parse("http://203.0.113.9:8080/onvif/device_service").unwrap();
        let subscription = read_subscription(&reply, &device).unwrap();
        assert_eq!(subscription.address.as_str(), "http://203.0.113.9:8080/onvif/Events/PullSubManager_1");
        assert_eq!(subscription.terminates.unwrap().to_rfc3339(), "2026-12-04T09:01:00+00:00");
        let empty = crate::xml::parse(b"<CreatePullPointSubscriptionResponse/>").unwrap();
        assert_eq!(read_subscription(&empty, &device), Err(DeviceError::Missing("the subscription's address")));
    }

    #[test]
    fn states_read_the_way_devices_write_them() {
        for on in ["true", "1", "Active", " ON "] {
            assert!(truthy(on), "{on}");
        }
        for off in ["false", "0", "inactive", ""] {
            assert!(!truthy(off), "{off}");
        }
        assert_eq!(kind_of("tns1:VideoSource/MotionAlarm"), Some(AlarmKind::Motion));
        assert_eq!(kind_of("tns1:RuleEngine/FieldDetector/ObjectsInside"), Some(AlarmKind::Intrusion));
        assert_eq!(kind_of("tns1:Device/Trigger/DigitalInput"), Some(AlarmKind::Input));
        assert_eq!(kind_of("tns1:Monitoring/ProcessorUsage"), None);
    }
}
