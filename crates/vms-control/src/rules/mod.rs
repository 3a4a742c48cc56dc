//! Rules at work in control: the [`engine`] asks the tenants' rules about
//! every stored event, the [`sender`] delivers the webhook calls they
//! queue, signed as [`signing`] says, and [`actions`] takes their snapshots
//! (kept in [`snapshots`]), has their cameras record ([`recording`]) and
//! publishes to MQTT.

pub mod actions;
pub mod engine;
pub mod recording;
pub mod sender;
pub mod signing;
pub mod snapshots;
