//! `/api/events`: the events every source reported (the analytics plane,
//! devices, integrations posting through the API), as control stored them
//! from the bus (`crate::events`). Searching, one event, a timeline's
//! histogram and acknowledging need `event.read` on the event's camera
//! (tenant-wide for events with no camera); posting needs `event.create` on
//! the camera, and the posted event travels the bus like any other. An
//! event's snapshot is read with the event's permission.

pub mod feed;
pub mod handler;
pub mod model;
pub mod query;
pub mod slots;
pub mod snapshot;
