//! The analytics plane's figures for Prometheus (docs/guide/monitoring.md):
//! per camera stream, the pictures received, skipped by the media plane
//! (this plane fell behind), decoded, analysed and failed, the rate
//! achieved against the rate asked, and the objects followed; for the
//! model, each inference's time and the pictures waiting for it. The stream
//! figures are read at each scrape from what the plane reports anyway.

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric},
    metrics::{MetricType, counter::ConstCounter, family::Family, gauge::ConstGauge, histogram::Histogram},
};
use vms_metrics::Metrics;

use crate::{Streams, detect::service::Detector};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StreamLabels {
    camera: String,
    stream: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ModelLabels {
    model: String,
    provider: String,
}

/// Seconds one inference takes: 1 ms to 5 s.
const INFERENCE_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Registers the inference histogram of `model` run on `provider`; the
/// detector counts into what this returns.
pub(crate) fn inference_latency(registry: &Metrics, model: &str, provider: &str) -> Histogram {
    let family = Family::<ModelLabels, Histogram>::new_with_constructor(
        (|| Histogram::new(INFERENCE_BUCKETS)) as fn() -> Histogram,
    );
    registry.register(
        "vms_analytics_inference_seconds",
        "Seconds one inference took, by model and provider",
        family.clone(),
    );
    family.get_or_create(&ModelLabels { model: model.to_owned(), provider: provider.to_owned() }).clone()
}

/// Reads the streams' figures and the model's queue at each scrape.
pub(crate) struct AnalyticsCollector {
    pub(crate) streams: Streams,
    pub(crate) detector: Option<Detector>,
}

impl std::fmt::Debug for AnalyticsCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalyticsCollector").field("model", &self.detector.is_some()).finish_non_exhaustive()
    }
}

type Counts = [(&'static str, &'static str, MetricType); 8];

/// Name, help and type of each per-stream figure, in [`figures`]' order.
const FIGURES: Counts = [
    ("vms_analytics_frames_received", "Pictures received over the frame link", MetricType::Counter),
    (
        "vms_analytics_frames_lost",
        "Pictures the media plane skipped because analytics fell behind",
        MetricType::Counter,
    ),
    ("vms_analytics_frames_decoded", "Pictures decoded", MetricType::Counter),
    ("vms_analytics_frames_analysed", "Pictures analysed", MetricType::Counter),
    ("vms_analytics_decode_errors", "Pictures that failed to decode", MetricType::Counter),
    ("vms_analytics_fps", "Pictures a second analysed, over the last report interval", MetricType::Gauge),
    ("vms_analytics_detect_fps", "Pictures a second asked for", MetricType::Gauge),
    ("vms_analytics_objects", "Objects followed now", MetricType::Gauge),
];

fn figures(s: &vms_bus::status::StreamAnalytics) -> [f64; 8] {
    [
        s.received as f64,
        s.lost as f64,
        s.decoded as f64,
        s.analysed as f64,
        s.decode_errors as f64,
        f64::from(s.fps),
        f64::from(s.detect_fps),
        f64::from(s.objects),
    ]
}

impl Collector for AnalyticsCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let rows: Vec<(StreamLabels, [f64; 8])> = {
            let streams = self.streams.lock().expect("stats lock should not be poisoned");
            streams
                .values()
                .map(|s| {
                    let s = s.lock().expect("stats lock should not be poisoned");
                    (StreamLabels { camera: s.camera_id.to_string(), stream: s.stream.clone() }, figures(&s))
                })
                .collect()
        };
        for (i, (name, help, kind)) in FIGURES.iter().enumerate() {
            let mut family = encoder.encode_descriptor(name, help, None, *kind)?;
            for (labels, values) in &rows {
                let metric = family.encode_family(labels)?;
                match kind {
                    MetricType::Counter => ConstCounter::new(values[i]).encode(metric)?,
                    _ => ConstGauge::<f64>::new(values[i]).encode(metric)?,
                }
            }
        }
        if let Some(detector) = &self.detector {
            let waiting = ConstGauge::new(detector.waiting() as i64);
            waiting.encode(encoder.encode_descriptor(
                "vms_analytics_inference_queue",
                "Pictures waiting for the model or being run now",
                None,
                waiting.metric_type(),
            )?)?;
        }
        Ok(())
    }
}
