//! `/api/roles`: built-in and custom roles.

pub mod handler;
pub mod model;
