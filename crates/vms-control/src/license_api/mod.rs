//! `/api/license`: the licence in force, and installing a new one.

pub mod handler;
pub mod model;
