//! OS signal handling wired to a [`CancellationToken`].

use tokio_util::sync::CancellationToken;

/// Cancels `token` on the first SIGINT or SIGTERM and exits the process with
/// status 130 on the second, so an operator can always force a stop.
///
/// Spawns a background task; call it once, from inside a Tokio runtime.
pub fn cancel_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutdown requested; send the signal again to force exit");
        token.cancel();
        wait_for_signal().await;
        tracing::warn!("second signal; exiting immediately");
        std::process::exit(130);
    });
}

/// Resolves on the next SIGINT or SIGTERM (Ctrl-C on non-Unix systems).
pub async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler should install");
        let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler should install");
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
