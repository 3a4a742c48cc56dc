//! `/api/cameras/{id}/recording`: how a camera is recorded and how long its
//! recordings are kept.

pub mod handler;
pub mod model;
