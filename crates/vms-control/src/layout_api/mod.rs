//! `/api/layouts`: the caller's own custom live-view layouts.

pub mod handler;
pub mod model;
