//! Device protocols, with no store and no server: WS-Discovery, the ONVIF
//! SOAP client (device, media, PTZ, events), Hikvision ISAPI and Dahua RPC,
//! and the vendors' alarm streams read into one [`alarm::Alarm`] shape (live
//! through [`alarm_feed::AlarmFeed`]).
//!
//! Devices are liberal in what they send, so every reader here is liberal in
//! what it accepts: XML is read by local element name ([`xml`]), a missing
//! field is `None` rather than a failed reply, and faults are recognised
//! whatever HTTP status carries them. Every request has a deadline and a cap
//! on its reply ([`http::Limits`]), and no error carries a credential.

pub mod alarm;
pub mod alarm_feed;
pub mod dahua;
pub mod discovery;
pub mod error;
pub mod hikvision;
pub mod http;
pub mod multipart;
pub mod nvr;
pub mod onvif;
pub mod soap;
pub mod xml;

pub use error::DeviceError;
pub use http::{Credentials, Limits};
