//! The watchdog's alerts: built-in rules ([`rule`]) whose thresholds a
//! super-admin edits through `/api/alert-rules`, checked every few seconds
//! against what control knows ([`checks`]: open camera outages, the index,
//! the planes' status reports, the licence, the audit chain), raised and
//! cleared with hysteresis ([`engine`]), listed by `GET /api/alerts`,
//! counted in `/health/ready` and Prometheus, and published as `alert`
//! events so rules, webhooks, MQTT and notifications apply to them
//! ([`runner`]).

pub mod checks;
pub mod engine;
pub mod rule;
pub mod runner;

use std::sync::{Arc, RwLock};

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric},
    metrics::{counter::Counter, family::Family, gauge::ConstGauge},
};

pub use engine::Alert;
use rule::AlertKind;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

/// The alerts raised now, shared by the runner (which writes them) and the
/// API and health handlers (which read them).
#[derive(Clone, Debug, Default)]
pub struct AlertBoard {
    active: Arc<RwLock<Vec<Alert>>>,
    raised: Family<KindLabels, Counter>,
}

impl AlertBoard {
    /// A board whose figures go into `registry`: alerts active and raised, by rule.
    pub fn new(registry: &vms_metrics::Metrics) -> Self {
        let board = Self::default();
        registry.register("vms_alerts_raised", "Alerts raised, by rule", board.raised.clone());
        registry.register_collector(Box::new(ActiveCollector(board.active.clone())));
        board
    }

    /// The alerts raised now, oldest first.
    pub fn active(&self) -> Vec<Alert> {
        self.active.read().expect("alerts lock should not be poisoned").clone()
    }

    /// Replaces the alerts raised now.
    pub(crate) fn set(&self, alerts: Vec<Alert>) {
        *self.active.write().expect("alerts lock should not be poisoned") = alerts;
    }

    /// Counts a raised alert.
    pub(crate) fn count_raised(&self, kind: AlertKind) {
        self.raised.get_or_create(&KindLabels { kind: kind.as_str() }).inc();
    }
}

/// Reads the active alerts at each scrape: a series for every rule, zero
/// when quiet, so a dashboard can tell "no alert" from "no data".
#[derive(Debug)]
struct ActiveCollector(Arc<RwLock<Vec<Alert>>>);

impl Collector for ActiveCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let active = self.0.read().expect("alerts lock should not be poisoned");
        let mut family = encoder.encode_descriptor(
            "vms_alerts_active",
            "Alerts raised now, by rule",
            None,
            prometheus_client::metrics::MetricType::Gauge,
        )?;
        for kind in AlertKind::ALL {
            let count = active.iter().filter(|a| a.kind == kind).count();
            let gauge = ConstGauge::new(i64::try_from(count).unwrap_or(i64::MAX));
            gauge.encode(family.encode_family(&KindLabels { kind: kind.as_str() })?)?;
        }
        Ok(())
    }
}
