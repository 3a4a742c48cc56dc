//! Event rules: which events set off which actions.
//!
//! A [`Rule`] pairs [`Conditions`] on an event (its type, label, camera,
//! site, zones, line, a weekly schedule and a minimum duration) with
//! [`Action`]s to run in order. This crate owns the rule's model, its bounds
//! ([`validate()`]), matching one event against it ([`matches()`]), and the
//! decision to fire ([`Firings::decide`]): once per event, after the minimum
//! duration, outside the per-camera cooldown.
//!
//! It is pure: no I/O, no async, no database, no clock. The caller passes the
//! event's facts and the current time in, and keeps the [`Firings`] memory
//! wherever suits it. That is what lets every corner of the semantics
//! (overnight schedules across daylight saving, cooldowns, events that end
//! too soon) be tested exhaustively and quickly, without sleeping and without
//! a server. Loading rules, receiving events and running the actions belong
//! to the control plane.
//!
//! Schedules are the weekly ranges of [`vms_base::schedule`], the same ones
//! recording uses, read in the site's time zone.

mod evaluate;
mod facts;
mod matching;
mod model;
mod validate;

#[cfg(test)]
mod test_utils;

pub use evaluate::{DEFAULT_MAX_EVENT_AGE, DEFAULT_MAX_EVENTS, Decision, Firings};
pub use facts::EventFacts;
pub use matching::matches;
pub use model::{Action, Conditions, Rule};
pub use validate::{RuleError, limits, validate};
