//! The keys settable from `VMS_*` variables and `--set` flags.

use crate::ConfigError;

/// How a raw string from the environment or a flag becomes a TOML value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Taken verbatim.
    Str,
    /// A non-negative integer.
    Int,
    /// `true` or `false` (also `1`/`0`, `yes`/`no`).
    Bool,
    /// A comma-separated list of strings.
    List,
}

impl ValueKind {
    pub(crate) fn convert(self, key: &str, raw: &str) -> Result<toml::Value, ConfigError> {
        Ok(match self {
            ValueKind::Str => toml::Value::String(raw.to_owned()),
            ValueKind::Int => toml::Value::Integer(
                raw.trim()
                    .parse::<u32>()
                    .map_err(|_| ConfigError::invalid(key, format!("expected an integer, got `{raw}`")))?
                    .into(),
            ),
            ValueKind::Bool => toml::Value::Boolean(match raw.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err(ConfigError::invalid(key, format!("expected true or false, got `{raw}`"))),
            }),
            ValueKind::List => toml::Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| toml::Value::String(s.to_owned()))
                    .collect(),
            ),
        })
    }
}

/// A config key that may be set from the environment or a flag.
#[derive(Debug, Clone, Copy)]
pub struct EnvKey {
    /// Environment variable name.
    pub env: &'static str,
    /// Dotted config path.
    pub path: &'static str,
    /// How to convert the raw value.
    pub kind: ValueKind,
}

const fn key(env: &'static str, path: &'static str, kind: ValueKind) -> EnvKey {
    EnvKey { env, path, kind }
}

/// Every key settable from `VMS_*` variables (and `--set key=value`), documented in docs/ref/config.md.
pub const ENV_KEYS: &[EnvKey] = &[
    key("VMS_DATA_DIR", "data_dir", ValueKind::Str),
    key("VMS_NODE_ID", "node_id", ValueKind::Str),
    key("VMS_BUS_PREFIX", "bus_prefix", ValueKind::Str),
    key("VMS_CONTROL_LISTEN", "control.listen", ValueKind::Str),
    key("VMS_CONTROL_GRPC_LISTEN", "control.grpc_listen", ValueKind::Str),
    key("VMS_CONTROL_GRPC_URL", "control.grpc_url", ValueKind::Str),
    key("VMS_CONTROL_PUBLIC_URL", "control.public_url", ValueKind::Str),
    key("VMS_CONTROL_WEB_DIR", "control.web_dir", ValueKind::Str),
    key("VMS_CONTROL_TLS_MODE", "control.tls.mode", ValueKind::Str),
    key("VMS_CONTROL_TLS_CERT_FILE", "control.tls.cert_file", ValueKind::Str),
    key("VMS_CONTROL_TLS_KEY_FILE", "control.tls.key_file", ValueKind::Str),
    key("VMS_CONTROL_ACCESS_TOKEN_TTL_SECS", "control.access_token_ttl_secs", ValueKind::Int),
    key("VMS_MEDIA_GRPC_LISTEN", "media.grpc_listen", ValueKind::Str),
    key("VMS_INGEST_REQUEST_TIMEOUT_SECS", "ingest.request_timeout_secs", ValueKind::Int),
    key("VMS_INGEST_TICK_MS", "ingest.tick_ms", ValueKind::Int),
    key("VMS_EVENTS_WEBHOOK_MAX_ATTEMPTS", "events.webhook_max_attempts", ValueKind::Int),
    key("VMS_EVENTS_WEBHOOK_RETRY_SECS", "events.webhook_retry_secs", ValueKind::Int),
    key("VMS_EVENTS_WEBHOOK_TIMEOUT_SECS", "events.webhook_timeout_secs", ValueKind::Int),
    key("VMS_EVENTS_WEBHOOK_CA_FILE", "events.webhook_ca_file", ValueKind::Str),
    key("VMS_MQTT_URL", "mqtt.url", ValueKind::Str),
    key("VMS_MQTT_USERNAME", "mqtt.username", ValueKind::Str),
    key("VMS_MQTT_PASSWORD_FILE", "mqtt.password_file", ValueKind::Str),
    key("VMS_MQTT_CA_FILE", "mqtt.ca_file", ValueKind::Str),
    key("VMS_MQTT_CLIENT_ID", "mqtt.client_id", ValueKind::Str),
    key("VMS_MQTT_TOPIC_PREFIX", "mqtt.topic_prefix", ValueKind::Str),
    key("VMS_MQTT_HOME_ASSISTANT", "mqtt.home_assistant", ValueKind::Bool),
    key("VMS_MQTT_DISCOVERY_PREFIX", "mqtt.discovery_prefix", ValueKind::Str),
    key("VMS_MQTT_QUEUE_MAX", "mqtt.queue_max", ValueKind::Int),
    key("VMS_ANALYTICS_DETECT_FPS", "analytics.detect_fps", ValueKind::Int),
    key("VMS_ANALYTICS_MAX_DETECT_FPS", "analytics.max_detect_fps", ValueKind::Int),
    key("VMS_ANALYTICS_MOTION_HEIGHT", "analytics.motion_height", ValueKind::Int),
    key("VMS_ANALYTICS_MOTION_END_SECS", "analytics.motion_end_secs", ValueKind::Int),
    key("VMS_ANALYTICS_EVENT_QUEUE", "analytics.event_queue", ValueKind::Int),
    key("VMS_ANALYTICS_MODEL", "analytics.model", ValueKind::Str),
    key("VMS_ANALYTICS_LABELS", "analytics.labels", ValueKind::Str),
    key("VMS_ANALYTICS_RUNTIME", "analytics.runtime", ValueKind::Str),
    key("VMS_ANALYTICS_PROVIDER", "analytics.provider", ValueKind::Str),
    key("VMS_ANALYTICS_INFERENCE_THREADS", "analytics.inference_threads", ValueKind::Int),
    key("VMS_ANALYTICS_IDLE_DETECT_SECS", "analytics.idle_detect_secs", ValueKind::Int),
    key("VMS_DEVICES_ALLOW_LOOPBACK", "devices.allow_loopback", ValueKind::Bool),
    key("VMS_DEVICES_DISCOVERY_PORT", "devices.discovery_port", ValueKind::Int),
    key("VMS_RESTREAM_LISTEN", "restream.listen", ValueKind::Str),
    key("VMS_LIVE_LISTEN", "live.listen", ValueKind::Str),
    key("VMS_LINK_LISTEN", "link.listen", ValueKind::Str),
    key("VMS_ARCHIVE_LISTEN", "archive.listen", ValueKind::Str),
    key("VMS_METRICS_CONTROL", "metrics.control", ValueKind::Str),
    key("VMS_METRICS_MEDIA", "metrics.media", ValueKind::Str),
    key("VMS_METRICS_RECORDER", "metrics.recorder", ValueKind::Str),
    key("VMS_METRICS_AI", "metrics.ai", ValueKind::Str),
    key("VMS_METRICS_TOKEN_FILE", "metrics.token_file", ValueKind::Str),
    key("VMS_LIVE_WEBRTC_PORT", "live.webrtc_port", ValueKind::Int),
    key("VMS_LIVE_WEBRTC_ADDRESSES", "live.webrtc_addresses", ValueKind::List),
    key("VMS_LIMITS_MAX_CONNECTIONS", "limits.max_connections", ValueKind::Int),
    key("VMS_LIMITS_MAX_CONNECTIONS_PER_IP", "limits.max_connections_per_ip", ValueKind::Int),
    key("VMS_LIMITS_HEADER_TIMEOUT_SECS", "limits.header_timeout_secs", ValueKind::Int),
    key("VMS_LIMITS_IDLE_TIMEOUT_SECS", "limits.idle_timeout_secs", ValueKind::Int),
    key("VMS_LIMITS_EXEMPT_ADDRESSES", "limits.exempt_addresses", ValueKind::List),
    key("VMS_RECORDER_GRPC_LISTEN", "recorder.grpc_listen", ValueKind::Str),
    key("VMS_RECORDING_SEGMENT_SECS", "recording.segment_secs", ValueKind::Int),
    key("VMS_RECORDING_RETENTION_INTERVAL_SECS", "recording.retention_interval_secs", ValueKind::Int),
    key("VMS_RECORDING_ORPHAN_RETENTION_DAYS", "recording.orphan_retention_days", ValueKind::Int),
    key("VMS_EXPORT_MAX_RUNNING_PER_USER", "export.max_running_per_user", ValueKind::Int),
    key("VMS_EXPORT_MAX_RUNNING", "export.max_running", ValueKind::Int),
    key("VMS_EXPORT_KEEP_SECS", "export.keep_secs", ValueKind::Int),
    key("VMS_AI_GRPC_LISTEN", "ai.grpc_listen", ValueKind::Str),
    key("VMS_DATABASE_URL", "database.url", ValueKind::Str),
    key("VMS_DATABASE_URL_FILE", "database.url_file", ValueKind::Str),
    key("VMS_DATABASE_OWNER_URL", "database.owner_url", ValueKind::Str),
    key("VMS_DATABASE_OWNER_URL_FILE", "database.owner_url_file", ValueKind::Str),
    key("VMS_DATABASE_AUDIT_URL", "database.audit_url", ValueKind::Str),
    key("VMS_DATABASE_AUDIT_URL_FILE", "database.audit_url_file", ValueKind::Str),
    key("VMS_DATABASE_EMBEDDED_PORT", "database.embedded_port", ValueKind::Int),
    key("VMS_DATABASE_MAX_CONNECTIONS", "database.max_connections", ValueKind::Int),
    key("VMS_REDIS_URL", "redis.url", ValueKind::Str),
    key("VMS_REDIS_URL_FILE", "redis.url_file", ValueKind::Str),
    key("VMS_REDIS_EMBEDDED_PORT", "redis.embedded_port", ValueKind::Int),
    key("VMS_NATS_URL", "nats.url", ValueKind::Str),
    key("VMS_NATS_URL_FILE", "nats.url_file", ValueKind::Str),
    key("VMS_NATS_EMBEDDED_PORT", "nats.embedded_port", ValueKind::Int),
    key("VMS_SUPERVISOR_PLANES", "supervisor.planes", ValueKind::List),
    key("VMS_SUPERVISOR_WATCHDOG_SECS", "supervisor.watchdog_secs", ValueKind::Int),
    key("VMS_DEMO_CAMSIM_LISTEN", "demo.camsim_listen", ValueKind::Str),
    key("VMS_DEMO_CLIPS_DIR", "demo.clips_dir", ValueKind::Str),
    key("VMS_DEMO_ONVIF_LISTEN", "demo.onvif_listen", ValueKind::Str),
    key("VMS_DEMO_NVR_LISTEN", "demo.nvr_listen", ValueKind::Str),
];

pub(crate) fn by_path(path: &str) -> Result<&'static EnvKey, ConfigError> {
    ENV_KEYS
        .iter()
        .find(|k| k.path == path)
        .ok_or_else(|| ConfigError::invalid(path, "unknown key (see docs/ref/config.md)"))
}

pub(crate) fn set_path(tree: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts = path.split('.').peekable();
    let mut table = tree;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            table.insert(part.to_owned(), value);
            return;
        }
        let entry = table.entry(part.to_owned()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        table = entry.as_table_mut().expect("entry was just made a table");
    }
}
