//! A runtime for camera ingest that looks at its sockets on a clock tick
//! instead of whenever one becomes readable.
//!
//! A camera sends each picture as a burst a few tens of milliseconds after
//! the last one, and N cameras' bursts come at unrelated moments. On an
//! ordinary runtime every burst wakes a thread parked in `epoll_wait` (an
//! idle-to-busy switch, costly on virtual machines above all) to read one
//! picture, so the plane wakes 25 × N times a second. Here one thread sleeps
//! until the next tick (without waiting in `epoll_wait`, so arriving data
//! wakes nothing), then collects every socket's events at once and runs the
//! ingest tasks that have data: about 1 / tick wake-ups a second for all
//! cameras together. A picture waits at most one tick longer before it
//! reaches the hub (20 ms by default, `ingest.tick_ms`); the kernel keeps
//! what arrives meanwhile in the socket's buffer.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use tokio::runtime::Handle;

/// Tasks run between two looks at the sockets: enough for every camera of a
/// large server to handle its pictures in one tick.
const TASKS_PER_TICK: u32 = 4096;
/// How long tasks still on the runtime at shutdown may take to finish (an
/// ingest tearing its RTSP session down) before they are dropped.
const SHUTDOWN_WITHIN: Duration = Duration::from_secs(2);

/// A single-threaded runtime driven by a clock tick. Tasks are spawned
/// through [`Self::handle`] (or with it entered); dropping it stops the
/// thread and drops the tasks still there.
pub(crate) struct TickedRuntime {
    handle: Handle,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TickedRuntime {
    /// Starts the runtime's thread, named `name`, looking at its sockets
    /// every `tick`.
    pub(crate) fn start(name: &str, tick: Duration) -> std::io::Result<Self> {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().event_interval(TASKS_PER_TICK).build()?;
        let handle = runtime.handle().clone();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let beating = runtime.handle().clone();
        let thread = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
            runtime.block_on(beat(tick, stopping, beating));
            runtime.shutdown_timeout(Duration::ZERO);
        })?;
        Ok(Self { handle, stop, thread: Some(thread) })
    }

    /// Where to spawn the tasks that should run on the tick.
    pub(crate) fn handle(&self) -> &Handle {
        &self.handle
    }
}

impl TickedRuntime {
    /// Stops the runtime once its tasks have finished (at most
    /// [`SHUTDOWN_WITHIN`], then the rest are dropped), without blocking the
    /// caller's runtime while it waits.
    pub(crate) async fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

impl Drop for TickedRuntime {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The runtime's main future: sleeps (blocking the thread, so no socket
/// event wakes it) until the next tick, then yields twice. The runtime
/// answers the first yield by collecting socket events and due timers
/// without waiting, and the second by running every task they woke. Once
/// `stop` is set it goes on until no task is left or [`SHUTDOWN_WITHIN`]
/// has passed.
async fn beat(tick: Duration, stop: Arc<AtomicBool>, runtime: Handle) {
    let mut next = Instant::now();
    let mut stopping_since: Option<Instant> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            let since = *stopping_since.get_or_insert_with(Instant::now);
            if runtime.metrics().num_alive_tasks() == 0 || since.elapsed() >= SHUTDOWN_WITHIN {
                return;
            }
        }
        next += tick;
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        } else {
            // Running late (a long tick): start the grid again from now.
            next = now;
        }
        tokio::task::yield_now().await;
        tokio::task::yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// Sends `bursts` small writes 2 ms apart to a task on a runtime ticking
    /// every 40 ms; returns what the task read and how many reads it took.
    async fn read_bursts(bursts: usize) -> (Vec<u8>, u32) {
        let ticked = TickedRuntime::start("ticked-test", Duration::from_millis(40)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let reads = Arc::new(AtomicU32::new(0));
        let counted = reads.clone();
        let reader = ticked.handle().spawn(async move {
            let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                if n == 0 {
                    return got;
                }
                counted.fetch_add(1, Ordering::Relaxed);
                got.extend_from_slice(&buf[..n]);
            }
        });
        let (mut writer, _) = listener.accept().await.unwrap();
        for i in 0..bursts {
            writer.write_all(&[i as u8]).await.unwrap();
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        drop(writer);
        let got = reader.await.unwrap();
        (got, reads.load(Ordering::Relaxed))
    }

    #[tokio::test]
    async fn sockets_are_read_on_the_tick_with_nothing_lost() {
        let (got, reads) = read_bursts(100).await;
        assert_eq!(got, (0..100u8).collect::<Vec<_>>(), "every byte, in order");
        // 100 writes over about 200 ms (more on a busy machine) reach a task that
        // looks every 40 ms: a handful of reads, not one per write.
        assert!(reads <= 30, "{reads} reads for 100 writes: the socket was read on readiness, not on the tick");
    }

    #[tokio::test]
    async fn timers_fire_and_stopping_lets_tasks_finish_then_drops_the_rest() {
        let ticked = TickedRuntime::start("ticked-test", Duration::from_millis(5)).unwrap();
        let started = Instant::now();
        let slept = ticked.handle().spawn(async { tokio::time::sleep(Duration::from_millis(30)).await });
        slept.await.unwrap();
        assert!(started.elapsed() >= Duration::from_millis(30));
        let finishing = ticked.handle().spawn(async { tokio::time::sleep(Duration::from_millis(50)).await });
        let forever = ticked.handle().spawn(std::future::pending::<()>());
        ticked.stop().await;
        assert!(finishing.await.is_ok(), "a task ending within the grace time ends by itself");
        assert!(forever.await.unwrap_err().is_cancelled(), "tasks left after the grace time are dropped");
    }
}
