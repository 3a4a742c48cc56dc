//! `vms-bench media`: ingest and restream.

use crate::{CLIP, Fixture, WARM_UP, ffmpeg::ffmpeg_reader, procstat};

/// One row of the report.
struct Row {
    n: usize,
    media_cpu: f64,
    media_rss: f64,
    ffmpeg_cpu: f64,
    ffmpeg_rss: f64,
}

/// Measures each count in turn and prints the report.
pub(crate) async fn run(f: &mut Fixture, counts: &[usize], seconds: u64) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for &n in counts {
        f.grow_to(n).await?;
        // vms-media: ingest, and one restream reader per camera.
        let readers = f.added.iter().take(n).map(|(c, _)| ffmpeg_reader(&f.sandbox.restream_url(*c)));
        let readers = readers.collect::<Result<Vec<_>, _>>()?;
        tokio::time::sleep(WARM_UP).await;
        let (media_cpu, media_rss) = procstat::measure(&[f.media.pid()], seconds).await?;
        drop(readers);

        // Baseline: one ffmpeg per camera, reading it straight from the simulator.
        let baseline = (0..n).map(|i| ffmpeg_reader(&f.source.url(&format!("c{i}")))).collect::<Result<Vec<_>, _>>()?;
        tokio::time::sleep(WARM_UP).await;
        let pids: Vec<u32> = baseline.iter().map(|p| p.pid()).collect();
        let (ffmpeg_cpu, ffmpeg_rss) = procstat::measure(&pids, seconds).await?;
        drop(baseline);

        let stream_minutes = n as f64 * seconds as f64 / 60.0;
        rows.push(Row {
            n,
            media_cpu: media_cpu / stream_minutes,
            media_rss,
            ffmpeg_cpu: ffmpeg_cpu / stream_minutes,
            ffmpeg_rss,
        });
        eprintln!("N = {n}: done");
    }
    println!();
    println!("vms-media: ingest + RTSP restream to one reader per camera ({CLIP}, 25 fps), {seconds} s per run");
    println!("baseline:  one `ffmpeg -rtsp_transport tcp -i URL -c copy -f null -` per camera, same cameras, same run");
    println!();
    println!(
        "{:>4} | {:>17} | {:>13} | {:>18} | {:>18} | {:>9}",
        "N", "media CPU s/s-min", "media RSS MiB", "ffmpeg CPU s/s-min", "ffmpeg RSS MiB (Σ)", "CPU ratio"
    );
    for r in &rows {
        let ratio = if r.ffmpeg_cpu > 0.0 { r.media_cpu / r.ffmpeg_cpu } else { f64::NAN };
        println!(
            "{:>4} | {:>17.3} | {:>13.1} | {:>18.3} | {:>18.1} | {:>9.2}",
            r.n, r.media_cpu, r.media_rss, r.ffmpeg_cpu, r.ffmpeg_rss, ratio
        );
    }
    println!();
    println!("CPU s/s-min: CPU seconds per stream-minute (1.0 = one core busy per stream). RSS: resident memory.");
    Ok(())
}
