//! `/api/live/{camera}/{stream}/...`: live video for browsers, served by the
//! media plane that pulls the stream and forwarded there from the control
//! plane's origin, so the browser needs one address and one certificate.
//!
//! The media plane authorises each viewer by its live stream ticket; this
//! side only finds the plane (from the stream's live state and the planes'
//! status reports) and forwards, WebSocket upgrades included.

pub mod doc;
pub mod proxy;
