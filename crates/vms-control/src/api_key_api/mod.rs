//! `/api/api-keys`: keys for integrations.

pub mod handler;
pub mod model;
