//! The endless multipart replies the simulated NVRs stream alarms in: a
//! heartbeat part at a steady pace and every raised alarm, to each open
//! stream.
//!
//! Bounded: at most [`MAX_STREAMS`] open at once per NVR, and each stream
//! queues at most [`QUEUE`] alarms; a reader that does not keep up loses
//! the alarms raised meanwhile rather than making the simulator hold them.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::body::{Body, Bytes};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// The most streams open at once on one NVR.
pub(crate) const MAX_STREAMS: usize = 16;
/// The most alarms waiting for one stream's reader.
pub(crate) const QUEUE: usize = 32;

/// Renders a heartbeat part.
pub(crate) type Heartbeat = Arc<dyn Fn() -> Bytes + Send + Sync>;

struct Open {
    streams: Vec<mpsc::Sender<Bytes>>,
    /// Cancelled to break every stream open now.
    dropped: CancellationToken,
}

/// One NVR's open event streams.
pub(crate) struct EventStreams {
    open: Mutex<Open>,
}

impl Default for EventStreams {
    fn default() -> Self {
        EventStreams { open: Mutex::new(Open { streams: Vec::new(), dropped: CancellationToken::new() }) }
    }
}

struct Reading {
    parts: mpsc::Receiver<Bytes>,
    beat: tokio::time::Interval,
    heartbeat: Heartbeat,
    dropped: CancellationToken,
    done: bool,
}

impl EventStreams {
    /// A new stream's body, a heartbeat first and then every `every`; `None`
    /// when [`MAX_STREAMS`] are open already.
    pub(crate) fn open(&self, every: Duration, heartbeat: Heartbeat) -> Option<Body> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let dropped = {
            let mut open = self.open.lock().expect("event streams lock");
            open.streams.retain(|s| !s.is_closed());
            if open.streams.len() >= MAX_STREAMS {
                return None;
            }
            open.streams.push(tx);
            open.dropped.clone()
        };
        let mut beat = tokio::time::interval(every);
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let reading = Reading { parts: rx, beat, heartbeat, dropped, done: false };
        let parts = futures::stream::unfold(reading, |mut r| async move {
            if r.done {
                return None;
            }
            let next = tokio::select! {
                biased;
                _ = r.dropped.cancelled() => None,
                part = r.parts.recv() => part,
                _ = r.beat.tick() => Some((r.heartbeat)()),
            };
            match next {
                Some(part) => Some((Ok(part), r)),
                // An error breaks the connection instead of ending the reply cleanly.
                None => {
                    r.done = true;
                    Some((Err(std::io::Error::other("event stream dropped")), r))
                }
            }
        });
        Some(Body::from_stream(parts))
    }

    /// Queues `part` on every open stream; a stream whose reader is
    /// [`QUEUE`] alarms behind loses it.
    pub(crate) fn send(&self, part: &Bytes) {
        let mut open = self.open.lock().expect("event streams lock");
        open.streams.retain(|s| !s.is_closed());
        for stream in &open.streams {
            if stream.try_send(part.clone()).is_err() {
                tracing::debug!("an event stream reader is behind; an alarm is dropped for it");
            }
        }
    }

    /// Breaks every open stream, as a dropped connection would.
    pub(crate) fn drop_all(&self) {
        let mut open = self.open.lock().expect("event streams lock");
        open.streams.clear();
        open.dropped.cancel();
        open.dropped = CancellationToken::new();
    }

    /// How many streams are open.
    #[cfg(test)]
    fn count(&self) -> usize {
        let mut open = self.open.lock().expect("event streams lock");
        open.streams.retain(|s| !s.is_closed());
        open.streams.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn streams_are_bounded() {
        let streams = EventStreams::default();
        let beat: Heartbeat = Arc::new(|| Bytes::from_static(b"beat"));
        let bodies: Vec<Body> =
            (0..MAX_STREAMS).map(|_| streams.open(Duration::from_secs(60), beat.clone()).unwrap()).collect();
        assert!(streams.open(Duration::from_secs(60), beat.clone()).is_none());
        // A reader that never reads loses alarms past its queue; nothing grows.
        for _ in 0..QUEUE * 4 {
            streams.send(&Bytes::from_static(b"alarm"));
        }
        drop(bodies);
        assert_eq!(streams.count(), 0);
        assert!(streams.open(Duration::from_secs(60), beat).is_some());
    }
}
