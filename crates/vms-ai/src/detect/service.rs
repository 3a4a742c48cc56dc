//! One model for the whole plane: loaded once, run by a thread of its own
//! that takes pictures from every camera's analysis thread in turn. A
//! camera asks through a [`Detector`] handle and waits for its answer; the
//! queue is short, so a plane that cannot keep up makes the cameras wait,
//! their link queues fill and the media plane skips pictures for them,
//! rather than memory growing.

use std::{
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

use super::{
    letterbox::Letterbox,
    model::{Model, ModelError, ModelSpec, letterbox, runtime},
    yolo::{Candidate, Layout},
};

/// Pictures waiting for the model.
const QUEUE: usize = 8;
/// The longest a camera waits for an answer (a hung runtime must not hang the plane).
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

struct Job {
    input: Vec<f32>,
    min_score: f32,
    reply: mpsc::SyncSender<Result<(Vec<Candidate>, Duration), ModelError>>,
}

/// A handle on the plane's model; cheap to clone, one per camera.
#[derive(Clone)]
pub struct Detector {
    jobs: mpsc::SyncSender<Job>,
    input: (u32, u32),
    layout: Layout,
    labels: Arc<[String]>,
    /// Pictures sent to the model and not answered yet, every camera's.
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    /// Where each inference's time is counted, for Prometheus.
    latency: Option<prometheus_client::metrics::histogram::Histogram>,
}

impl Detector {
    /// Loads the model of `spec` with the runtime library `library` and
    /// starts its thread. Blocks while loading: call it from a blocking task.
    pub fn start(library: &std::path::Path, spec: &ModelSpec) -> Result<Self, ModelError> {
        let environment = runtime(library)?;
        let model = Model::load(&environment, spec)?;
        let (input, layout, labels) = (model.input_size(), model.output().layout, model.labels().into());
        let (jobs, queue) = mpsc::sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("inference".to_owned())
            .spawn(move || serve(model, queue))
            .map_err(|e| ModelError::Run(format!("cannot start the inference thread: {e}")))?;
        Ok(Self { jobs, input, layout, labels, waiting: Arc::default(), latency: None })
    }

    /// Counts each inference's time into `latency`.
    pub fn with_latency(self, latency: prometheus_client::metrics::histogram::Histogram) -> Self {
        Self { latency: Some(latency), ..self }
    }

    /// Pictures waiting for the model or being run now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The class names.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Letterboxing for a `width` × `height` picture at the model's input.
    pub fn letterbox(&self, width: u32, height: u32) -> Letterbox {
        letterbox(self.layout, self.input, width, height)
    }

    /// Runs one letterboxed picture; waits for the answer: what scored at
    /// least `min_score` (in the model's input pixels), and how long the
    /// inference took.
    pub fn detect(&self, input: Vec<f32>, min_score: f32) -> Result<(Vec<Candidate>, Duration), ModelError> {
        use std::sync::atomic::Ordering;
        let (reply, answer) = mpsc::sync_channel(1);
        let gone = || ModelError::Run("the inference thread has stopped".to_owned());
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let sent = self.jobs.send(Job { input, min_score, reply }).map_err(|_| gone());
        let answered = sent.and_then(|()| {
            answer.recv_timeout(ANSWER_WITHIN).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => ModelError::Run(format!("no answer within {ANSWER_WITHIN:?}")),
                mpsc::RecvTimeoutError::Disconnected => gone(),
            })
        });
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let result = answered?;
        if let (Ok((_, took)), Some(latency)) = (&result, &self.latency) {
            latency.observe(took.as_secs_f64());
        }
        result
    }
}

/// Runs jobs until every handle is gone. A panic inside the runtime fails
/// that one picture, not the thread.
fn serve(mut model: Model, queue: mpsc::Receiver<Job>) {
    while let Ok(job) = queue.recv() {
        let started = Instant::now();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| model.detect(job.input, job.min_score)));
        let result = match run {
            Ok(result) => result.map(|found| (found, started.elapsed())),
            Err(_) => Err(ModelError::Run("the runtime panicked on this picture".to_owned())),
        };
        let _ = job.reply.send(result);
    }
}
