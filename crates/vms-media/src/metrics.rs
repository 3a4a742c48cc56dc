//! The media plane's figures per camera stream, for Prometheus
//! (docs/guide/monitoring.md): its state, frame and byte rates, pictures and
//! bytes received, reconnects and when its last keyframe came. Labels are
//! the camera's id and the stream's role, never its URL; a stream's series
//! go when the stream is no longer pulled here.

use std::sync::atomic::AtomicU64;

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, gauge::Gauge},
};
use uuid::Uuid;
use vms_base::StreamRole;
use vms_bus::hot::{StreamState, StreamStatus};
use vms_metrics::Metrics;

/// A stream's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StreamLabels {
    camera: String,
    stream: String,
}

/// A stream's labels with one of its states.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    camera: String,
    stream: String,
    state: &'static str,
}

type FloatGauge = Gauge<f64, AtomicU64>;

const STATES: [(StreamStatus, &str); 3] =
    [(StreamStatus::Connecting, "connecting"), (StreamStatus::Online, "online"), (StreamStatus::Offline, "offline")];

/// The media plane's stream figures.
#[derive(Clone)]
pub(crate) struct MediaMetrics {
    state: Family<StateLabels, Gauge>,
    fps: Family<StreamLabels, FloatGauge>,
    bitrate: Family<StreamLabels, FloatGauge>,
    last_keyframe: Family<StreamLabels, FloatGauge>,
    frames: Family<StreamLabels, Counter>,
    bytes: Family<StreamLabels, Counter>,
    reconnects: Family<StreamLabels, Counter>,
}

impl MediaMetrics {
    /// Registers the stream figures in `registry`.
    pub(crate) fn new(registry: &Metrics) -> Self {
        let m = Self {
            state: Family::default(),
            fps: Family::default(),
            bitrate: Family::default(),
            last_keyframe: Family::default(),
            frames: Family::default(),
            bytes: Family::default(),
            reconnects: Family::default(),
        };
        registry.register(
            "vms_stream_state",
            "1 for the stream's current state (connecting, online, offline)",
            m.state.clone(),
        );
        registry.register("vms_stream_fps", "Pictures per second over the last 5 s", m.fps.clone());
        registry.register(
            "vms_stream_bitrate_bytes_per_second",
            "Bytes per second over the last 5 s",
            m.bitrate.clone(),
        );
        registry.register(
            "vms_stream_last_keyframe_timestamp_seconds",
            "When the stream's last keyframe arrived, in seconds since the Unix epoch",
            m.last_keyframe.clone(),
        );
        registry.register("vms_stream_frames_received", "Pictures received from the camera", m.frames.clone());
        registry.register("vms_stream_received_bytes", "Bytes of pictures received from the camera", m.bytes.clone());
        registry.register(
            "vms_stream_reconnects",
            "Sessions with the camera started after the first",
            m.reconnects.clone(),
        );
        m
    }

    /// The figures of one stream. Every handle is taken now and kept, so
    /// what the stream's ingest writes after [`forget`](Self::forget) (it
    /// may run a moment longer) goes nowhere instead of bringing it back.
    pub(crate) fn stream(&self, camera: Uuid, role: StreamRole) -> StreamSeries {
        let labels = StreamLabels { camera: camera.to_string(), stream: role.as_str().to_owned() };
        let states = STATES.map(|(status, state)| {
            let labels = StateLabels { camera: labels.camera.clone(), stream: labels.stream.clone(), state };
            (status, self.state.get_or_create(&labels).clone())
        });
        StreamSeries {
            states,
            fps: self.fps.get_or_create(&labels).clone(),
            bitrate: self.bitrate.get_or_create(&labels).clone(),
            last_keyframe: self.last_keyframe.get_or_create(&labels).clone(),
            frames: self.frames.get_or_create(&labels).clone(),
            bytes: self.bytes.get_or_create(&labels).clone(),
            reconnects: self.reconnects.get_or_create(&labels).clone(),
        }
    }

    /// Drops a stream's series: it is no longer pulled here.
    pub(crate) fn forget(&self, camera: Uuid, role: StreamRole) {
        let labels = StreamLabels { camera: camera.to_string(), stream: role.as_str().to_owned() };
        for family in [&self.fps, &self.bitrate, &self.last_keyframe] {
            family.remove(&labels);
        }
        for family in [&self.frames, &self.bytes, &self.reconnects] {
            family.remove(&labels);
        }
        for (_, state) in STATES {
            self.state.remove(&StateLabels { camera: labels.camera.clone(), stream: labels.stream.clone(), state });
        }
    }
}

/// One stream's figures, kept by its ingest.
#[derive(Clone)]
pub(crate) struct StreamSeries {
    states: [(StreamStatus, Gauge); 3],
    fps: FloatGauge,
    bitrate: FloatGauge,
    last_keyframe: FloatGauge,
    frames: Counter,
    bytes: Counter,
    reconnects: Counter,
}

impl StreamSeries {
    /// Shows `state` (published to Redis and NATS as well).
    pub(crate) fn state(&self, state: &StreamState) {
        for (status, gauge) in &self.states {
            gauge.set(i64::from(state.status == *status));
        }
        let online = state.status == StreamStatus::Online;
        self.fps.set(if online { state.fps.unwrap_or(0.0) } else { 0.0 });
        self.bitrate.set(if online { state.bitrate_kbps.unwrap_or(0.0) * 1000.0 / 8.0 } else { 0.0 });
        if let Some(at) = state.last_keyframe_at {
            self.last_keyframe.set(at.timestamp_millis() as f64 / 1000.0);
        }
    }

    /// Counts a picture of `bytes`.
    pub(crate) fn frame(&self, bytes: usize) {
        self.frames.inc();
        self.bytes.inc_by(bytes as u64);
    }

    /// Counts a session started after the first.
    pub(crate) fn reconnect(&self) {
        self.reconnects.inc();
    }
}

/// Reads, at each scrape, the viewings open of each stream by transport,
/// and the frames each stream dropped for consumers that fell behind.
pub(crate) struct ViewersCollector {
    pub(crate) viewers: crate::viewers::Viewers,
    pub(crate) streams: crate::streams::Streams,
}

impl std::fmt::Debug for ViewersCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ViewersCollector")
    }
}

/// A stream's labels with a transport.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ViewerLabels {
    camera: String,
    stream: String,
    transport: &'static str,
}

impl prometheus_client::collector::Collector for ViewersCollector {
    fn encode(&self, mut encoder: prometheus_client::encoding::DescriptorEncoder) -> Result<(), std::fmt::Error> {
        use prometheus_client::encoding::EncodeMetric;
        let mut family = encoder.encode_descriptor(
            "vms_stream_viewers",
            "Viewers watching the stream now, by transport (rtsp, webrtc, mse, hls)",
            None,
            prometheus_client::metrics::MetricType::Gauge,
        )?;
        for (watched, count) in self.viewers.counts() {
            let labels = ViewerLabels {
                camera: watched.camera.to_string(),
                stream: watched.role.as_str().to_owned(),
                transport: watched.transport.as_str(),
            };
            prometheus_client::metrics::gauge::ConstGauge::new(count as i64).encode(family.encode_family(&labels)?)?;
        }
        let mut family = encoder.encode_descriptor(
            "vms_stream_frames_dropped",
            "Pictures dropped for consumers (viewers, recorder, analytics) that fell behind, all together",
            None,
            prometheus_client::metrics::MetricType::Counter,
        )?;
        for (camera, role, dropped) in self.streams.dropped() {
            let labels = StreamLabels { camera: camera.to_string(), stream: role.as_str().to_owned() };
            prometheus_client::metrics::counter::ConstCounter::new(dropped).encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }
}
