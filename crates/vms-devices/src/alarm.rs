//! Alarms as devices report them, in one typed shape whatever protocol
//! brought them (ONVIF notifications through [`crate::onvif::events`],
//! Hikvision's alertStream, Dahua's eventManager stream), and the ways such
//! a stream can be unreadable.
//!
//! The stream parsers ([`crate::hikvision::alert_stream`],
//! [`crate::dahua::event_stream`]) do no I/O: the caller feeds them the bytes
//! of a long-lived HTTP reply in whatever chunks arrive and gets alarms out.

use chrono::{DateTime, FixedOffset};

/// What an alarm is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlarmKind {
    /// Motion in the picture.
    Motion,
    /// An object crossed a virtual line.
    LineCrossing,
    /// An object entered or stayed in a region.
    Intrusion,
    /// The camera was covered, blinded or moved.
    Tamper,
    /// The channel lost its video.
    VideoLoss,
    /// An alarm input (a contact) changed; its number is the alarm's `channel`.
    Input,
    /// The stream is alive; nothing happened.
    Heartbeat,
    /// Another event, named by the alarm's `code`.
    Other,
}

impl AlarmKind {
    /// Its name in the API and the rules.
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmKind::Motion => "motion",
            AlarmKind::LineCrossing => "line_crossing",
            AlarmKind::Intrusion => "intrusion",
            AlarmKind::Tamper => "tamper",
            AlarmKind::VideoLoss => "video_loss",
            AlarmKind::Input => "input",
            AlarmKind::Heartbeat => "heartbeat",
            AlarmKind::Other => "other",
        }
    }
}

/// One alarm from a device's event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// What it is about.
    pub kind: AlarmKind,
    /// The channel, from 1 (for [`AlarmKind::Input`], the input's number),
    /// if the event names one.
    pub channel: Option<u32>,
    /// Whether the condition starts (or holds) rather than ends.
    pub active: bool,
    /// The vendor's own name for the event (`VMD`, `CrossLineDetection`).
    pub code: String,
    /// When it happened, as the device says, if it says.
    pub time: Option<DateTime<FixedOffset>>,
    /// The device's description, if any.
    pub description: Option<String>,
    /// The device's own name for where it happened, for devices that name
    /// sources rather than number channels: an ONVIF video source or
    /// configuration token, an input token.
    pub source: Option<String>,
}

/// Why an event stream cannot be read on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The reply's content type names no multipart boundary.
    #[error("the event stream is not multipart (no boundary in its content type)")]
    NoBoundaryParameter,
    /// No boundary line within the bound: not the stream expected.
    #[error("the event stream has no part boundary within {limit} bytes")]
    NoBoundary {
        /// How many bytes were looked through.
        limit: usize,
    },
    /// A part's headers do not end within the bound.
    #[error("an event stream part's headers are longer than {limit} bytes")]
    HeadersTooLarge {
        /// The bound in bytes.
        limit: usize,
    },
    /// A part is larger than the bound (or never ends).
    #[error("an event stream part is larger than {limit} bytes")]
    PartTooLarge {
        /// The bound in bytes.
        limit: usize,
    },
}
