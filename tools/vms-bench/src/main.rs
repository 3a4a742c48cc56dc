//! `vms-bench`: what the VMS planes cost per stream, beside plain ffmpeg
//! doing the same job on the same simulated cameras in the same run. The
//! figures are printed, never asserted: compare runs on the same machine.
//!
//! - `media`: N cameras ingested by one `vms run media` process and each
//!   restreamed to one reader, against N `ffmpeg -c copy -f null` readers.
//! - `recorder`: N cameras recorded through media and `vms run recorder`,
//!   against N `ffmpeg -c copy -f segment -segment_time 10` recorders.
//!
//! - `audit`: audited writes per second from concurrent callers through the
//!   batching audit writer, against the old serial path, with PostgreSQL up
//!   and down. Needs no camera.
//!
//! - `events`: events persisted per second from the bus through control into
//!   PostgreSQL, against plain INSERTs; and the time from publish to a live
//!   feed, against a plain NATS subscriber.
//!
//! - `live`: one camera watched by V WebRTC viewers through vms-media, against
//!   V MSE viewers and no viewer; and in Chromium the time to the first
//!   picture per transport and the WebRTC latency.
//!
//! The cameras loop a 1080p H.264 clip at 4 Mbit/s. Build in release mode
//! and run with `scripts/bench.sh media|recorder`.

mod audit;
mod events;
mod ffmpeg;
mod live;
mod media;
mod pg;
mod procstat;
mod ranges;
mod recorder;
mod source;
mod webhooks;

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use clap::{Parser, Subcommand};
use uuid::Uuid;
use vms_catalog::camera::Transport;
use vms_sandbox::{Process, Sandbox, Service};

use crate::source::{Kind, Source};

/// The camera every stream simulates, unless `--clip` says otherwise.
const CLIP: &str = "h264_1080p_4mbps";
/// Time for readers and writers to connect and settle before measuring.
const WARM_UP: Duration = Duration::from_secs(5);

#[derive(Parser)]
#[command(name = "vms-bench", about = "Benchmarks of the VMS planes against plain ffmpeg")]
struct Args {
    #[command(subcommand)]
    command: Bench,
    /// Numbers of cameras, one run each.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64", global = true)]
    counts: Vec<usize>,
    /// Viewers of the one camera (`live`).
    #[arg(long, default_value_t = 50, global = true)]
    viewers: usize,
    /// Concurrent callers recording audit entries (`audit`).
    #[arg(long, default_value_t = 64, global = true)]
    callers: usize,
    /// Cameras on the timeline (`ranges`).
    #[arg(long, default_value_t = 16, global = true)]
    cameras: usize,
    /// Days of footage on the timeline (`ranges`).
    #[arg(long, default_value_t = 30, global = true)]
    days: i64,
    /// Requests timed per way (`ranges`).
    #[arg(long, default_value_t = 50, global = true)]
    rounds: usize,
    /// The clip every camera loops (a vms-camsim clip name).
    #[arg(long, default_value = CLIP, global = true)]
    clip: String,
    /// Who sends the cameras' streams (`recorder`: both, one after the other, by default).
    #[arg(long, value_enum, value_delimiter = ',', global = true)]
    sources: Vec<Kind>,
    /// Events published (`events`).
    #[arg(long, default_value_t = 100_000, global = true)]
    events: u64,
    /// Events per second while timing the live feed (`events`).
    #[arg(long, default_value_t = 1000, global = true)]
    rate: u64,
    /// Seconds measured per run.
    #[arg(long, default_value_t = 30, global = true)]
    seconds: u64,
    /// The `vms` binary (default: beside this one).
    #[arg(long, global = true)]
    vms: Option<PathBuf>,
    /// Where the simulator's clips are generated and kept.
    #[arg(long, default_value = "target/camsim-clips", global = true)]
    clips: PathBuf,
}

#[derive(Subcommand, Clone, Copy)]
enum Bench {
    /// Ingest and restream by vms-media, against ffmpeg readers.
    Media,
    /// Recording by vms-media and vms-recorder, against ffmpeg segmenters.
    Recorder,
    /// Live egress: WebRTC viewers against MSE viewers, and browser figures.
    Live,
    /// Audited writes per second, batched against serial, PostgreSQL up and down.
    Audit,
    /// Recorded ranges of many cameras for a timeline: one query against one per camera.
    Ranges,
    /// Events persisted per second, and publish-to-feed latency, against plain INSERTs and NATS.
    Events,
}

/// Cameras, and the VMS pulling the first `n` of them: control in this
/// process, and the planes under measurement as `vms run` processes of their
/// own, so that their CPU and memory are their own.
pub(crate) struct Fixture {
    pub(crate) source: Source,
    pub(crate) sandbox: Sandbox,
    control: Service,
    /// The media plane.
    pub(crate) media: Process,
    /// The recorder plane, when recording.
    pub(crate) recorder: Option<Process>,
    /// Camera and stream ids of the cameras added so far.
    pub(crate) added: Vec<(Uuid, Uuid)>,
}

impl Fixture {
    /// Starts the cameras, control, `vms run media` and (when `record`) `vms run recorder`.
    async fn start(args: &Args, record: bool, kind: Kind) -> anyhow::Result<Self> {
        let most = args.counts.iter().copied().max().context("no counts given")?;
        let source = Source::start(kind, &args.clip, most, &args.clips).await?;
        let vms = match &args.vms {
            Some(path) => path.clone(),
            None => std::env::current_exe()?.with_file_name("vms"),
        };
        // The built web app, for the browser figures of `vms-bench live`.
        let web = std::env::current_dir()?.join("web/dist");
        let sandbox = Sandbox::builder()
            .vms_binary(vms)
            .site_name("Bench")
            .process_log("warn")
            .config(|c| c.control.web_dir = Some(web))
            .build()
            .await;
        let control = sandbox.start_control().await;
        let media = Process::new(sandbox.spawn_plane("media"));
        let recorder = record.then(|| Process::new(sandbox.spawn_plane("recorder")));
        Ok(Self { source, sandbox, control, media, recorder, added: Vec::new() })
    }

    /// Adds cameras up to `n` and waits until all are online.
    pub(crate) async fn grow_to(&mut self, n: usize) -> anyhow::Result<()> {
        while self.added.len() < n {
            let name = format!("c{}", self.added.len());
            let url = self.source.url(&name);
            self.added.push(self.sandbox.add_camera(&name, url, Transport::Tcp, None).await);
        }
        let streams: Vec<_> = self.added.iter().take(n).map(|(_, s)| *s).collect();
        self.sandbox.wait_online(&streams, Duration::from_secs(60)).await
    }

    /// Stops the recorder and media planes, then control, then the cameras.
    async fn stop(self) {
        let Self { source, sandbox, control, media, recorder, .. } = self;
        drop(recorder);
        drop(media);
        control.token.cancel();
        let _ = control.task.await;
        drop(sandbox);
        source.stop().await;
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    vms_base::tracing_setup::install();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        match args.command {
            Bench::Audit => return audit::run(args.callers, args.seconds).await,
            Bench::Ranges => return ranges::run(args.cameras, args.days, args.rounds).await,
            Bench::Events => {
                let vms = match &args.vms {
                    Some(path) => path.clone(),
                    None => std::env::current_exe()?.with_file_name("vms"),
                };
                return events::run(vms, args.events, args.rate, args.seconds).await;
            }
            _ => {}
        }
        if let Bench::Recorder = args.command {
            return recorder::run(&args).await;
        }
        let mut fixture = Fixture::start(&args, false, Kind::Camsim).await?;
        let outcome = match args.command {
            Bench::Media => media::run(&mut fixture, &args.counts, args.seconds).await,
            Bench::Live => live::run(&mut fixture, args.viewers, args.seconds).await,
            Bench::Audit | Bench::Ranges | Bench::Recorder | Bench::Events => unreachable!("handled above"),
        };
        fixture.stop().await;
        outcome
    })
}
