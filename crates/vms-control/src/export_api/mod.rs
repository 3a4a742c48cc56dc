//! `/api/exports`: one MP4 of a recorded window, remuxed without
//! re-encoding, with its SHA-256 and a manifest signed by the server's
//! Ed25519 export key (`vms export verify FILE MANIFEST` checks both).
//! Jobs are kept in the catalog under tenant isolation; each call checks
//! `camera.export` on the exported camera. Running exports and the bytes
//! they hold are capped, and finished files expire (`[export]` config).

pub mod files;
pub mod handler;
pub mod job;
pub mod manifest;
pub mod model;
pub mod registry;
pub mod sweep;
