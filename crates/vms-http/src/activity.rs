//! What one HTTP connection is doing, for its header and idle timeouts.
//!
//! A connection is waiting for a request head (from accept, or from the first
//! byte after an idle spell), busy (a request in flight, until its response
//! body is dropped: a streamed response keeps it busy), or idle (keep-alive,
//! no byte since the last response). Waiting is bounded by the header
//! timeout, idle by the idle timeout, busy by nothing.

use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    sync::Notify,
    time::Instant,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head { since: Instant },
    Idle { since: Instant },
    Busy { requests: usize },
}

/// The phase of one connection, and a signal when it changes.
#[derive(Debug)]
pub(super) struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

/// Marks a request in flight until dropped.
#[derive(Debug)]
pub(super) struct Busy(Arc<Activity>);

impl Activity {
    /// A new connection, waiting for its first request head.
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Self { phase: Mutex::new(Phase::Head { since: Instant::now() }), changed: Notify::new() })
    }

    fn update(&self, change: impl FnOnce(Phase) -> Phase) {
        let mut phase = self.phase.lock().expect("activity lock should not be poisoned");
        let next = change(*phase);
        if next != *phase {
            *phase = next;
            self.changed.notify_one();
        }
    }

    /// Bytes arrived: an idle connection starts a request head.
    fn on_read(&self) {
        self.update(|p| match p {
            Phase::Idle { .. } => Phase::Head { since: Instant::now() },
            p => p,
        });
    }

    /// A request head was read; the connection is busy until the guard drops.
    pub(super) fn begin(self: &Arc<Self>) -> Busy {
        self.update(|p| match p {
            Phase::Busy { requests } => Phase::Busy { requests: requests + 1 },
            _ => Phase::Busy { requests: 1 },
        });
        Busy(self.clone())
    }

    /// When the connection is to be closed unless its phase changes first.
    pub(super) fn deadline(&self, header: Duration, idle: Duration) -> Option<Instant> {
        match *self.phase.lock().expect("activity lock should not be poisoned") {
            Phase::Head { since } => Some(since + header),
            Phase::Idle { since } => Some(since + idle),
            Phase::Busy { .. } => None,
        }
    }

    /// Completes when the phase has changed since the last call.
    pub(super) async fn changed(&self) {
        self.changed.notified().await;
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.update(|p| match p {
            Phase::Busy { requests } if requests > 1 => Phase::Busy { requests: requests - 1 },
            _ => Phase::Idle { since: Instant::now() },
        });
    }
}

/// A connection's stream, telling its [`Activity`] when bytes arrive.
pub(super) struct Tracked<I> {
    pub(super) io: I,
    pub(super) activity: Arc<Activity>,
}

impl<I: AsyncRead + Unpin> AsyncRead for Tracked<I> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.on_read();
        }
        result
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Tracked<I> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: Duration = Duration::from_secs(10);
    const IDLE: Duration = Duration::from_secs(60);

    #[tokio::test(start_paused = true)]
    async fn phases_bound_the_right_waits() {
        let activity = Activity::new();
        let start = Instant::now();
        assert_eq!(activity.deadline(HEADER, IDLE), Some(start + HEADER), "a new connection owes a head");
        let first = activity.begin();
        let second = activity.begin();
        assert_eq!(activity.deadline(HEADER, IDLE), None, "a busy connection has no deadline");
        drop(first);
        assert_eq!(activity.deadline(HEADER, IDLE), None, "still one request in flight");
        tokio::time::advance(Duration::from_secs(5)).await;
        drop(second);
        let idle_since = Instant::now();
        assert_eq!(activity.deadline(HEADER, IDLE), Some(idle_since + IDLE));
        tokio::time::advance(Duration::from_secs(5)).await;
        activity.on_read();
        assert_eq!(activity.deadline(HEADER, IDLE), Some(Instant::now() + HEADER), "a byte starts a head");
    }
}
