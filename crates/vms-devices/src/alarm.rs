//! A device's own alarm, whatever protocol brought it: ONVIF notifications
//! ([`crate::onvif::events`]), Hikvision's alertStream and Dahua's
//! eventManager stream all end as an [`Alarm`].

use chrono::{DateTime, Utc};

/// What a device raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlarmKind {
    /// Motion in the picture.
    Motion,
    /// Something crossed a line drawn on the device.
    LineCrossing,
    /// Something entered or stays in a field drawn on the device.
    Intrusion,
    /// The camera was covered, moved or blinded.
    Tamper,
    /// The video signal of a channel is lost.
    VideoLoss,
    /// A digital (alarm) input changed.
    Input,
}

impl AlarmKind {
    /// Its name in events: `motion`, `line_crossing`, `intrusion`, `tamper`, `video_loss`, `input`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmKind::Motion => "motion",
            AlarmKind::LineCrossing => "line_crossing",
            AlarmKind::Intrusion => "intrusion",
            AlarmKind::Tamper => "tamper",
            AlarmKind::VideoLoss => "video_loss",
            AlarmKind::Input => "input",
        }
    }
}

/// One alarm as a device reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// What it is.
    pub kind: AlarmKind,
    /// Whether the condition starts (or holds) rather than ends. Crossings
    /// are instants: always active.
    pub active: bool,
    /// The channel (from 1) for NVR streams that number them.
    pub channel: Option<u32>,
    /// The device's own name for where it happened: an ONVIF video source
    /// or configuration token, an input token.
    pub source: Option<String>,
    /// When the device says it happened.
    pub at: Option<DateTime<Utc>>,
    /// The device's words for it: a topic, a rule name (clipped).
    pub detail: Option<String>,
}
