//! Prometheus metrics of one VMS process (docs/design/0007-metrics.md).
//!
//! Each process keeps one [`Metrics`] registry: its parts register their
//! counters, gauges and histograms into it at start and update them as they
//! work, and the process's own figures (CPU, memory, descriptors, uptime,
//! restarts) are read at each scrape. [`serve`] answers `GET /metrics` on the
//! process's metrics listener, loopback only unless a bearer token protects
//! it. Names start with `vms_` (the process figures keep Prometheus's usual
//! `process_` names), and labels hold bounded values only: ids, kinds,
//! outcomes, never URLs or user names.

mod process;
mod server;

use std::sync::{Arc, RwLock};

pub use process::RESTARTS_ENV;
pub use prometheus_client;
use prometheus_client::{collector::Collector, registry::Registry};
pub use server::{OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, serve, spawn_for};

/// One process's metrics registry; cheap to clone, shared by its parts.
#[derive(Clone, Debug)]
pub struct Metrics(Arc<RwLock<Registry>>);

impl Metrics {
    /// A registry holding the process's own figures already: CPU seconds,
    /// resident memory, open descriptors, start time, uptime and the
    /// restarts its supervisor counted (`VMS_RESTARTS`).
    pub fn new() -> Self {
        let mut registry = Registry::default();
        registry.register_collector(Box::new(process::ProcessCollector::start()));
        Self(Arc::new(RwLock::new(registry)))
    }

    /// Registers `metric` as `name` (with `vms_` in front already) and
    /// `help`; a counter's samples gain `_total`.
    pub fn register<M>(&self, name: &str, help: &str, metric: M)
    where
        M: prometheus_client::registry::Metric,
    {
        self.0.write().expect("metrics registry lock should not be poisoned").register(name, help, metric);
    }

    /// Registers a collector, whose figures are read at each scrape.
    pub fn register_collector(&self, collector: Box<dyn Collector>) {
        self.0.write().expect("metrics registry lock should not be poisoned").register_collector(collector);
    }

    /// Every registered metric in the Prometheus text format (0.0.4), which
    /// every Prometheus and `promtool` reads.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let registry = self.0.read().expect("metrics registry lock should not be poisoned");
        prometheus_client::encoding::prometheus_text::encode(&mut out, &registry)
            .expect("writing to a String cannot fail");
        out
    }

    /// Every registered metric in OpenMetrics 1.0 text, for a scraper that
    /// asks for it.
    pub fn encode_openmetrics(&self) -> String {
        let mut out = String::new();
        let registry = self.0.read().expect("metrics registry lock should not be poisoned");
        prometheus_client::encoding::text::encode(&mut out, &registry).expect("writing to a String cannot fail");
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use prometheus_client::metrics::counter::Counter;

    use super::*;

    #[test]
    fn a_registry_holds_the_process_figures_and_what_its_parts_register() {
        let metrics = Metrics::new();
        let requests = Counter::<u64>::default();
        metrics.register("vms_test_requests", "Requests seen", requests.clone());
        requests.inc_by(3);
        let text = metrics.encode();
        assert!(text.contains("vms_test_requests_total 3"), "{text}");
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds"] {
            assert!(text.contains(name), "{name} missing: {text}");
        }
        assert!(text.contains("vms_process_uptime_seconds"), "{text}");
        assert!(!text.contains("# EOF"), "{text}");
        assert!(metrics.encode_openmetrics().ends_with("# EOF\n"));
    }
}
