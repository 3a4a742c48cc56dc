//! `/api/cameras`: cameras, their streams and their live state.

pub mod handler;
pub mod model;
pub(crate) mod quota;
