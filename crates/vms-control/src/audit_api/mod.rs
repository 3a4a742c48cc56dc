//! `/api/audit`: searching the tenant's audit trail.

pub mod handler;
pub mod model;
