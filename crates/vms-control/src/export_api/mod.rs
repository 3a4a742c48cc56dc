//! `/api/exports`: one MP4 of a recorded window, remuxed without
//! re-encoding, with its SHA-256 and a manifest signed by the server's
//! Ed25519 export key (`vms export verify FILE MANIFEST` checks both).

pub mod handler;
pub mod job;
pub mod manifest;
pub mod model;
