//! The Dahua event stream,
//! `GET /cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5`: a
//! `multipart/x-mixed-replace` reply (boundary `myboundary`) that never
//! ends, each part a `text/plain` body such as
//! `Code=VideoMotion;action=Start;index=0` or `Heartbeat`.
//!
//! | `Code` | kind |
//! |---|---|
//! | `VideoMotion` | motion |
//! | `CrossLineDetection` | line crossing |
//! | `CrossRegionDetection` | intrusion |
//! | `VideoBlind` | tamper |
//! | `VideoLoss` | video loss |
//! | `AlarmLocal` | alarm input |
//!
//! `action` is `Start` or `Pulse` (active) or `Stop`; `index` counts from 0.

use crate::{
    alarm::{Alarm, AlarmKind, StreamError},
    multipart::{self, MultipartReader},
    soap::clip,
};

/// The path and query of the stream, every event and a heartbeat each 5 s.
pub const PATH: &str = "cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5";
/// The boundary Dahua firmwares use, when the content type does not say.
pub const DEFAULT_BOUNDARY: &str = "myboundary";
/// The largest event part kept (a smart event's `data` is JSON of a few KiB).
pub const MAX_PART: usize = 64 * 1024;

/// Reads alarms out of an event stream's bytes.
pub struct EventStream {
    parts: MultipartReader,
}

fn is_text(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|t| t.to_ascii_lowercase().starts_with("text/"))
}

impl EventStream {
    /// A reader for a reply whose `Content-Type` is `content_type` (its
    /// boundary, or `myboundary` when it names none).
    pub fn new(content_type: Option<&str>) -> EventStream {
        let boundary = content_type.and_then(multipart::boundary).unwrap_or_else(|| DEFAULT_BOUNDARY.to_owned());
        EventStream { parts: MultipartReader::new(&boundary, MAX_PART, is_text) }
    }

    /// Takes in the next bytes of the reply and gives out the alarms they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Alarm>, StreamError> {
        Ok(self.parts.push(bytes)?.iter().flat_map(|p| read_events(&String::from_utf8_lossy(&p.body))).collect())
    }

    /// Whether the device closed the stream.
    pub fn ended(&self) -> bool {
        self.parts.ended()
    }
}

/// Reads the events of one part: each `Code=...` line, and `Heartbeat`.
pub fn read_events(text: &str) -> Vec<Alarm> {
    text.lines().map(str::trim).filter_map(read_line).collect()
}

fn read_line(line: &str) -> Option<Alarm> {
    if line.eq_ignore_ascii_case("Heartbeat") {
        return Some(Alarm {
            kind: AlarmKind::Heartbeat,
            channel: None,
            active: false,
            code: "Heartbeat".into(),
            time: None,
            description: None,
            source: None,
        });
    }
    if !line.starts_with("Code=") {
        return None;
    }
    let (mut code, mut action, mut index) = (None, None, None);
    for field in line.split(';') {
        let Some((key, value)) = field.split_once('=') else { continue };
        match key.trim() {
            "Code" => code = Some(value.trim()),
            "action" => action = Some(value.trim()),
            "index" => index = value.trim().parse::<u32>().ok(),
            // The rest is JSON, which may hold `;` itself.
            "data" => break,
            _ => {}
        }
    }
    let code = code.filter(|c| !c.is_empty())?;
    let active = match action? {
        a if a.eq_ignore_ascii_case("Start") || a.eq_ignore_ascii_case("Pulse") => true,
        a if a.eq_ignore_ascii_case("Stop") => false,
        _ => return None,
    };
    let kind = match code {
        "VideoMotion" => AlarmKind::Motion,
        "CrossLineDetection" => AlarmKind::LineCrossing,
        "CrossRegionDetection" => AlarmKind::Intrusion,
        "VideoBlind" => AlarmKind::Tamper,
        "VideoLoss" => AlarmKind::VideoLoss,
        "AlarmLocal" => AlarmKind::Input,
        _ => AlarmKind::Other,
    };
    Some(Alarm {
        kind,
        channel: index.and_then(|i| i.checked_add(1)),
        active,
        code: clip(code, 64),
        time: None,
        description: None,
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript() -> Vec<u8> {
        let path = format!("{}/testdata/dahua/event_stream.txt", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_transcript_reads_the_same_in_any_chunks() {
        let bytes = transcript();
        let mut whole = EventStream::new(Some("multipart/x-mixed-replace; boundary=myboundary"));
        let alarms = whole.push(&bytes).unwrap();
        let summary: Vec<_> = alarms.iter().map(|a| (a.kind.as_str(), a.channel, a.active)).collect();
        assert_eq!(
            summary,
            [
                ("heartbeat", None, false),
                ("motion", Some(1), true),
                ("line_crossing", Some(2), true),
                ("intrusion", Some(3), true),
                ("tamper", Some(4), true),
                ("video_loss", Some(5), true),
                ("input", Some(1), true),
                ("motion", Some(1), false),
                ("other", Some(1), true),
                ("heartbeat", None, false),
            ]
        );
        assert_eq!(alarms[2].code, "CrossLineDetection");
        for size in [1, 3, 50, 700] {
            let mut stream = EventStream::new(None);
            let mut got = Vec::new();
            for chunk in bytes.chunks(size) {
                got.extend(stream.push(chunk).unwrap());
            }
            assert_eq!(got, alarms, "chunks of {size}");
        }
    }

    #[test]
    fn odd_lines_are_skipped_and_bounds_hold() {
        assert!(read_events("Code=VideoMotion;index=0").is_empty(), "no action");
        assert!(read_events("Code=;action=Start").is_empty());
        assert!(read_events("garbage").is_empty());
        let two = read_events("Code=VideoMotion;action=Start;index=1\r\nCode=VideoMotion;action=Stop;index=1\r\n");
        assert_eq!(two.len(), 2);
        let mut stream = EventStream::new(None);
        stream.push(b"--myboundary\r\nContent-Type: text/plain\r\n\r\nCode=").unwrap();
        let err = (0..100).find_map(|_| stream.push(&[b'x'; 4096]).err()).unwrap();
        assert_eq!(err, StreamError::PartTooLarge { limit: MAX_PART });
    }
}
