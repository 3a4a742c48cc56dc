//! `/api/cameras`: cameras, their streams and their live state.

pub mod handler;
pub mod model;
mod quota;
