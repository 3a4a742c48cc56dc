//! The recorder's figures for Prometheus (docs/guide/monitoring.md): bytes
//! written per stream and how long each fragment took to reach the disk,
//! what retention removed and why, and each storage root's room, footage,
//! evidence locks and horizon. Roots are labelled by their configured path.

use std::sync::atomic::AtomicU64;

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
};
use uuid::Uuid;
use vms_base::StreamRole;
use vms_bus::status::StorageRootStatus;
use vms_metrics::Metrics;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StreamLabels {
    camera: String,
    stream: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RootLabels {
    root: String,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// Why retention removed a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Older than its camera's retention (or its camera's tenant is gone).
    Age,
    /// Its root was over its quota.
    Quota,
    /// Its root's filesystem was short of the free-space floor.
    FreeSpace,
}

impl Reason {
    pub(crate) const ALL: [Reason; 3] = [Reason::Age, Reason::Quota, Reason::FreeSpace];

    fn label(self) -> &'static str {
        match self {
            Reason::Age => "age",
            Reason::Quota => "quota",
            Reason::FreeSpace => "free_space",
        }
    }
}

/// Seconds a fragment takes to be written and synced: 1 ms to 10 s.
const WRITE_BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The recorder's figures.
#[derive(Clone, Debug)]
pub(crate) struct RecorderMetrics {
    written: Family<StreamLabels, Counter>,
    write_seconds: Histogram,
    removed_files: Family<ReasonLabels, Counter>,
    removed_bytes: Family<ReasonLabels, Counter>,
    root_bytes: [(&'static str, Family<RootLabels, Gauge>); 5],
    oldest: Family<RootLabels, FloatGauge>,
}

impl RecorderMetrics {
    /// Registers the recorder's figures in `registry`.
    pub(crate) fn new(registry: &Metrics) -> Self {
        let m = Self {
            written: Family::default(),
            write_seconds: Histogram::new(WRITE_BUCKETS),
            removed_files: Family::default(),
            removed_bytes: Family::default(),
            root_bytes: [
                ("vms_storage_size_bytes", Family::default()),
                ("vms_storage_free_bytes", Family::default()),
                ("vms_storage_recorded_bytes", Family::default()),
                ("vms_storage_locked_bytes", Family::default()),
                ("vms_storage_quota_bytes", Family::default()),
            ],
            oldest: Family::default(),
        };
        registry.register("vms_recorder_written_bytes", "Bytes of recordings written and synced", m.written.clone());
        registry.register(
            "vms_recorder_fragment_write_seconds",
            "Seconds to write and sync one fragment (a GOP) to disk",
            m.write_seconds.clone(),
        );
        registry.register(
            "vms_retention_removed_files",
            "Recording files retention removed, by reason",
            m.removed_files.clone(),
        );
        registry.register(
            "vms_retention_removed_bytes",
            "Bytes of recordings retention removed, by reason",
            m.removed_bytes.clone(),
        );
        let helps = [
            "Size of the storage root's filesystem",
            "Bytes the storage root's filesystem still has for recordings",
            "Bytes of recordings indexed in the storage root",
            "Of the root's recordings, bytes locked as evidence",
            "The storage root's quota (absent without one)",
        ];
        for ((name, family), help) in m.root_bytes.iter().zip(helps) {
            registry.register(name, help, family.clone());
        }
        registry.register(
            "vms_storage_oldest_footage_timestamp_seconds",
            "Where the root's oldest footage starts (the retention horizon), in seconds since the Unix epoch",
            m.oldest.clone(),
        );
        registry.register_collector(Box::new(IndexCollector));
        for reason in Reason::ALL {
            let labels = ReasonLabels { reason: reason.label() };
            drop(m.removed_files.get_or_create(&labels));
            drop(m.removed_bytes.get_or_create(&labels));
        }
        m
    }

    /// What one stream's files count their writes into.
    pub(crate) fn writes(&self, camera: Uuid, role: StreamRole) -> WriteMetrics {
        let labels = StreamLabels { camera: camera.to_string(), stream: role.as_str().to_owned() };
        WriteMetrics { written: self.written.get_or_create(&labels).clone(), seconds: self.write_seconds.clone() }
    }

    /// Drops a stream's series: it is no longer recorded here.
    pub(crate) fn forget(&self, camera: Uuid, role: StreamRole) {
        self.written.remove(&StreamLabels { camera: camera.to_string(), stream: role.as_str().to_owned() });
    }

    /// Counts a file retention removed.
    pub(crate) fn removed(&self, reason: Reason, bytes: u64) {
        let labels = ReasonLabels { reason: reason.label() };
        self.removed_files.get_or_create(&labels).inc();
        self.removed_bytes.get_or_create(&labels).inc_by(bytes);
    }

    /// Shows each root as the last sweep measured it.
    pub(crate) fn storage(&self, roots: &[StorageRootStatus]) {
        for root in roots {
            let labels = RootLabels { root: root.path.clone() };
            // A filesystem that could not be measured is unknown, not empty:
            // a 0 would read as a full disk. (The root's error may also be
            // the database's, while the filesystem was measured.)
            let measured = root.total_bytes > 0;
            let values = [
                measured.then_some(root.total_bytes),
                measured.then_some(root.free_bytes),
                Some(root.recorded_bytes),
                Some(root.locked_bytes),
                root.max_bytes,
            ];
            for ((_, family), value) in self.root_bytes.iter().zip(values) {
                match value {
                    Some(v) => {
                        family.get_or_create(&labels).set(i64::try_from(v).unwrap_or(i64::MAX));
                    }
                    None => {
                        family.remove(&labels);
                    }
                }
            }
            match root.oldest {
                Some(at) => {
                    self.oldest.get_or_create(&labels).set(at.timestamp_millis() as f64 / 1000.0);
                }
                None => {
                    self.oldest.remove(&labels);
                }
            }
        }
    }
}

/// Where one stream's files count what they write.
#[derive(Clone, Debug)]
pub(crate) struct WriteMetrics {
    written: Counter,
    seconds: Histogram,
}

impl Default for WriteMetrics {
    /// Figures counted nowhere (a file written outside a recording, in tests).
    fn default() -> Self {
        Self { written: Counter::default(), seconds: Histogram::new(WRITE_BUCKETS) }
    }
}

impl WriteMetrics {
    /// Counts a fragment of `bytes` that took `seconds` to reach the disk.
    pub(crate) fn fragment(&self, bytes: usize, seconds: f64) {
        self.written.inc_by(bytes as u64);
        self.seconds.observe(seconds);
    }
}

/// Reads, at each scrape, how far behind the recording index is and what
/// it let go.
#[derive(Debug)]
struct IndexCollector;

impl prometheus_client::collector::Collector for IndexCollector {
    fn encode(&self, mut encoder: prometheus_client::encoding::DescriptorEncoder) -> Result<(), std::fmt::Error> {
        use prometheus_client::{
            encoding::EncodeMetric,
            metrics::{counter::ConstCounter, gauge::ConstGauge},
        };
        let (lag, waiting) = crate::index::counters::lag();
        let lag = ConstGauge::new(lag);
        lag.encode(encoder.encode_descriptor(
            "vms_recorder_index_lag_seconds",
            "How far the recording index is behind the files written",
            None,
            lag.metric_type(),
        )?)?;
        let waiting = ConstGauge::new(i64::try_from(waiting).unwrap_or(i64::MAX));
        waiting.encode(encoder.encode_descriptor(
            "vms_recorder_index_queue",
            "Index updates waiting for the database",
            None,
            waiting.metric_type(),
        )?)?;
        let dropped = crate::index::counters::dropped_index_updates();
        let mut family = encoder.encode_descriptor(
            "vms_recorder_index_updates_dropped",
            "Index updates let go: refused by the database, or shed for a full queue (files are read back later)",
            None,
            prometheus_client::metrics::MetricType::Counter,
        )?;
        for (reason, count) in [("refused", dropped.refused), ("shed", dropped.shed)] {
            ConstCounter::new(count).encode(family.encode_family(&ReasonLabels { reason })?)?;
        }
        Ok(())
    }
}
