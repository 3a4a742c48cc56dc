//! Runs a clip through one camera's analysis thread as the frame link would
//! deliver it: a description, then every picture 40 ms apart (25 fps), then
//! the end of the stream.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::mpsc;
use vms_ai::analyse::{self, Input, Output};
use vms_bus::status::StreamAnalytics;
use vms_link::{Description, Picture};
use vms_plane::link::LinkEvent;
use vms_testkit::media::{Clip, FRAME_TICKS};

/// What the analysis reported, in order, and its counters at the end.
pub fn analyse_clip(clip: &Clip, settings: analyse::Settings) -> (Vec<Output>, StreamAnalytics) {
    let (inputs, queued) = mpsc::channel(clip.pictures.len() + 4);
    let (outputs, mut produced) = mpsc::channel(4096);
    let description = Description {
        codec: clip.codec,
        width: clip.width,
        height: clip.height,
        timescale: 90_000,
        codec_string: String::new(),
        parameter_sets: clip.parameter_sets.iter().map(|p| Bytes::from(p.clone())).collect(),
        sample_entry: Bytes::new(),
    };
    inputs.try_send(Input::Link(LinkEvent::Description(description))).unwrap();
    for (n, p) in clip.pictures.iter().enumerate() {
        let picture = Picture {
            pts: n as i64 * i64::from(FRAME_TICKS),
            arrived_at_us: n as i64 * 40_000,
            keyframe: p.keyframe,
            lost: 0,
            data: Bytes::from(p.data.clone()),
        };
        inputs.try_send(Input::Link(LinkEvent::Picture(picture))).unwrap();
    }
    inputs.try_send(Input::Stop).unwrap();
    drop(inputs);
    let stats = Arc::new(Mutex::new(StreamAnalytics::default()));
    let worker_stats = stats.clone();
    std::thread::spawn(move || analyse::run(queued, outputs, settings, worker_stats, Default::default()))
        .join()
        .unwrap();
    let mut seen = Vec::new();
    while let Ok(output) = produced.try_recv() {
        seen.push(output);
    }
    let stats = stats.lock().unwrap().clone();
    (seen, stats)
}

/// OpenCV's walkway footage (Debian's opencv-doc): 768 × 576, 10 fps, 79.5 s.
#[allow(dead_code)]
pub const FOOTAGE: &str = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

/// The person detector scripts/setup.sh fetches, on the plane's model
/// thread; fails saying how to get it when it is missing.
#[allow(dead_code)]
pub fn person_detector() -> vms_ai::detect::service::Detector {
    use std::path::Path;
    use vms_ai::detect::model::{ModelSpec, Provider};
    assert!(Path::new(FOOTAGE).is_file(), "{FOOTAGE} is missing: install Debian's opencv-doc (scripts/setup.sh does)");
    let library = std::env::var("ORT_DYLIB_PATH").expect("ORT_DYLIB_PATH: run scripts/setup.sh, source scripts/env.sh");
    let spec = ModelSpec {
        path: std::env::var("VMS_PERSON_MODEL").expect("VMS_PERSON_MODEL: run scripts/setup.sh").into(),
        labels: Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/models/fall_detection.labels"),
        provider: Provider::Cpu,
        threads: 2,
    };
    vms_ai::detect::service::Detector::start(Path::new(&library), &spec).unwrap_or_else(|e| panic!("{e}"))
}
