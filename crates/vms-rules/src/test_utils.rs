//! An owned event that unit tests build step by step and borrow as
//! [`EventFacts`].

use jiff::{Timestamp, tz::TimeZone};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::EventFacts;

/// An event owning everything its facts borrow.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub id: Uuid,
    pub camera_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    pub kind: String,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub attributes: Map<String, Value>,
    pub tz: TimeZone,
}

impl Event {
    /// An ongoing event of `kind` on a fresh camera and site, started on
    /// Monday 2026-07-13 at 10:00 UTC, in a UTC site.
    pub fn new(kind: &str) -> Self {
        Self {
            id: Uuid::new_v4(),
            camera_id: Some(Uuid::new_v4()),
            site_id: Some(Uuid::new_v4()),
            kind: kind.into(),
            start: at("2026-07-13T10:00:00Z"),
            end: None,
            attributes: Map::new(),
            tz: TimeZone::UTC,
        }
    }

    /// Sets the attributes, which must be a JSON object.
    pub fn with(mut self, attributes: Value) -> Self {
        self.attributes = attributes.as_object().expect("attributes should be a JSON object").clone();
        self
    }

    /// Drops the camera, and with it the site.
    pub fn without_camera(mut self) -> Self {
        self.camera_id = None;
        self.site_id = None;
        self
    }

    /// Moves the start.
    pub fn starting(mut self, start: &str) -> Self {
        self.start = at(start);
        self
    }

    /// Ends the event.
    pub fn ending(mut self, end: &str) -> Self {
        self.end = Some(at(end));
        self
    }

    /// Puts the site in `tz`.
    pub fn in_zone(mut self, tz: TimeZone) -> Self {
        self.tz = tz;
        self
    }

    /// Borrows the facts rules see.
    pub fn facts(&self) -> EventFacts<'_> {
        EventFacts {
            id: self.id,
            camera_id: self.camera_id,
            site_id: self.site_id,
            kind: &self.kind,
            start: self.start,
            end: self.end,
            attributes: &self.attributes,
            site_tz: &self.tz,
        }
    }
}

/// Parses an RFC 3339 timestamp.
pub(crate) fn at(text: &str) -> Timestamp {
    text.parse().expect("test timestamps should be valid RFC 3339")
}
