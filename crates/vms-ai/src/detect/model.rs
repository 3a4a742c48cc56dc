//! A YOLO-format ONNX model on ONNX Runtime: the runtime library loaded at
//! run time (the `onnxruntime` package's, found through `ORT_DYLIB_PATH` or
//! named in the configuration; nothing is downloaded), the model loaded on
//! the CPU or, when asked, on CUDA, its output layout recognised by running
//! it once, and pictures run through it.
//!
//! Every failure is a [`ModelError`] that says what to fix: the plane
//! reports it and goes on serving the cameras it can.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
};

use ort::{
    environment::Environment,
    ep,
    session::{Session, builder::GraphOptimizationLevel},
    value::{Tensor, TensorElementType, ValueType},
};

use super::{
    letterbox::{Letterbox, Style},
    yolo::{self, Candidate, Layout, LayoutError, Output},
};

/// Where inference runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// The CPU, always there.
    Cpu,
    /// An NVIDIA GPU through CUDA; an error when the GPU or its runtime is missing.
    Cuda,
}

/// What to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSpec {
    /// The ONNX file.
    pub path: PathBuf,
    /// The labels file: one class name a line, in the model's class order.
    pub labels: PathBuf,
    /// Where to run it.
    pub provider: Provider,
    /// CPU threads one inference may use.
    pub threads: usize,
}

/// Why a model cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The ONNX Runtime library is missing or of the wrong version.
    #[error("ONNX Runtime is not available: {0}")]
    Runtime(String),
    /// The model file is missing or not a model.
    #[error("cannot load the model {}: {detail}", path.display())]
    Load {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The labels file is missing or empty.
    #[error("cannot read the labels {}: {detail}", path.display())]
    Labels {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The model does not take one picture as a `[1, 3, H, W]` float tensor.
    #[error("the model's input is not a [1, 3, height, width] float picture: {0}")]
    Input(String),
    /// The model's output is not a YOLO layout the plane knows.
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// The execution provider asked for is not there.
    #[error("cannot run on {provider:?}: {detail}")]
    Provider {
        /// The provider asked for.
        provider: Provider,
        /// Why not.
        detail: String,
    },
    /// An inference failed.
    #[error("inference failed: {0}")]
    Run(String),
}

/// The input size used when the model leaves it open.
const DEFAULT_INPUT: u32 = 640;

/// The process's ONNX Runtime environment, from the library at `library`.
/// The runtime allows one library and one environment per process: the
/// first library that loads is kept, and asking for another afterwards is
/// an error. A library is checked before it is loaded (it must exist and be
/// ONNX Runtime 1.31 or later: probing it first keeps a wrong one from
/// panicking inside the runtime). Loading a library runs its code, so the
/// path must come from the operator's configuration only.
pub fn runtime(library: &Path) -> Result<Environment, ModelError> {
    static RUNTIME: Mutex<Option<(PathBuf, Environment)>> = Mutex::new(None);
    let mut loaded = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    let wanted = library.canonicalize().map_err(|e| {
        ModelError::Runtime(format!(
            "{}: {e}; run scripts/setup.sh, or point ORT_DYLIB_PATH (or analytics.runtime) at libonnxruntime",
            library.display()
        ))
    })?;
    if let Some((path, environment)) = &*loaded {
        if *path == wanted {
            return Ok(environment.clone());
        }
        return Err(ModelError::Runtime(format!(
            "this process already runs ONNX Runtime from {}; it cannot load {} too",
            path.display(),
            wanted.display()
        )));
    }
    match ort::util::probe(&wanted) {
        Some(minor) if minor >= ort::MINOR_VERSION => {}
        found => {
            return Err(ModelError::Runtime(format!(
                "{} is not ONNX Runtime 1.{} or later (found {})",
                wanted.display(),
                ort::MINOR_VERSION,
                found.map_or("no usable library".to_owned(), |m| format!("1.{m}"))
            )));
        }
    }
    let builder = ort::init_from(&wanted).map_err(|e| ModelError::Runtime(e.to_string()))?;
    let environment = builder.with_name("vms-ai").build().map_err(|e| ModelError::Runtime(e.to_string()))?;
    *loaded = Some((wanted, environment.clone()));
    Ok(environment)
}

/// A loaded model, ready to run pictures.
pub struct Model {
    session: Session,
    input_name: String,
    input: (u32, u32),
    output: Output,
    labels: Vec<String>,
}

impl Model {
    /// Loads `spec` on `environment`, and runs it once on a blank picture to
    /// learn and check its output layout against the labels.
    pub fn load(environment: &Environment, spec: &ModelSpec) -> Result<Self, ModelError> {
        let labels = read_labels(&spec.labels)?;
        let load = |detail: String| ModelError::Load { path: spec.path.clone(), detail };
        if !spec.path.is_file() {
            return Err(load("no such file".to_owned()));
        }
        let provider = match spec.provider {
            Provider::Cpu => ep::CPU::default().build(),
            Provider::Cuda => ep::CUDA::default().build().error_on_failure(),
        };
        let builder = Session::builder(environment)
            .map_err(|e| load(e.to_string()))?
            .with_intra_threads(spec.threads.max(1))
            .map_err(|e| load(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| load(e.to_string()))?;
        let mut builder = builder
            .with_execution_providers([provider])
            .map_err(|e| ModelError::Provider { provider: spec.provider, detail: e.to_string() })?;
        let session = builder.commit_from_file(&spec.path).map_err(|e| load(e.to_string()))?;
        let (input_name, input) = picture_input(&session)?;
        let mut model = Self {
            session,
            input_name,
            input,
            output: Output { layout: yolo::Layout::V8, classes: 0, boxes: 0 },
            labels,
        };
        let blank = vec![0.0; 3 * (input.0 * input.1) as usize];
        let (shape, _) = model.infer(blank)?;
        model.output = yolo::recognise(&shape, input.0, input.1, model.labels.len())?;
        Ok(model)
    }

    /// The model's input size: width, height.
    pub fn input_size(&self) -> (u32, u32) {
        self.input
    }

    /// The class names.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// What the model's output is.
    pub fn output(&self) -> Output {
        self.output
    }

    /// Runs one letterboxed picture (planar RGB 0–1 at the input size, as
    /// [`Letterbox::planar`] makes it) and returns what scored at least
    /// `min_score`, suppressed per label, in the model's input pixels.
    pub fn detect(&mut self, input: Vec<f32>, min_score: f32) -> Result<Vec<Candidate>, ModelError> {
        let (_, data) = self.infer(input)?;
        let found = yolo::decode(&self.output, &data, self.input.0, self.input.1, min_score);
        Ok(yolo::suppress(found, 0.45))
    }

    /// Letterboxing for a `width` × `height` picture at this model's input,
    /// in its family's convention.
    pub fn letterbox(&self, width: u32, height: u32) -> Letterbox {
        letterbox(self.output.layout, self.input, width, height)
    }

    fn infer(&mut self, input: Vec<f32>) -> Result<(Vec<i64>, Vec<f32>), ModelError> {
        let (w, h) = (self.input.0 as usize, self.input.1 as usize);
        if input.len() != 3 * w * h {
            return Err(ModelError::Run(format!("{} values given for a 3x{h}x{w} input", input.len())));
        }
        let tensor = Tensor::from_array(([1usize, 3, h, w], input)).map_err(|e| ModelError::Run(e.to_string()))?;
        let outputs = self
            .session
            .run(ort::inputs![self.input_name.as_str() => tensor])
            .map_err(|e| ModelError::Run(e.to_string()))?;
        let (shape, data) = outputs[0].try_extract_tensor::<f32>().map_err(|e| ModelError::Run(e.to_string()))?;
        Ok((shape.to_vec(), data.to_vec()))
    }
}

/// Letterboxing for a `width` × `height` picture into an `input`-sized
/// picture of a model whose output has `layout`.
pub fn letterbox(layout: Layout, input: (u32, u32), width: u32, height: u32) -> Letterbox {
    let style = if layout == Layout::Yolox { Style::Yolox } else { Style::Ultralytics };
    Letterbox::fit(width, height, input, style)
}

/// The model's one picture input: its name and size (640 where open).
fn picture_input(session: &Session) -> Result<(String, (u32, u32)), ModelError> {
    let [input] = session.inputs() else {
        return Err(ModelError::Input(format!("the model has {} inputs", session.inputs().len())));
    };
    let ValueType::Tensor { ty, shape, .. } = input.dtype() else {
        return Err(ModelError::Input(format!("{} is not a tensor", input.name())));
    };
    if !matches!(ty, TensorElementType::Float32) {
        return Err(ModelError::Input(format!("{} holds {ty:?}, not float32", input.name())));
    }
    let size = |d: i64| if d <= 0 { Some(DEFAULT_INPUT) } else { u32::try_from(d).ok().filter(|d| *d <= 4096) };
    match &shape[..] {
        [1 | -1, 3, h, w] => match (size(*w), size(*h)) {
            (Some(w), Some(h)) => Ok((input.name().to_owned(), (w, h))),
            _ => Err(ModelError::Input(format!("{} has the shape {:?}", input.name(), &shape[..]))),
        },
        other => Err(ModelError::Input(format!("{} has the shape {other:?}", input.name()))),
    }
}

/// Reads a labels file: one name a line, blank lines and surrounding space ignored.
fn read_labels(path: &Path) -> Result<Vec<String>, ModelError> {
    let fail = |detail: String| ModelError::Labels { path: path.to_owned(), detail };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let labels: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if labels.is_empty() {
        return Err(fail("it names no class".to_owned()));
    }
    Ok(labels)
}
