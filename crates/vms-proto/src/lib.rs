//! gRPC definitions between the control plane and the other planes.
//!
//! `proto/vms.proto` is the source of truth; this crate only compiles it.
//! Control serves [`v1::assignments_server::Assignments`]; media, recorder and
//! AI serve [`v1::plane_server::Plane`]. Every call carries the installation's
//! internal secret ([`auth`]); refusals carry the VMS's error codes
//! ([`status`]).

pub mod auth;
pub mod status;

/// Version 1 of the inter-plane protocol.
#[allow(missing_docs, clippy::all)]
pub mod v1 {
    tonic::include_proto!("vms.v1");
}
