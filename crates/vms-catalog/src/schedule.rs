//! Weekly recording schedules, in the local time of the camera's site.
//!
//! The schedule lives in [`vms_base::schedule`] so that crates without a
//! database (the rule evaluator among them) can read it too; it is
//! re-exported here so that `vms_catalog::schedule::...` keeps working.

pub use vms_base::schedule::*;
