//! The analysis thread of one camera: decodes the pictures the
//! [`Sampler`] picks, reduces the due ones to a small luma plane, detects
//! motion and reports its start and end. Everything here is CPU-bound and
//! runs on a blocking thread; it talks to the async side through channels.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Instant,
};

use tokio::sync::mpsc;
use vms_bus::status::StreamAnalytics;
use vms_codec::Codec;
use vms_link::{Description, Picture};
use vms_plane::link::LinkEvent;
use vms_video::{
    decode::{Coded, DecodeError, Decoder},
    gray::GrayScaler,
    scale::Scaler,
};

use crate::{
    detect::service::Detector,
    motion::{
        self, MotionDetector,
        events::{Change, Debounce, MotionEvents},
    },
    sampler::{Decision, Sampler},
    scene::{Scene, SceneEvent},
    track::{self, Detection, TrackEvent, Tracker},
};
use vms_base::analytics::CameraAnalytics;

/// Pictures the decoder may hold back (B-frame reordering) before their
/// bookkeeping is dropped.
const MAX_PENDING: usize = 64;
/// Microseconds since `started`.
fn micros(started: Instant) -> u64 {
    started.elapsed().as_micros() as u64
}

/// The largest picture decoded: 8K (7680 × 4320). A description claiming
/// more is refused rather than letting the decoder allocate for it.
const MAX_PIXELS: u64 = 7680 * 4320;

/// How one camera is analysed.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Pictures analysed a second.
    pub fps: u32,
    /// Rows of the motion picture.
    pub motion_height: u32,
    /// Motion detection.
    pub motion: motion::Settings,
    /// Motion start and end.
    pub debounce: Debounce,
    /// Objects, when the plane has a model.
    pub objects: Option<Objects>,
    /// The most pictures a second a camera's own setting may ask for.
    pub max_fps: u32,
    /// The camera's own settings: its label and size filters, zones and lines.
    pub camera: CameraAnalytics,
}

impl Settings {
    /// `fps` pictures a second, objects looked for with `objects`, and the
    /// defaults otherwise (120-row motion pictures, default motion and
    /// debounce, no camera settings, any camera rate up to 30).
    pub fn new(fps: u32, objects: Option<Objects>) -> Self {
        Self {
            fps,
            motion_height: 120,
            motion: Default::default(),
            debounce: Default::default(),
            objects,
            max_fps: vms_base::analytics::MAX_FPS,
            camera: Default::default(),
        }
    }

    /// These (the plane's) settings with a camera's own on top: its rate,
    /// motion sensitivity and masks, and its objects' score floor.
    pub fn for_camera(&self, camera: CameraAnalytics) -> Settings {
        let mut settings = self.clone();
        settings.fps = camera.fps.map_or(self.fps, |fps| fps.min(self.max_fps.max(1)));
        if let Some(sensitivity) = camera.motion_sensitivity {
            settings.motion.sensitivity = sensitivity;
        }
        settings.motion.masks = camera.masks.iter().map(|m| crate::geometry::Polygon(m.clone())).collect();
        if let (Some(objects), Some(floor)) = (&mut settings.objects, camera.min_score) {
            objects.tracking = track::Settings::with_floor(floor);
        }
        settings.camera = camera;
        settings
    }
}

/// How objects are looked for.
#[derive(Clone)]
pub struct Objects {
    /// The plane's model.
    pub detector: Detector,
    /// Microseconds between looks while nothing moves or is followed.
    pub idle_every_us: i64,
    /// The tracker's tuning (its `min_score` is the objects' floor).
    pub tracking: track::Settings,
}

impl std::fmt::Debug for Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Objects")
            .field("labels", &self.detector.labels())
            .field("idle_every_us", &self.idle_every_us)
            .field("tracking", &self.tracking)
            .finish()
    }
}

/// What the thread reports.
#[derive(Debug, Clone)]
pub enum Output {
    /// Motion started or ended.
    Motion(Change),
    /// An object appeared or left.
    Object(TrackEvent),
    /// An object entered, left or loitered in a zone, or crossed a line.
    Scene(SceneEvent),
}

/// What the thread receives.
#[derive(Debug)]
pub enum Input {
    /// From the frame link.
    Link(LinkEvent),
    /// A second has passed (motion on a camera gone dark still ends).
    Tick,
    /// The camera's own settings changed: take them without losing the
    /// objects followed.
    Settings(Box<Settings>),
    /// The stream is no longer analysed.
    Stop,
}

/// The decoder of the current description.
struct Decoding {
    codec: Codec,
    timescale: i64,
    decoder: Decoder,
    /// Pictures sent and not yet out of the decoder: pts, arrival time, analyse?
    pending: VecDeque<(i64, i64, bool)>,
}

/// Runs until `inputs` ends or says stop, or `stopping` is set; what
/// happened goes to `changes`. `stopping` lets the plane stop without
/// working through the pictures already queued (each may need the model,
/// seconds on a busy machine): what is open is ended all the same.
pub fn run(
    mut inputs: mpsc::Receiver<Input>,
    changes: mpsc::Sender<Output>,
    settings: Settings,
    stats: Arc<Mutex<StreamAnalytics>>,
    stopping: Arc<std::sync::atomic::AtomicBool>,
) {
    let end_after = std::time::Duration::from_micros(settings.debounce.end_after_us.max(0) as u64);
    let labels = settings.objects.as_ref().map(|o| o.detector.labels().to_vec()).unwrap_or_default();
    let scene = Scene::new(&settings.camera, &labels);
    show_settings(&stats, &settings, &labels, &scene);
    let mut worker = Worker {
        filter: Filter::new(&settings.camera, &labels),
        scene,
        labels,
        settings: settings.clone(),
        last_analysed_us: None,
        last_picture: std::time::Instant::now(),
        sampler: Sampler::new(settings.fps),
        scaler: GrayScaler::new(settings.motion_height),
        detector: MotionDetector::new(settings.motion.clone()),
        events: MotionEvents::new(settings.debounce),
        tracker: Tracker::new(settings.objects.as_ref().map(|o| o.tracking).unwrap_or_default()),
        rgb: Scaler::rgb(),
        last_look_us: None,
        objects: settings.objects.clone(),
        decoding: None,
        stats,
        changes,
    };
    while let Some(input) = inputs.blocking_recv() {
        if stopping.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        match input {
            Input::Link(LinkEvent::Description(d)) => worker.describe(&d),
            Input::Link(LinkEvent::Picture(p)) => worker.picture(&p),
            Input::Link(LinkEvent::Interrupted { .. }) => worker.interrupted(),
            Input::Tick => {
                // Measured on this machine's clock: the pictures' arrival
                // times come from the media plane's, which may be skewed.
                if worker.last_picture.elapsed() >= end_after {
                    worker.end_all();
                }
            }
            Input::Settings(settings) => worker.reconfigure(*settings),
            Input::Stop => break,
        }
    }
    worker.end_all();
}

/// Each line's counts, as the status shows them.
fn line_counts(scene: &Scene) -> Vec<vms_bus::status::LineCount> {
    scene
        .counts()
        .into_iter()
        .map(|(name, c)| vms_bus::status::LineCount {
            name,
            left_to_right: c.left_to_right,
            right_to_left: c.right_to_left,
        })
        .collect()
}

/// Puts into the stream's status what its settings make of it: the rate
/// asked for, the labels the model does not know, and every line (crossed
/// or not).
fn show_settings(stats: &Mutex<StreamAnalytics>, settings: &Settings, labels: &[String], scene: &Scene) {
    let mut s = stats.lock().expect("stats lock should not be poisoned");
    s.detect_fps = settings.fps;
    s.unknown_labels = Vec::new();
    if settings.objects.is_some() {
        let mut unknown: Vec<String> =
            settings.camera.labels_named().filter(|l| !labels.iter().any(|k| k == l)).map(str::to_owned).collect();
        unknown.sort();
        unknown.dedup();
        s.unknown_labels = unknown;
    }
    s.lines = line_counts(scene);
}

/// Which detections count for a camera: its labels and box sizes.
struct Filter {
    /// Label indices that count; `None` for all.
    labels: Option<Vec<usize>>,
    min_area: f32,
    max_area: f32,
}

impl Filter {
    fn new(camera: &CameraAnalytics, labels: &[String]) -> Self {
        let wanted = crate::scene::label_filter(&camera.labels, labels);
        Self { labels: wanted, min_area: camera.min_area.unwrap_or(0.0), max_area: camera.max_area.unwrap_or(1.0) }
    }

    fn keeps(&self, d: &Detection) -> bool {
        let area = d.rect.w * d.rect.h;
        self.labels.as_ref().is_none_or(|l| l.contains(&d.label)) && area >= self.min_area && area <= self.max_area
    }
}

struct Worker {
    /// The model's labels.
    labels: Vec<String>,
    /// The settings in force.
    settings: Settings,
    /// When the last analysed picture arrived.
    last_analysed_us: Option<i64>,
    /// Which detections count.
    filter: Filter,
    /// The camera's zones and lines.
    scene: Scene,
    /// When the last picture came, on this machine's clock.
    last_picture: std::time::Instant,
    sampler: Sampler,
    scaler: GrayScaler,
    detector: MotionDetector,
    events: MotionEvents,
    tracker: Tracker,
    rgb: Scaler,
    /// When objects were last looked for (arrival time).
    last_look_us: Option<i64>,
    objects: Option<Objects>,
    decoding: Option<Decoding>,
    stats: Arc<Mutex<StreamAnalytics>>,
    changes: mpsc::Sender<Output>,
}

impl Worker {
    fn stats(&self) -> std::sync::MutexGuard<'_, StreamAnalytics> {
        self.stats.lock().expect("stats lock should not be poisoned")
    }

    fn describe(&mut self, d: &Description) {
        let codec = d.codec;
        self.sampler.restart();
        if u64::from(d.width) * u64::from(d.height) > MAX_PIXELS {
            let message = format!("the stream's pictures ({}x{}) are larger than 8K; not analysed", d.width, d.height);
            tracing::error!(%message);
            self.stats().error = Some(message);
            self.decoding = None;
            return;
        }
        self.decoding = match Decoder::new(codec, d.parameter_sets.iter().map(|p| &p[..])) {
            Ok(decoder) => {
                Some(Decoding { codec, timescale: i64::from(d.timescale.max(1)), decoder, pending: VecDeque::new() })
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot decode the stream");
                self.stats().error = Some(e.to_string());
                None
            }
        };
    }

    fn interrupted(&mut self) {
        self.decoding = None;
        self.sampler.restart();
        self.end_all();
    }

    /// Ends motion and every object: the stream stopped or went dark.
    fn end_all(&mut self) {
        let ended = self.events.end();
        self.report(ended);
        let left = self.tracker.end_all();
        for event in self.scene.end_all(&left) {
            self.send(Output::Scene(event));
        }
        for left in left {
            self.send(Output::Object(left));
        }
        self.stats().objects = 0;
    }

    fn picture(&mut self, p: &Picture) {
        {
            let mut stats = self.stats();
            stats.received += 1;
            stats.lost += u64::from(p.lost);
        }
        self.last_picture = std::time::Instant::now();
        if p.lost > 0 {
            self.sampler.restart();
        }
        let Some(decoding) = &mut self.decoding else { return };
        let pts_us = (i128::from(p.pts) * 1_000_000 / i128::from(decoding.timescale)) as i64;
        let analyse = match self.sampler.decide(decoding.codec, pts_us, p.keyframe, &p.data) {
            Decision::Skip => return,
            Decision::Decode => false,
            Decision::Analyse => true,
        };
        decoding.pending.push_back((p.pts, p.arrived_at_us, analyse));
        if decoding.pending.len() > MAX_PENDING {
            decoding.pending.pop_front();
        }
        let coded = Coded { data: &p.data, pts: p.pts, dts: None, keyframe: p.keyframe };
        let started = Instant::now();
        let sent = decoding.decoder.send(&coded);
        self.stats().stages.decode_us += micros(started);
        if let Err(e) = sent {
            self.failed(e);
            return;
        }
        loop {
            let Some(decoding) = &mut self.decoding else { return };
            let started = Instant::now();
            let received = decoding.decoder.receive();
            self.stats().stages.decode_us += micros(started);
            let Some(decoding) = &mut self.decoding else { return };
            let frame = match received {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    self.failed(e);
                    return;
                }
            };
            let pts = frame.pts().or(frame.timestamp());
            if u64::from(frame.width()) * u64::from(frame.height()) > MAX_PIXELS {
                let detail = format!("a {}x{} picture is larger than 8K", frame.width(), frame.height());
                self.decoding = None;
                self.failed(DecodeError::Refused { pts, detail });
                return;
            }
            let Some(at) = decoding.pending.iter().position(|(t, _, _)| Some(*t) == pts) else { continue };
            let (_, arrived_us, analyse) = decoding.pending.remove(at).expect("found above");
            let keyframes_only = self.sampler.keyframes_only();
            {
                let mut stats = self.stats();
                stats.decoded += 1;
                stats.error = None;
                stats.keyframes_only = keyframes_only;
            }
            if !analyse {
                continue;
            }
            let started = Instant::now();
            let gray = match self.scaler.scale(&frame) {
                Ok(gray) => gray,
                Err(e) => {
                    self.failed(DecodeError::Refused { pts, detail: format!("cannot scale the picture: {e}") });
                    return;
                }
            };
            let motion = self.detector.detect(&gray);
            self.last_analysed_us = Some(arrived_us);
            let change = self.events.push(arrived_us, &motion);
            {
                let mut stats = self.stats();
                stats.analysed += 1;
                stats.stages.motion_us += micros(started);
            }
            self.report(change);
            self.look_for_objects(&frame, arrived_us, motion.any());
        }
    }

    /// Runs the model on the picture while something moves or a moving
    /// object is followed, and every [`Objects::idle_every_us`] otherwise,
    /// and follows what it finds. A failed inference counts as a picture
    /// where nothing was found, so objects still leave in time.
    fn look_for_objects(&mut self, frame: &ffmpeg_next::util::frame::video::Video, arrived_us: i64, moving: bool) {
        let Some(objects) = self.objects.clone() else { return };
        let idle = self.last_look_us.is_none_or(|t| arrived_us.saturating_sub(t) >= objects.idle_every_us);
        // Objects that stand still (a parked car) do not keep the model busy.
        let following = self.tracker.tracks().iter().any(|t| !t.stationary);
        if !moving && !following && !idle {
            return;
        }
        self.last_look_us = Some(arrived_us);
        let started = Instant::now();
        let fit = objects.detector.letterbox(frame.width(), frame.height());
        let input = self
            .rgb
            .scale(frame, fit.scaled.0, fit.scaled.1)
            .map(|rgb| fit.planar(&rgb, fit.scaled.0 as usize * 3))
            .map_err(|e| format!("cannot convert the picture for the model: {e}"));
        self.stats().stages.preprocess_us += micros(started);
        let found =
            input.and_then(|input| objects.detector.detect(input, objects.tracking.low).map_err(|e| e.to_string()));
        let (candidates, took) = match found {
            Ok(found) => found,
            Err(e) => {
                self.follow(arrived_us, &[]);
                let mut stats = self.stats();
                stats.model_error = Some(e);
                stats.objects = self.tracker.tracks().iter().filter(|t| t.confirmed).count() as u32;
                return;
            }
        };
        let started = Instant::now();
        let detections: Vec<Detection> = candidates
            .iter()
            .map(|c| Detection { label: c.label, score: c.score, rect: fit.to_picture(c.bounds) })
            .filter(|d| self.filter.keeps(d))
            .collect();
        self.follow(arrived_us, &detections);
        let tracking = micros(started);
        let mut stats = self.stats();
        stats.model_error = None;
        stats.inference_ms = took.as_secs_f32() * 1000.0;
        stats.stages.inference_us += took.as_micros() as u64;
        stats.stages.inferences += 1;
        stats.stages.tracking_us += tracking;
        stats.objects = self.tracker.tracks().iter().filter(|t| t.confirmed).count() as u32;
    }

    /// Follows the objects found in the picture of `at_us`, and reports in
    /// order: objects that appeared, what happened in zones and on lines
    /// (an object's leaving included), then objects that left.
    fn follow(&mut self, at_us: i64, detections: &[Detection]) {
        let changes = self.tracker.update(at_us, detections);
        let scene = self.scene.update(at_us, self.tracker.tracks(), &changes);
        let (appeared, left): (Vec<TrackEvent>, Vec<TrackEvent>) =
            changes.into_iter().partition(|c| matches!(c, TrackEvent::Appeared(_)));
        for event in appeared {
            self.send(Output::Object(event));
        }
        if !scene.is_empty() {
            self.stats().lines = line_counts(&self.scene);
        }
        for event in scene {
            self.send(Output::Scene(event));
        }
        for event in left {
            self.send(Output::Object(event));
        }
    }

    /// Takes the camera's new settings in place: the stream, the objects
    /// followed and their events go on. Only what changed starts afresh: the
    /// sampler for a new rate, the background for new masks or sensitivity,
    /// zones and lines redrawn (those removed are left by whoever was in
    /// them).
    fn reconfigure(&mut self, settings: Settings) {
        if settings.fps != self.settings.fps {
            // Only the pace: a new sampler would wait for a keyframe, long
            // enough for every object followed to be taken for gone.
            self.sampler.set_fps(settings.fps);
        }
        if settings.motion != self.settings.motion {
            self.detector = MotionDetector::new(settings.motion.clone());
        }
        if let Some(objects) = &settings.objects {
            self.tracker.set_settings(objects.tracking);
        }
        self.objects = settings.objects.clone();
        self.filter = Filter::new(&settings.camera, &self.labels);
        let at = self.last_analysed_us.unwrap_or_else(|| chrono::Utc::now().timestamp_micros());
        let left = self.scene.reconfigure(&settings.camera, &self.labels, at);
        show_settings(&self.stats, &settings, &self.labels, &self.scene);
        self.settings = settings;
        for event in left {
            self.send(Output::Scene(event));
        }
    }

    /// A picture did not decode: count it and wait for the next keyframe.
    fn failed(&mut self, e: DecodeError) {
        tracing::debug!(error = %e, "picture did not decode");
        self.sampler.restart();
        let mut stats = self.stats();
        stats.decode_errors += 1;
        stats.error = Some(e.to_string());
    }

    fn report(&mut self, change: Option<Change>) {
        self.stats().motion = self.events.active();
        if let Some(change) = change {
            self.send(Output::Motion(change));
        }
    }

    fn send(&self, output: Output) {
        if self.changes.blocking_send(output).is_err() {
            tracing::debug!("a change after the camera stopped");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_camera_asks_its_own_rate_within_the_planes_ceiling() {
        let plane = Settings { max_fps: 15, ..Settings::new(5, None) };
        let asking = |fps| plane.for_camera(CameraAnalytics { fps, ..Default::default() }).fps;
        assert_eq!((asking(None), asking(Some(2)), asking(Some(30))), (5, 2, 15));
        let masked = CameraAnalytics {
            masks: vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]],
            motion_sensitivity: Some(80),
            ..Default::default()
        };
        let settings = plane.for_camera(masked);
        assert_eq!((settings.motion.masks.len(), settings.motion.sensitivity), (1, 80));
    }
}
