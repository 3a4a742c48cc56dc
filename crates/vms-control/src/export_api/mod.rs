//! `/api/exports`: one MP4 of a recorded window, remuxed without
//! re-encoding (or, asked for a watermark, re-encoded with the user, the
//! time and the camera burnt in), with its SHA-256 and a manifest signed
//! by the installation's Ed25519 export key (`vms export verify FILE
//! MANIFEST` checks both). The recorder holding the footage makes and
//! keeps the file; here each call checks `camera.export` on the exported
//! camera and is audited, then goes to that recorder. Jobs are kept in the
//! catalog under tenant isolation.

pub mod handler;
pub mod key;
pub mod list;
pub mod model;
