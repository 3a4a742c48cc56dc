//! gRPC definitions between the control plane and the other planes.
//!
//! `proto/vms.proto` is the source of truth; this crate only compiles it.
//! Control serves [`v1::assignments_server::Assignments`]; media, recorder and
//! AI serve [`v1::plane_server::Plane`]. Every call carries the installation's
//! internal secret ([`auth`]); refusals carry the VMS's error codes
//! ([`status`]).

pub mod auth;

/// The largest assignment set control sends and planes read: tonic's 4 MiB
/// default would hold about a hundred cameras with large analytics
/// settings (each up to 96 KiB), and a set over the limit would stop every
/// update to the plane. 64 MiB holds some 700 cameras at the largest
/// setting, and tens of thousands at the few hundred bytes a camera's
/// zones and lines usually take.
pub const MAX_ASSIGNMENT_MESSAGE: usize = 64 << 20;
pub mod status;

/// Version 1 of the inter-plane protocol.
#[allow(missing_docs, clippy::all)]
pub mod v1 {
    tonic::include_proto!("vms.v1");
}
