//! `vms-bench media`: the media plane's cost per stream against plain ffmpeg.
//!
//! For each N, N simulated 1080p H.264 cameras at 4 Mbit/s are ingested by
//! one `vms run media` process and each is restreamed to one reader. The
//! figures are the media plane's CPU seconds per stream-minute and resident
//! memory. In the same run, the same N cameras are read by N
//! `ffmpeg -rtsp_transport tcp -i URL -c copy -f null -` processes, the
//! baseline: what pulling the streams costs the leanest standard client. The
//! figures are printed, never asserted: compare runs on the same machine.
//!
//! Build in release mode and run with `scripts/bench.sh media`.

mod procstat;
mod stack;

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use clap::{Parser, Subcommand};
use vms_camsim::{Camsim, camera::Camera};

use crate::stack::{Stack, ffmpeg_reader};

/// The camera every stream simulates.
const CLIP: &str = "h264_1080p_4mbps";
/// Time for readers to connect and settle before measuring.
const WARM_UP: Duration = Duration::from_secs(5);

#[derive(Parser)]
#[command(name = "vms-bench", about = "Benchmarks of the VMS planes against plain ffmpeg")]
struct Args {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Ingest and restream of N cameras by vms-media, against N ffmpeg readers.
    Media {
        /// Numbers of cameras, one run each.
        #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
        counts: Vec<usize>,
        /// Seconds measured per run.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// The `vms` binary (default: beside this one).
        #[arg(long)]
        vms: Option<PathBuf>,
        /// Where the simulator's clips are generated and kept.
        #[arg(long, default_value = "target/camsim-clips")]
        clips: PathBuf,
    },
}

/// One row of the report.
struct Row {
    n: usize,
    media_cpu: f64,
    media_rss: f64,
    ffmpeg_cpu: f64,
    ffmpeg_rss: f64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    vms_base::tracing_setup::install();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match args.command {
        Bench::Media { counts, seconds, vms, clips } => {
            let vms = match vms {
                Some(path) => path,
                None => std::env::current_exe()?.with_file_name("vms"),
            };
            runtime.block_on(media(&counts, seconds, &vms, &clips))
        }
    }
}

async fn media(counts: &[usize], seconds: u64, vms: &std::path::Path, clips: &std::path::Path) -> anyhow::Result<()> {
    let most = counts.iter().copied().max().context("no counts given")?;
    let cameras = (0..most).map(|i| Camera::parse(&format!("c{i}={CLIP}"))).collect::<anyhow::Result<Vec<_>>>()?;
    let sim = Camsim::start("127.0.0.1:0".parse()?, clips, cameras).await?;
    let stack = Stack::start(vms).await?;
    let mut added = Vec::new();
    let mut rows = Vec::new();
    for &n in counts {
        while added.len() < n {
            let name = format!("c{}", added.len());
            added.push(stack.add_camera(&name, sim.url(&name)).await?);
        }
        let streams: Vec<_> = added.iter().take(n).map(|(_, s)| *s).collect();
        stack.wait_online(&streams, Duration::from_secs(60)).await?;

        // vms-media: ingest, and one restream reader per camera.
        let readers =
            added.iter().take(n).map(|(c, _)| ffmpeg_reader(&stack.restream_url(*c))).collect::<Result<Vec<_>, _>>()?;
        tokio::time::sleep(WARM_UP).await;
        let (media_cpu, media_rss) = procstat::measure(&[stack.media_pid()], seconds).await?;
        drop(readers);

        // Baseline: one ffmpeg per camera, reading it straight from the simulator.
        let baseline = (0..n).map(|i| ffmpeg_reader(&sim.url(&format!("c{i}")))).collect::<Result<Vec<_>, _>>()?;
        tokio::time::sleep(WARM_UP).await;
        let pids: Vec<u32> = baseline.iter().map(|p| p.pid()).collect();
        let (ffmpeg_cpu, ffmpeg_rss) = procstat::measure(&pids, seconds).await?;
        drop(baseline);

        let stream_minutes = n as f64 * seconds as f64 / 60.0;
        let row = Row {
            n,
            media_cpu: media_cpu / stream_minutes,
            media_rss,
            ffmpeg_cpu: ffmpeg_cpu / stream_minutes,
            ffmpeg_rss,
        };
        eprintln!("N = {n}: done");
        rows.push(row);
    }
    stack.stop().await;
    sim.stop().await;
    report(&rows, seconds);
    Ok(())
}

fn report(rows: &[Row], seconds: u64) {
    println!();
    println!("vms-media: ingest + RTSP restream to one reader per camera ({CLIP}, 25 fps), {seconds} s per run");
    println!("baseline:  one `ffmpeg -rtsp_transport tcp -i URL -c copy -f null -` per camera, same cameras, same run");
    println!();
    println!(
        "{:>4} | {:>17} | {:>13} | {:>18} | {:>18} | {:>9}",
        "N", "media CPU s/s-min", "media RSS MiB", "ffmpeg CPU s/s-min", "ffmpeg RSS MiB (Σ)", "CPU ratio"
    );
    for r in rows {
        let ratio = if r.ffmpeg_cpu > 0.0 { r.media_cpu / r.ffmpeg_cpu } else { f64::NAN };
        println!(
            "{:>4} | {:>17.3} | {:>13.1} | {:>18.3} | {:>18.1} | {:>9.2}",
            r.n, r.media_cpu, r.media_rss, r.ffmpeg_cpu, r.ffmpeg_rss, ratio
        );
    }
    println!();
    println!("CPU s/s-min: CPU seconds per stream-minute (1.0 = one core busy per stream). RSS: resident memory.");
}
