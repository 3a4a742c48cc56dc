//! The tracing subscriber that binaries install.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber.
///
/// `VMS_LOG` takes an `EnvFilter` directive (default `info`), and
/// `VMS_LOG_FORMAT` is `text` (default) or `json`. Logs go to stderr so that
/// stdout stays free for command output such as the bootstrap credentials.
pub fn install() {
    let filter = EnvFilter::try_from_env("VMS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("VMS_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry.with(fmt::layer().json().with_writer(std::io::stderr)).try_init()
    } else {
        registry.with(fmt::layer().with_writer(std::io::stderr)).try_init()
    };
    // A second install (tests running several services in one process) keeps the first.
    let _ = result;
}
