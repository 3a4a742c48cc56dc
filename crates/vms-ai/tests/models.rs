//! YOLO models on the real ONNX Runtime: tiny generated models with fixed
//! outputs in each layout (testdata/models/make.py) are loaded, recognised,
//! decoded and suppressed exactly; a missing, malformed or unknown model and
//! a labels file that does not match fail with a clear error.
//!
//! The runtime library comes from scripts/setup.sh (`ORT_DYLIB_PATH`, which
//! scripts/env.sh sets). Without it these tests fail and say so: they are
//! the only check of the runtime path.

use std::path::{Path, PathBuf};

use ort::environment::Environment;
use vms_ai::detect::{
    model::{Model, ModelError, ModelSpec, Provider, runtime},
    yolo::{Candidate, Layout, LayoutError},
};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/models").join(name)
}

fn environment() -> Environment {
    let library = std::env::var("ORT_DYLIB_PATH").unwrap_or_else(|_| {
        panic!("ORT_DYLIB_PATH is not set: run scripts/setup.sh and source scripts/env.sh (scripts/test.sh does both)")
    });
    runtime(Path::new(&library)).unwrap_or_else(|e| panic!("{e}"))
}

fn spec(model: &str, labels: &str) -> ModelSpec {
    ModelSpec { path: testdata(model), labels: testdata(labels), provider: Provider::Cpu, threads: 1 }
}

fn detect(model: &str) -> (Model, Vec<Candidate>) {
    let mut model = Model::load(&environment(), &spec(model, "two.labels")).unwrap_or_else(|e| panic!("{model}: {e}"));
    assert_eq!(model.input_size(), (64, 64));
    assert_eq!(model.labels(), ["person", "fallen"]);
    let blank = vec![0.5; 3 * 64 * 64];
    let found = model.detect(blank, 0.5).unwrap();
    (model, found)
}

#[test]
fn yolov8_boxes_are_decoded_and_duplicates_suppressed() {
    let (model, found) = detect("v8_two_classes.onnx");
    assert_eq!(model.output().layout, Layout::V8);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].label, found[0].bounds), (1, [24.0, 16.0, 40.0, 48.0]));
    assert!((found[0].score - 0.9).abs() < 1e-6);
    assert_eq!((found[1].label, found[1].bounds), (0, [4.0, 4.0, 12.0, 12.0]));
}

#[test]
fn yolov5_scores_are_objectness_times_class() {
    let (model, found) = detect("v5_two_classes.onnx");
    assert_eq!(model.output().layout, Layout::V5);
    // The second row scores 0.5 × 0.9 = 0.45, under the floor.
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].label, found[0].bounds), (0, [24.0, 16.0, 40.0, 48.0]));
}

#[test]
fn yolox_boxes_are_placed_on_their_grid() {
    let (model, found) = detect("yolox_two_classes.onnx");
    assert_eq!(model.output().layout, Layout::Yolox);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].label, found[0].bounds), (0, [0.0, 0.0, 8.0, 8.0]));
    assert_eq!((found[1].label, found[1].bounds), (1, [32.0, 32.0, 64.0, 64.0]));
}

#[test]
fn bad_models_and_labels_are_clear_errors() {
    let env = environment();
    let error = |model: &str, labels: &str| Model::load(&env, &spec(model, labels)).err().expect("should fail");
    assert!(matches!(error("missing.onnx", "two.labels"), ModelError::Load { .. }));
    let malformed = error("malformed.onnx", "two.labels");
    assert!(matches!(malformed, ModelError::Load { .. }), "{malformed}");
    assert!(malformed.to_string().contains("malformed.onnx"), "{malformed}");
    let unknown = error("unknown_layout.onnx", "two.labels");
    assert!(matches!(unknown, ModelError::Layout(LayoutError::Unknown { .. })), "{unknown}");
    assert!(unknown.to_string().contains("[1, 10, 10]"), "{unknown}");
    let mismatch = error("v8_two_classes.onnx", "three.labels");
    assert_eq!(mismatch, ModelError::Layout(LayoutError::Labels { model: 2, labels: 3 }));
    assert!(matches!(error("v8_two_classes.onnx", "missing.labels"), ModelError::Labels { .. }));
}

#[test]
fn a_missing_runtime_library_is_an_error_not_a_panic() {
    // Checked on every call, whether or not the process has loaded a runtime already.
    let Err(e) = runtime(Path::new("/nonexistent/libonnxruntime.so")) else { panic!("a missing library is refused") };
    assert!(matches!(e, ModelError::Runtime(_)) && e.to_string().contains("scripts/setup.sh"), "{e}");
    let Err(not_a_library) = runtime(&testdata("v8_two_classes.onnx")) else { panic!("a model is not a library") };
    // Refused either way: probed and found wanting, or because the process already runs the real one.
    let why = not_a_library.to_string();
    assert!(why.contains("not ONNX Runtime") || why.contains("already runs ONNX Runtime"), "{why}");
}

#[test]
fn asking_for_cuda_where_the_runtime_has_none_is_a_clear_error() {
    // scripts/setup.sh installs the CPU build of ONNX Runtime, which has no CUDA provider.
    let cuda = ModelSpec { provider: Provider::Cuda, ..spec("v8_two_classes.onnx", "two.labels") };
    let e = Model::load(&environment(), &cuda).err().expect("CUDA is not in the CPU runtime");
    assert!(matches!(e, ModelError::Provider { provider: Provider::Cuda, .. }), "{e}");
}
