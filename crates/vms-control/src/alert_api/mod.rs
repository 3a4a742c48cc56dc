//! `/api/alert-rules` and `/api/alerts`: the built-in alert rules, whose
//! settings only a super-admin changes (they are the installation's; every
//! change audited as `alert_rule.update`), and the alerts raised now, which
//! a super-admin sees whole and a tenant administrator (`system.manage`)
//! sees as far as they concern the tenant: its cameras' alerts, and those of
//! what records and serves every tenant, told without the installation's
//! internals.

pub mod handler;
pub mod model;
