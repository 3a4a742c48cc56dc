//! What control accepts from the bus: a message must be the documented JSON
//! (docs/ref/events.md), travel on the subject its content names, stay
//! within bounds, and concern a tenant and camera the catalog knows. The
//! rest is rejected with a reason, to the dead-letter stream.

use vms_bus::{Subjects, events::Event};
use vms_catalog::event::store::EventMessage;

use super::directory::Directory;

/// The most bytes of one message's attributes.
pub const MAX_ATTRIBUTES_BYTES: usize = 16 * 1024;
/// How far back an event may start: a source replaying a year-old backlog
/// is refused rather than stored where retention would remove it at once.
pub const MAX_AGE_DAYS: i64 = 366;
/// How far ahead of this server's clock an event may start or end: a camera
/// whose clock runs fast is tolerated, a date years ahead (which retention
/// would never remove and which would top every list) is not.
pub const MAX_AHEAD_HOURS: i64 = 24;
/// Types only the VMS itself makes; integrations posting through the API
/// may not use them.
pub const RESERVED_TYPES: &[&str] = &[
    "motion",
    "object",
    "zone_enter",
    "zone_leave",
    "loitering",
    "line_crossed",
    "camera_offline",
    "recording_alert",
    "alert",
];

/// Why a message was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Not the documented JSON.
    Malformed(String),
    /// The subject names another tenant, camera or type than the content.
    WrongSubject,
    /// A field is out of bounds.
    Invalid(String),
    /// The tenant does not exist.
    UnknownTenant,
    /// The camera is not one of the tenant's.
    UnknownCamera,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Malformed(e) => write!(f, "malformed: {e}"),
            Rejection::WrongSubject => f.write_str("the subject does not match the event"),
            Rejection::Invalid(e) => write!(f, "invalid: {e}"),
            Rejection::UnknownTenant => f.write_str("unknown tenant"),
            Rejection::UnknownCamera => f.write_str("the camera is not one of the tenant's"),
        }
    }
}

/// Parses and checks the fields of one message (what needs no catalog).
pub fn parse(subject: &str, payload: &[u8], subjects: &Subjects) -> Result<Event, Rejection> {
    let event: Event = serde_json::from_slice(payload).map_err(|e| Rejection::Malformed(e.to_string()))?;
    check_fields(&event)?;
    if event.subject(subjects) != subject {
        return Err(Rejection::WrongSubject);
    }
    Ok(event)
}

/// Checks the bounds of an event's fields: its type, times, `seq` and attributes.
pub fn check_fields(event: &Event) -> Result<(), Rejection> {
    check_type(&event.kind).map_err(Rejection::Invalid)?;
    if event.end.is_some_and(|end| end < event.start) {
        return Err(Rejection::Invalid("end is before start".into()));
    }
    let now = chrono::Utc::now();
    let ahead = now + chrono::TimeDelta::hours(MAX_AHEAD_HOURS);
    if event.start > ahead || event.end.is_some_and(|end| end > ahead) {
        return Err(Rejection::Invalid(format!("the times are more than {MAX_AHEAD_HOURS} hours ahead")));
    }
    if event.start < now - chrono::TimeDelta::days(MAX_AGE_DAYS) {
        return Err(Rejection::Invalid(format!("start is more than {MAX_AGE_DAYS} days ago")));
    }
    if i32::try_from(event.seq).is_err() {
        return Err(Rejection::Invalid("seq is too large".into()));
    }
    let size = serde_json::to_vec(&event.attributes).map(|v| v.len()).unwrap_or(usize::MAX);
    if size > MAX_ATTRIBUTES_BYTES {
        return Err(Rejection::Invalid(format!("attributes exceed {MAX_ATTRIBUTES_BYTES} bytes")));
    }
    Ok(())
}

/// Checks an event type: 1 to 64 characters of `a-z`, `0-9` and `_`, starting
/// with a letter (it is a subject token and a filter value).
pub fn check_type(kind: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&kind.len())
        && kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok { Ok(()) } else { Err("type must be 1 to 64 of a-z, 0-9 and _, starting with a letter".into()) }
}

/// Finds the event's tenant and camera in `directory` and makes the row to store.
pub fn resolve(event: Event, directory: &Directory) -> Result<EventMessage, Rejection> {
    if !directory.has_tenant(event.tenant_id) {
        return Err(Rejection::UnknownTenant);
    }
    let site_id = match event.camera_id {
        None => None,
        Some(camera) => match directory.camera(camera) {
            Some(source) if source.tenant_id == event.tenant_id => Some(source.site_id),
            _ => return Err(Rejection::UnknownCamera),
        },
    };
    Ok(EventMessage {
        id: event.id,
        tenant_id: event.tenant_id,
        site_id,
        camera_id: event.camera_id,
        kind: event.kind,
        start: event.start,
        end: event.end,
        attributes: event.attributes,
        seq: event.seq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;
    use vms_catalog::event::EventSource;

    fn message(kind: &str, extra: &str) -> (Event, Vec<u8>) {
        let json = format!(
            r#"{{"id":"00000000-0000-0000-0000-000000000001","tenant_id":"00000000-0000-0000-0000-000000000002",
               "camera_id":"00000000-0000-0000-0000-000000000003","type":"{kind}","start":"{start}"{extra}}}"#,
            start = (chrono::Utc::now() - chrono::TimeDelta::hours(1)).to_rfc3339()
        );
        (serde_json::from_str(&json).unwrap(), json.into_bytes())
    }

    #[test]
    fn a_documented_message_on_its_subject_is_accepted() {
        let subjects = Subjects::new("t");
        let (event, bytes) = message("line_crossed", r#","attributes":{"line":"gate"}"#);
        assert_eq!(parse(&event.subject(&subjects), &bytes, &subjects), Ok(event));
    }

    #[test]
    fn bad_messages_are_rejected_with_a_reason() {
        let subjects = Subjects::new("t");
        assert!(matches!(parse("t.events.x.y.z", b"{not json", &subjects), Err(Rejection::Malformed(_))));
        let (_, bytes) = message("motion", "");
        assert_eq!(parse("t.events.a.b.motion", &bytes, &subjects), Err(Rejection::WrongSubject));
        let (mut event, _) = message("motion", "");
        event.start = chrono::Utc::now() + chrono::TimeDelta::days(2);
        assert!(matches!(check_fields(&event), Err(Rejection::Invalid(_))), "far ahead");
        event.start = chrono::Utc::now() - chrono::TimeDelta::days(400);
        assert!(matches!(check_fields(&event), Err(Rejection::Invalid(_))), "far back");
        let (event, bytes) = message("Motion!", "");
        assert!(matches!(parse(&event.subject(&subjects), &bytes, &subjects), Err(Rejection::Invalid(_))));
        let before = (chrono::Utc::now() - chrono::TimeDelta::hours(2)).to_rfc3339();
        let (event, bytes) = message("motion", &format!(r#","end":"{before}""#));
        assert_eq!(
            parse(&event.subject(&subjects), &bytes, &subjects),
            Err(Rejection::Invalid("end is before start".into()))
        );
        let big = format!(r#","attributes":{{"x":"{}"}}"#, "a".repeat(MAX_ATTRIBUTES_BYTES));
        let (event, bytes) = message("motion", &big);
        assert!(matches!(parse(&event.subject(&subjects), &bytes, &subjects), Err(Rejection::Invalid(_))));
    }

    #[test]
    fn tenant_and_camera_must_be_known_and_belong_together() {
        let (event, _) = message("motion", "");
        let camera = event.camera_id.unwrap();
        let site = Uuid::from_u128(9);
        let mut directory = Directory::default();
        assert_eq!(resolve(event.clone(), &directory), Err(Rejection::UnknownTenant));
        directory.load(vec![event.tenant_id, Uuid::from_u128(7)], vec![]);
        assert_eq!(resolve(event.clone(), &directory), Err(Rejection::UnknownCamera));
        let other_tenant =
            EventSource { camera_id: camera, tenant_id: Uuid::from_u128(7), site_id: site, name: "x".into() };
        directory.load(vec![event.tenant_id, Uuid::from_u128(7)], vec![other_tenant]);
        assert_eq!(resolve(event.clone(), &directory), Err(Rejection::UnknownCamera));
        let own = EventSource { camera_id: camera, tenant_id: event.tenant_id, site_id: site, name: "x".into() };
        directory.load(vec![event.tenant_id], vec![own]);
        assert_eq!(resolve(event, &directory).unwrap().site_id, Some(site));
    }
}
