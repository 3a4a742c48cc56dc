//! `scripts/bench.sh analytics`: the analytics plane's cost on real footage.
//!
//! One camera's minute is made of OpenCV's walkway footage: 45 s of the
//! empty-looking walkway held still (with sensor grain), then 15 s of people
//! walking, H.264 768 × 576 at 25 fps. It goes through one camera's whole
//! analysis at 5 pictures a second (decode, motion, the person model,
//! tracking) twice: motion-gated, as the plane runs (the model looks while
//! something moves or is followed, and every 10 s otherwise), and looking
//! at every analysed picture. Printed: the time per stage, the CPU used per
//! second of footage, analysed pictures per CPU-second, and the objects
//! each run followed (the recall the gating keeps).
//!
//! Needs scripts/setup.sh's ONNX Runtime and test person model, and
//! Debian's opencv-doc.

#[path = "../tests/common/mod.rs"]
mod common;

use std::{path::Path, time::Instant};

use vms_ai::{
    analyse::{self, Objects, Output},
    detect::{
        model::{ModelSpec, Provider},
        service::Detector,
    },
    track::{self, TrackEvent},
};
use vms_codec::Codec;
use vms_testkit::media;

const FOOTAGE: &str = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
const STILL_SECS: u32 = 45;
const WALK_SECS: u32 = 15;

/// CPU seconds this process has used (user and system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name (which may hold spaces), from its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')').expect("a stat line").1.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

fn main() {
    let need = |var: &str| std::env::var(var).unwrap_or_else(|_| panic!("{var} is not set: run scripts/setup.sh"));
    assert!(Path::new(FOOTAGE).is_file(), "{FOOTAGE} is missing: install Debian's opencv-doc");
    let spec = ModelSpec {
        path: need("VMS_PERSON_MODEL").into(),
        labels: Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/models/fall_detection.labels"),
        provider: Provider::Cpu,
        threads: 2,
    };
    let detector = Detector::start(Path::new(&need("ORT_DYLIB_PATH")), &spec).unwrap_or_else(|e| panic!("{e}"));
    let source = format!(
        "movie={FOOTAGE},trim=end_frame=1,loop=loop=-1:size=1,fps=25,trim=duration={STILL_SECS},setpts=PTS-STARTPTS[still];\
         movie={FOOTAGE},fps=25,trim=duration={WALK_SECS},setpts=PTS-STARTPTS[walk];\
         [still][walk]concat=n=2:v=1,noise=alls=6:allf=t"
    );
    let seconds = STILL_SECS + WALK_SECS;
    eprintln!("encoding {seconds} s of footage…");
    let clip = media::clip_of(Codec::H264, &source, 768, 576, seconds * media::FPS);
    println!(
        "analytics bench: {seconds} s of 768x576 H.264 at 25 fps ({STILL_SECS} s still, {WALK_SECS} s of people walking), analysed at 5 fps, person model at 640x640 on the CPU (2 threads)"
    );
    println!(
        "{:<22} {:>9} {:>11} {:>8} {:>8} {:>8} {:>9} {:>8} {:>10} {:>12} {:>9}",
        "mode",
        "analysed",
        "inferences",
        "decode",
        "motion",
        "prep",
        "infer",
        "track",
        "CPU/s vid",
        "pictures/CPUs",
        "objects"
    );
    let mut rates = Vec::new();
    for (mode, idle_every_us) in [("motion-gated", 10_000_000), ("every analysed picture", 0)] {
        let settings = analyse::Settings::new(
            5,
            Some(Objects { detector: detector.clone(), idle_every_us, tracking: track::Settings::default() }),
        );
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        let (outputs, stats) = common::analyse_clip(&clip, settings);
        let (cpu, wall) = (cpu_seconds() - cpu, wall.elapsed().as_secs_f64());
        let objects = outputs.iter().filter(|o| matches!(o, Output::Object(TrackEvent::Appeared(_)))).count();
        let s = stats.stages;
        let per = |us: u64, n: u64| us as f64 / 1000.0 / n.max(1) as f64;
        let rate = stats.analysed as f64 / cpu;
        rates.push(rate);
        println!(
            "{:<22} {:>9} {:>11} {:>6.2}ms {:>6.2}ms {:>6.2}ms {:>7.1}ms {:>6.3}ms {:>10.3} {:>12.1} {:>9}",
            mode,
            stats.analysed,
            s.inferences,
            per(s.decode_us, stats.decoded),
            per(s.motion_us, stats.analysed),
            per(s.preprocess_us, s.inferences),
            per(s.inference_us, s.inferences),
            per(s.tracking_us, s.inferences),
            cpu / f64::from(seconds),
            rate,
            objects
        );
        eprintln!("  ({mode}: {wall:.1} s wall, {cpu:.1} CPU-s)");
    }
    println!(
        "motion-gated analyses {:.2}x the pictures per CPU-second of looking at every picture",
        rates[0] / rates[1]
    );
    println!(
        "(stage times per decoded, analysed or inferred picture; CPU/s vid: CPU-seconds per second of footage for this one camera)"
    );
}
