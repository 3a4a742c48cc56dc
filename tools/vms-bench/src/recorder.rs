//! `vms-bench recorder`: recording through the media and recorder planes,
//! against one ffmpeg segmenter per camera, with cameras sent by the
//! simulator and by GStreamer's RTSP server in turn.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use vms_camsim::clip::{self, ClipSpec};
use vms_catalog::{Scope, scope};
use vms_sandbox::{Process, Sandbox};

use crate::{Args, Fixture, WARM_UP, ffmpeg::ffmpeg_segmenter, procstat, source::Kind};

/// Time for the last fragments of a measurement to be written and indexed
/// (a fragment ends at the next keyframe, 2 s later at most).
const INDEX_SETTLE: Duration = Duration::from_secs(5);

/// What one side did in a run.
struct Side {
    /// CPU seconds per recorded stream-minute.
    cpu: f64,
    /// Resident memory, MiB.
    rss: f64,
    /// Bytes written to disk per byte of video the cameras sent.
    amplification: f64,
}

/// One row of the report.
struct Row {
    source: Kind,
    n: usize,
    vms: Side,
    /// The VMS processes' memory growth per stream since they had no camera, MiB.
    rss_per_stream: f64,
    /// Pictures the cameras sent while the VMS was measured.
    sent: u64,
    /// Pictures in the fragments that started while the VMS was measured.
    written: i64,
    ffmpeg: Side,
}

/// Measures each count with each source in turn and prints the report.
pub(crate) async fn run(args: &Args) -> anyhow::Result<()> {
    let sources = if args.sources.is_empty() { vec![Kind::Camsim, Kind::Gstreamer] } else { args.sources.clone() };
    let spec = ClipSpec::named(&args.clip).context("the benchmark clip")?;
    let mut rows = Vec::new();
    for &kind in &sources {
        let mut f = Fixture::start(args, true, kind).await?;
        let outcome = measure_counts(&mut f, kind, args, &mut rows).await;
        f.stop().await;
        outcome?;
    }
    // What a camera sends: the clip's coded video, looped.
    let clip_bytes = std::fs::metadata(spec.stream_path(&args.clips))?.len() as f64;
    let gop_mib = clip_bytes / f64::from(clip::CLIP_SECONDS / 2) / f64::from(1 << 20);
    print_report(args, &rows, gop_mib);
    Ok(())
}

async fn measure_counts(f: &mut Fixture, kind: Kind, args: &Args, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let recorder = f.recorder.as_ref().map(Process::pid).context("the recorder plane is not running")?;
    let media = f.media.pid();
    let spec = ClipSpec::named(&args.clip).context("the benchmark clip")?;
    let clip_bytes = std::fs::metadata(spec.stream_path(&args.clips))?.len() as f64;
    let video_per_second = clip_bytes / f64::from(clip::CLIP_SECONDS);
    tokio::time::sleep(WARM_UP).await;
    let idle_rss = procstat::rss_mib(media)? + procstat::rss_mib(recorder)?;
    let seconds = args.seconds;
    for &n in &args.counts {
        f.grow_to(n).await?;
        // The recorder follows every camera's main stream by itself; its first fragment takes a GOP.
        tokio::time::sleep(WARM_UP * 2).await;
        let (from, sent_before) = (chrono::Utc::now(), f.source.pictures_sent()?);
        let vms = procstat::measure_all(&[media, recorder], Some(&f.sandbox.recordings()), seconds).await?;
        let (to, sent_after) = (chrono::Utc::now(), f.source.pictures_sent()?);
        tokio::time::sleep(INDEX_SETTLE).await;
        let written = pictures_recorded(&f.sandbox, from, to).await?;

        // Baseline: one ffmpeg segmenter per camera, straight from the source.
        let out = tempfile::tempdir()?;
        let baseline = (0..n)
            .map(|i| ffmpeg_segmenter(&f.source.url(&format!("c{i}")), &out.path().join(i.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        tokio::time::sleep(WARM_UP).await;
        let pids: Vec<u32> = baseline.iter().map(|p| p.pid()).collect();
        let ffmpeg = procstat::measure_all(&pids, Some(out.path()), seconds).await?;
        drop(baseline);

        let stream_minutes = n as f64 * seconds as f64 / 60.0;
        let sent_bytes = video_per_second * seconds as f64 * n as f64;
        let side = |m: procstat::Measured| Side {
            cpu: m.cpu / stream_minutes,
            rss: m.rss,
            amplification: m.written as f64 / sent_bytes,
        };
        rows.push(Row {
            source: kind,
            n,
            rss_per_stream: (vms.rss - idle_rss) / n as f64,
            vms: side(vms),
            sent: sent_after - sent_before,
            written,
            ffmpeg: side(ffmpeg),
        });
        eprintln!("{} N = {n}: done", kind.label());
    }
    Ok(())
}

/// Pictures in the fragments the recorder indexed whose first picture
/// arrived in `[from, to)`, every camera together.
async fn pictures_recorded(sandbox: &Sandbox, from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<i64> {
    let mut tx = scope::begin(&sandbox.db.pool, Scope::AllTenants).await?;
    let pictures: Option<i64> = sqlx::query_scalar(
        "SELECT sum(pictures)::bigint FROM recording_fragments WHERE start_time >= $1 AND start_time < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *tx)
    .await?;
    Ok(pictures.unwrap_or(0))
}

fn print_report(args: &Args, rows: &[Row], gop_mib: f64) {
    let (clip, seconds) = (&args.clip, args.seconds);
    println!();
    println!("VMS:      media ingest + frame link + recorder writing fMP4 ({clip}, 25 fps), {seconds} s per run");
    println!("baseline: one `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 10` per camera");
    println!(
        "sources:  camsim (vms-camsim, in the benchmark's process) and gstreamer (gst-rtsp-server, its own process)"
    );
    println!();
    println!(
        "{:>9} | {:>4} | {:>9} | {:>10} | {:>5} | {:>7} | {:>9} | {:>7} | {:>8} | {:>6} | {:>10} | {:>7}",
        "source",
        "N",
        "VMS CPU",
        "ffmpeg CPU",
        "ratio",
        "VMS RSS",
        "RSS/strm",
        "ffm RSS",
        "sent",
        "lost%",
        "VMS out/in",
        "ffm o/i"
    );
    for r in rows {
        let lost = 100.0 * (r.sent as f64 - r.written as f64) / (r.sent.max(1) as f64);
        println!(
            "{:>9} | {:>4} | {:>9.3} | {:>10.3} | {:>5.2} | {:>7.1} | {:>9.2} | {:>7.1} | {:>8} | {:>6.1} | {:>10.3} | {:>7.3}",
            r.source.label(),
            r.n,
            r.vms.cpu,
            r.ffmpeg.cpu,
            r.vms.cpu / r.ffmpeg.cpu,
            r.vms.rss,
            r.rss_per_stream,
            r.ffmpeg.rss,
            r.sent,
            lost,
            r.vms.amplification,
            r.ffmpeg.amplification
        );
    }
    println!();
    println!(
        "CPU: CPU seconds per recorded stream-minute (VMS: media and recorder processes together); ratio = VMS / ffmpeg."
    );
    println!(
        "RSS MiB at the end; RSS/strm: the VMS's growth per stream since it had no camera (a GOP is {gop_mib:.2} MiB)."
    );
    println!(
        "sent: pictures the cameras sent while the VMS was measured; lost%: (sent - written) / sent, where written"
    );
    println!("  counts the pictures of the fragments that began in that window (±1 GOP per camera at the edges).");
    println!("out/in: bytes written to disk per byte of coded video the cameras sent (container overhead).");
}
