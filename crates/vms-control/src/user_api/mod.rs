//! `/api/users`: accounts, their role grants and password resets.

pub mod handler;
pub mod model;
mod reach;
