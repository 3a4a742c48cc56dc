//! The plain way to do a plane's job: ffmpeg processes, the baseline of the
//! benchmarks.

use std::{
    path::Path,
    process::{Command, Stdio},
};

use anyhow::Context;
use vms_sandbox::Process;

fn ffmpeg(args: &[&str]) -> anyhow::Result<Process> {
    let child = Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("ffmpeg should be installed")?;
    Ok(Process::new(child))
}

/// Runs `ffmpeg -rtsp_transport tcp -i URL -c copy -f null -`: a client
/// that reads a stream and throws it away.
pub fn ffmpeg_reader(url: &str) -> anyhow::Result<Process> {
    ffmpeg(&["-i", url, "-c", "copy", "-f", "null", "-"])
}

/// Runs `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 10`
/// into `dir`: the plain way to record a camera to 10-second files.
pub fn ffmpeg_segmenter(url: &str, dir: &Path) -> anyhow::Result<Process> {
    std::fs::create_dir_all(dir)?;
    let pattern = dir.join("%05d.mp4");
    let pattern = pattern.to_string_lossy();
    ffmpeg(&["-i", url, "-c", "copy", "-f", "segment", "-segment_time", "10", &pattern])
}
