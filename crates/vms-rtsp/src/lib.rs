//! The server side of RTSP 1.0 (RFC 2326), as the camera simulator and the
//! media plane's restream both speak it.
//!
//! The protocol layer has no I/O: [`message`] reads requests (and
//! interleaved binary frames, §10.12) from a byte buffer as they arrive and
//! writes responses; [`transport`] reads and writes the `Transport` header
//! (§12.39); [`auth`] does Basic and Digest authentication (RFC 2617). Every
//! reader returns an error on malformed input and never panics. On top,
//! [`server`] runs connections and sessions for any [`server::Source`].

pub mod auth;
pub mod message;
pub mod server;
pub mod transport;
