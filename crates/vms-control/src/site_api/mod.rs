//! `/api/sites`: locations that group cameras.

pub mod handler;
pub mod model;
