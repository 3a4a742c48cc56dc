//! The ISAPI alert stream, `GET /ISAPI/Event/notification/alertStream`: a
//! `multipart/mixed` reply that never ends, each part an
//! `EventNotificationAlert` (XML; picture parts of smart events are skipped).
//!
//! | `eventType` | kind |
//! |---|---|
//! | `VMD` | motion |
//! | `linedetection` | line crossing |
//! | `fielddetection`, `regionEntrance`, `regionExiting` | intrusion |
//! | `tamperdetection`, `shelteralarm` | tamper |
//! | `videoloss` active | video loss |
//! | `videoloss` inactive | heartbeat (firmwares send one every few seconds while nothing happens) |
//! | `IO` | alarm input (`inputIOPortID`) |
//!
//! The channel is `dynChannelID` where given (an NVR's IP channel, as its
//! channel list numbers it), else `channelID`.

use chrono::DateTime;

use crate::{
    alarm::{Alarm, AlarmKind, StreamError},
    multipart::{self, MultipartReader},
    nvr,
    soap::clip,
    xml,
};

/// The path of the stream.
pub const PATH: &str = "ISAPI/Event/notification/alertStream";
/// The largest alert part kept.
pub const MAX_PART: usize = 64 * 1024;

/// Reads alarms out of an alert stream's bytes.
pub struct AlertStream {
    parts: MultipartReader,
}

fn is_alert(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("xml") || t.starts_with("text/")
    })
}

impl AlertStream {
    /// A reader for a reply whose `Content-Type` is `content_type`.
    pub fn new(content_type: &str) -> Result<AlertStream, StreamError> {
        let boundary = multipart::boundary(content_type).ok_or(StreamError::NoBoundaryParameter)?;
        Ok(AlertStream { parts: MultipartReader::new(&boundary, MAX_PART, is_alert) })
    }

    /// Takes in the next bytes of the reply and gives out the alarms they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Alarm>, StreamError> {
        Ok(self.parts.push(bytes)?.iter().filter_map(|p| read_alert(&p.body)).collect())
    }

    /// Whether the device closed the stream.
    pub fn ended(&self) -> bool {
        self.parts.ended()
    }
}

/// Reads one `EventNotificationAlert`; `None` if it is not one.
pub fn read_alert(body: &[u8]) -> Option<Alarm> {
    let root = xml::parse(body).ok()?;
    let alert = if root.name.eq_ignore_ascii_case("EventNotificationAlert") {
        &root
    } else {
        root.find("EventNotificationAlert")?
    };
    let code = alert.text_of("eventType")?;
    let active = alert.text_of("eventState").is_some_and(|s| s.eq_ignore_ascii_case("active"));
    let number = |name: &str| alert.text_of(name).and_then(|t| t.trim().parse::<u32>().ok()).filter(|n| *n > 0);
    let kind = match code.to_ascii_lowercase().as_str() {
        "vmd" => AlarmKind::Motion,
        "linedetection" => AlarmKind::LineCrossing,
        "fielddetection" | "regionentrance" | "regionexiting" => AlarmKind::Intrusion,
        "tamperdetection" | "shelteralarm" => AlarmKind::Tamper,
        "videoloss" if active => AlarmKind::VideoLoss,
        "videoloss" => AlarmKind::Heartbeat,
        "io" => AlarmKind::Input,
        _ => AlarmKind::Other,
    };
    let channel = match kind {
        AlarmKind::Input => number("dynInputIOPortID").or_else(|| number("inputIOPortID")),
        AlarmKind::Heartbeat => None,
        _ => number("dynChannelID").or_else(|| number("channelID")),
    };
    Some(Alarm {
        kind,
        channel,
        active: active && kind != AlarmKind::Heartbeat,
        code: clip(code, 64),
        time: alert.text_of("dateTime").and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok()),
        description: alert.text_of("eventDescription").map(|d| clip(d, nvr::MAX_NAME)),
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript() -> Vec<u8> {
        let path = format!("{}/testdata/hikvision/alert_stream.txt", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn summary(alarms: &[Alarm]) -> Vec<(&'static str, Option<u32>, bool)> {
        alarms.iter().map(|a| (a.kind.as_str(), a.channel, a.active)).collect()
    }

    #[test]
    fn a_transcript_reads_the_same_in_any_chunks() {
        let bytes = transcript();
        let mut whole = AlertStream::new("multipart/mixed; boundary=boundary").unwrap();
        let alarms = whole.push(&bytes).unwrap();
        assert_eq!(
            summary(&alarms),
            [
                ("heartbeat", None, false),
                ("motion", Some(1), true),
                ("line_crossing", Some(2), true),
                ("intrusion", Some(3), true),
                ("tamper", Some(4), true),
                ("input", Some(1), true),
                ("video_loss", Some(5), true),
                ("motion", Some(1), false),
                ("other", Some(1), true),
            ]
        );
        let motion = &alarms[1];
        assert_eq!(motion.code, "VMD");
        assert_eq!(motion.description.as_deref(), Some("Motion alarm"));
        assert_eq!(motion.time.unwrap().to_rfc3339(), "2026-12-03T10:15:42+08:00");
        for size in [1, 5, 100, 1000] {
            let mut stream = AlertStream::new("multipart/mixed; boundary=boundary").unwrap();
            let mut got = Vec::new();
            for chunk in bytes.chunks(size) {
                got.extend(stream.push(chunk).unwrap());
            }
            assert_eq!(got, alarms, "chunks of {size}");
        }
    }

    #[test]
    fn odd_parts_are_skipped_and_bounds_hold() {
        assert!(read_alert(b"<EventNotificationAlert><channelID>1</channelID></EventNotificationAlert>").is_none());
        assert!(read_alert(b"not xml").is_none());
        assert_eq!(AlertStream::new("application/xml").err(), Some(StreamError::NoBoundaryParameter));
        let mut stream = AlertStream::new("multipart/mixed; boundary=boundary").unwrap();
        let err = (0..100).find_map(|_| stream.push(&[b'x'; 4096]).err()).unwrap();
        assert_eq!(err, StreamError::NoBoundary { limit: MAX_PART });
    }
}
