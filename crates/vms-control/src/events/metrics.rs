//! The events pipeline's figures for Prometheus (docs/guide/monitoring.md):
//! events accepted by type, messages by what storing them did, rules fired
//! and their actions by kind, webhook calls by outcome, and the MQTT
//! bridge's connection and queue. Event types are an open set (an
//! integration names its own), so at most [`MAX_TYPES`] of them get their
//! own series and the rest count as `other`.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex, atomic::Ordering},
};

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric},
    metrics::{
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::ConstGauge,
    },
};
use vms_metrics::Metrics;

use super::ingest::IngestStats;

/// Event types with a series of their own.
const MAX_TYPES: usize = 100;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TypeLabels {
    r#type: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// What a webhook call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The receiver answered 2xx.
    Delivered,
    /// It failed and will be tried again.
    Failed,
    /// It failed for the last time.
    Dead,
}

/// The pipeline's counters, updated where things happen.
#[derive(Debug)]
pub struct EventMetrics {
    accepted: Family<TypeLabels, Counter>,
    types: Mutex<HashSet<String>>,
    fired: Counter,
    actions: Family<KindLabels, Counter>,
    deliveries: Family<OutcomeLabels, Counter>,
}

impl EventMetrics {
    /// Registers the counters in `registry`.
    pub fn new(registry: &Metrics) -> Arc<Self> {
        let m = Arc::new(Self {
            accepted: Family::default(),
            types: Mutex::default(),
            fired: Counter::default(),
            actions: Family::default(),
            deliveries: Family::default(),
        });
        registry.register("vms_events_accepted", "Event messages accepted, by event type", m.accepted.clone());
        registry.register("vms_rules_fired", "Times a rule fired", m.fired.clone());
        registry.register("vms_rule_actions", "Actions of fired rules, by kind", m.actions.clone());
        registry.register("vms_webhook_deliveries", "Webhook calls, by outcome", m.deliveries.clone());
        for outcome in ["delivered", "failed", "dead"] {
            drop(m.deliveries.get_or_create(&OutcomeLabels { outcome }));
        }
        m
    }

    /// Counts an accepted message of event type `kind`.
    pub fn accepted(&self, kind: &str) {
        let label = {
            let mut types = self.types.lock().expect("event types lock should not be poisoned");
            if types.contains(kind) || (types.len() < MAX_TYPES && types.insert(kind.to_owned())) {
                kind.to_owned()
            } else {
                "other".to_owned()
            }
        };
        self.accepted.get_or_create(&TypeLabels { r#type: label }).inc();
    }

    /// Counts a rule that fired with `actions`.
    pub fn fired(&self, actions: &[vms_rules::Action]) {
        self.fired.inc();
        for action in actions {
            let kind = match action {
                vms_rules::Action::Snapshot => "snapshot",
                vms_rules::Action::Record { .. } => "record",
                vms_rules::Action::Webhook { .. } => "webhook",
                vms_rules::Action::Mqtt { .. } => "mqtt",
                vms_rules::Action::Notify { .. } => "notify",
            };
            self.actions.get_or_create(&KindLabels { kind }).inc();
        }
    }

    /// Counts a webhook call's outcome.
    pub fn delivery(&self, outcome: Delivery) {
        let outcome = match outcome {
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
            Delivery::Dead => "dead",
        };
        self.deliveries.get_or_create(&OutcomeLabels { outcome }).inc();
    }
}

/// Reads, at each scrape, what the pipeline already counts: messages by
/// what storing them did, fired rules dropped for a full queue, and the
/// MQTT bridge's state.
pub struct PipelineCollector {
    /// The consumer's counts.
    pub stats: Arc<IngestStats>,
    /// The actions queue.
    pub actions: Arc<crate::rules::actions::ActionQueue>,
    /// The MQTT bridge, when one is configured.
    pub mqtt: Option<Arc<crate::mqtt::Bridge>>,
}

impl std::fmt::Debug for PipelineCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineCollector").field("mqtt", &self.mqtt.is_some()).finish_non_exhaustive()
    }
}

impl Collector for PipelineCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let messages = encoder.encode_descriptor(
            "vms_events_messages",
            "Event messages handled, by what storing them did",
            None,
            prometheus_client::metrics::MetricType::Counter,
        )?;
        let s = &self.stats;
        let mut family = messages;
        for (outcome, count) in
            [("stored", &s.stored), ("updated", &s.updated), ("unchanged", &s.unchanged), ("rejected", &s.rejected)]
        {
            let labels = OutcomeLabels { outcome };
            ConstCounter::new(count.load(Ordering::Relaxed)).encode(family.encode_family(&labels)?)?;
        }
        let dropped = ConstCounter::new(self.actions.dropped.load(Ordering::Relaxed));
        dropped.encode(encoder.encode_descriptor(
            "vms_rule_actions_dropped",
            "Fired rules whose snapshot and MQTT actions were dropped for a full queue",
            None,
            dropped.metric_type(),
        )?)?;
        if let Some(mqtt) = &self.mqtt {
            let view = mqtt.view();
            let gauge = |encoder: &mut DescriptorEncoder, name: &str, help: &str, value: i64| {
                let gauge = ConstGauge::new(value);
                gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)
            };
            gauge(
                &mut encoder,
                "vms_mqtt_connected",
                "1 while the MQTT broker holds the connection",
                i64::from(view.connected),
            )?;
            gauge(
                &mut encoder,
                "vms_mqtt_queued_messages",
                "Messages waiting for the MQTT broker",
                view.queued as i64,
            )?;
            let published = ConstCounter::new(view.published);
            published.encode(encoder.encode_descriptor(
                "vms_mqtt_published_messages",
                "Messages handed to the MQTT broker",
                None,
                published.metric_type(),
            )?)?;
            let dropped = ConstCounter::new(view.dropped);
            dropped.encode(encoder.encode_descriptor(
                "vms_mqtt_dropped_messages",
                "Messages dropped because the MQTT queue was full",
                None,
                dropped.metric_type(),
            )?)?;
        }
        Ok(())
    }
}
