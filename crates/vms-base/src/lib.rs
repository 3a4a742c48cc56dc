//! Foundations shared by every VMS crate.
//!
//! Owns the small error-code vocabulary ([`ErrorCode`]) that each service maps
//! to HTTP or gRPC at its edge, the shutdown token wiring for OS signals, the
//! tracing subscriber installed by binaries, credential redaction for logs,
//! the retry backoff used by everything that reconnects, the [`Supervisor`]
//! that restarts background tasks which panic or fail, and the weekly
//! [`schedule`] read in a site's local time by recording and rules alike.
//!
//! It owns no I/O besides signal handling and knows no service.

pub mod analytics;
pub mod backoff;
pub mod clock;
pub mod conn_limit;
pub mod error;
pub mod permission;
pub mod plane;
pub mod redact;
pub mod schedule;
pub mod secret_file;
pub mod shutdown;
pub mod stream;
pub mod supervise;
pub mod tracing_setup;
pub mod watchdog;

pub use error::{ErrorCode, ServiceError};
pub use permission::Permission;
pub use plane::Plane;
pub use redact::RedactedUrl;
pub use stream::{StreamRole, Transport};
pub use supervise::Supervisor;

/// Version of this build of the VMS, shared by every plane.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
