//! Rules at work in control: the [`engine`] asks the tenants' rules about
//! every stored event, and the [`sender`] delivers the webhook calls they
//! queue, signed as [`signing`] says.

pub mod engine;
pub mod sender;
pub mod signing;
