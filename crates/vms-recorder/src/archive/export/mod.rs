//! Exports: one MP4 of a recorded window, remuxed without re-encoding (or,
//! watermarked, re-encoded with the user, time and camera burnt in), with
//! its SHA-256 and a manifest signed by the installation's Ed25519 export
//! key (`vms export verify FILE MANIFEST` checks both). The recorder holding
//! the footage makes and keeps the file; control checks `camera.export`,
//! audits, and forwards. Jobs are catalog rows under tenant isolation,
//! naming this node. Running exports and the bytes they hold are capped,
//! and finished files expire (`[export]` config).

pub mod files;
pub(crate) mod handler;
pub mod job;
pub mod manifest;
pub mod registry;
mod source;
pub mod sweep;
pub mod watermark;
