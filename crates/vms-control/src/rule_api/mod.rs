//! `/api/rules`: a tenant's rules turning events into actions (needs
//! `rule.manage` tenant-wide; every change audited). A rule is checked
//! whole on each write (`vms_rules::validate`, and every camera, site and
//! webhook it names must be the tenant's); one that later names something
//! deleted says so in its `problems` and keeps working for the rest.

pub mod handler;
pub mod model;
