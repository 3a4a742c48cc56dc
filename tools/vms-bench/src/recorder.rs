//! `vms-bench recorder`: recording through the media and recorder planes.

use std::path::Path;

use anyhow::Context;
use vms_camsim::clip::{self, ClipSpec};

use crate::{CLIP, Fixture, WARM_UP, procstat, stack::ffmpeg_segmenter};

/// What one side did in a run.
struct Side {
    /// CPU seconds per recorded stream-minute.
    cpu: f64,
    /// Resident memory, MiB.
    rss: f64,
    /// Bytes written to disk per byte of video the cameras sent.
    amplification: f64,
}

/// Measures each count in turn and prints the report.
pub(crate) async fn run(f: &mut Fixture, counts: &[usize], seconds: u64, clips: &Path) -> anyhow::Result<()> {
    let recorder = f.stack.recorder_pid().context("the recorder plane is not running")?;
    // What a camera sends: the clip's coded video, looped.
    let spec = ClipSpec::named(CLIP).context("the benchmark clip")?;
    let clip_bytes = std::fs::metadata(spec.stream_path(clips))?.len() as f64;
    let video_per_second = clip_bytes / f64::from(clip::CLIP_SECONDS);
    let mut rows = Vec::new();
    for &n in counts {
        f.grow_to(n).await?;
        // The recorder follows every camera's main stream by itself; its first fragment takes a GOP.
        tokio::time::sleep(WARM_UP * 2).await;
        let media = f.stack.media_pid();
        let vms = procstat::measure_all(&[media, recorder], Some(&f.stack.recordings()), seconds).await?;

        // Baseline: one ffmpeg segmenter per camera, straight from the simulator.
        let out = tempfile::tempdir()?;
        let baseline = (0..n)
            .map(|i| ffmpeg_segmenter(&f.sim.url(&format!("c{i}")), &out.path().join(i.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        tokio::time::sleep(WARM_UP).await;
        let pids: Vec<u32> = baseline.iter().map(|p| p.pid()).collect();
        let ffmpeg = procstat::measure_all(&pids, Some(out.path()), seconds).await?;
        drop(baseline);

        let stream_minutes = n as f64 * seconds as f64 / 60.0;
        let sent = video_per_second * seconds as f64 * n as f64;
        let side = |m: procstat::Measured| Side {
            cpu: m.cpu / stream_minutes,
            rss: m.rss,
            amplification: m.written as f64 / sent,
        };
        rows.push((n, side(vms), side(ffmpeg)));
        eprintln!("N = {n}: done");
    }
    println!();
    println!("VMS:      media ingest + frame link + recorder writing fMP4 ({CLIP}, 25 fps), {seconds} s per run");
    println!("baseline: one `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 10` per camera");
    println!();
    println!(
        "{:>4} | {:>15} | {:>11} | {:>11} | {:>18} | {:>14} | {:>14}",
        "N", "VMS CPU s/s-min", "VMS RSS MiB", "VMS out/in", "ffmpeg CPU s/s-min", "ffmpeg RSS MiB", "ffmpeg out/in"
    );
    for (n, vms, ffmpeg) in &rows {
        println!(
            "{:>4} | {:>15.3} | {:>11.1} | {:>11.3} | {:>18.3} | {:>14.1} | {:>14.3}",
            n, vms.cpu, vms.rss, vms.amplification, ffmpeg.cpu, ffmpeg.rss, ffmpeg.amplification
        );
    }
    println!();
    println!("CPU s/s-min: CPU seconds per recorded stream-minute, media and recorder processes together.");
    println!("out/in: bytes written to disk per byte of coded video the cameras sent (container overhead).");
    Ok(())
}
