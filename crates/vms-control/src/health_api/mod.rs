//! `/health/*` for supervisors and load balancers, and `/api/system` for people.

pub mod handler;
pub mod model;
mod tenant_view;
