//! Semantic checks after parsing; each error names its key.

use crate::{Config, ConfigError};

pub(crate) fn validate(c: &Config) -> Result<(), ConfigError> {
    if c.version != 1 {
        return Err(ConfigError::invalid("version", format!("unsupported version {}; expected 1", c.version)));
    }
    if c.node_id.is_empty() || !c.node_id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(ConfigError::invalid("node_id", "must be non-empty and use only letters, digits, '-' and '_'"));
    }
    if c.bus_prefix.is_empty() || !c.bus_prefix.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(ConfigError::invalid("bus_prefix", "must be non-empty and use only letters, digits, '-' and '_'"));
    }
    let header = &c.control.trusted_proxy_header;
    if header.is_empty() || !header.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
        return Err(ConfigError::invalid(
            "control.trusted_proxy_header",
            "must be a header name such as x-forwarded-for or forwarded",
        ));
    }
    check_scheme("database.url", c.database.url.as_deref(), &["postgres", "postgresql"])?;
    check_scheme("database.owner_url", c.database.owner_url.as_deref(), &["postgres", "postgresql"])?;
    check_scheme("database.audit_url", c.database.audit_url.as_deref(), &["postgres", "postgresql"])?;
    check_scheme("redis.url", c.redis.url.as_deref(), &["redis", "rediss", "unix", "redis+unix"])?;
    check_scheme("nats.url", c.nats.url.as_deref(), &["nats", "tls"])?;
    check_scheme("control.grpc_url", c.control.grpc_url.as_deref(), &["http", "https"])?;
    check_scheme("control.public_url", c.control.public_url.as_deref(), &["http", "https"])?;
    for (key, port) in [
        ("database.embedded_port", c.database.embedded_port),
        ("redis.embedded_port", c.redis.embedded_port),
        ("nats.embedded_port", c.nats.embedded_port),
    ] {
        if port == 0 {
            return Err(ConfigError::invalid(key, "must be a port between 1 and 65535"));
        }
    }
    if !(2..=3600).contains(&c.recording.segment_secs) {
        return Err(ConfigError::invalid("recording.segment_secs", "must be between 2 and 3600"));
    }
    if !(1..=3600).contains(&c.recording.retention_interval_secs) {
        return Err(ConfigError::invalid("recording.retention_interval_secs", "must be between 1 and 3600"));
    }
    if !(1..=36500).contains(&c.recording.orphan_retention_days) {
        return Err(ConfigError::invalid("recording.orphan_retention_days", "must be between 1 and 36500"));
    }
    if c.recording.roots.iter().any(|r| r.path.as_os_str().is_empty()) {
        return Err(ConfigError::invalid("recording.roots", "every root needs a path"));
    }
    for (key, value) in
        [("export.max_running_per_user", c.export.max_running_per_user), ("export.max_running", c.export.max_running)]
    {
        if value == 0 {
            return Err(ConfigError::invalid(key, "must be at least 1"));
        }
    }
    if !(60..=366 * 24 * 3600).contains(&c.export.keep_secs) {
        return Err(ConfigError::invalid("export.keep_secs", "must be between 60 and 31622400 (366 days)"));
    }
    if c.database.max_connections == 0 {
        return Err(ConfigError::invalid("database.max_connections", "must be at least 1"));
    }
    if c.control.access_token_ttl_secs < 60 || c.control.access_token_ttl_secs > 3600 {
        return Err(ConfigError::invalid("control.access_token_ttl_secs", "must be between 60 and 3600"));
    }
    for (key, value) in [
        ("control.login_attempts_per_ip_per_minute", c.control.login_attempts_per_ip_per_minute),
        ("control.login_failures_before_lockout", c.control.login_failures_before_lockout),
        ("control.login_lockout_base_secs", c.control.login_lockout_base_secs),
        ("control.api_requests_per_minute", c.control.api_requests_per_minute),
        ("control.password_hash_concurrency", c.control.password_hash_concurrency),
    ] {
        if value == 0 {
            return Err(ConfigError::invalid(key, "must be at least 1"));
        }
    }
    if c.control.tls.mode == crate::TlsMode::Files {
        for (key, file) in
            [("control.tls.cert_file", &c.control.tls.cert_file), ("control.tls.key_file", &c.control.tls.key_file)]
        {
            if file.is_none() {
                return Err(ConfigError::invalid(key, "is required when control.tls.mode is `files`"));
            }
        }
    }
    if !(5..=3600).contains(&c.control.ticket_ttl_secs) {
        return Err(ConfigError::invalid("control.ticket_ttl_secs", "must be between 5 and 3600"));
    }
    // The database keeps seven years whatever is asked (migration 0011); a
    // shorter setting would only mislead whoever reads the file.
    if c.control.audit_retention_days < 2557 {
        return Err(ConfigError::invalid("control.audit_retention_days", "must be at least 2557 (7 years)"));
    }
    if c.control.login_lockout_max_secs < c.control.login_lockout_base_secs {
        return Err(ConfigError::invalid(
            "control.login_lockout_max_secs",
            "must not be below login_lockout_base_secs",
        ));
    }
    if c.control.plane_stale_after_secs == 0 {
        return Err(ConfigError::invalid("control.plane_stale_after_secs", "must be at least 1"));
    }
    for (name, plane) in [("media", c.media.settings()), ("recorder", c.recorder.settings()), ("ai", c.ai.settings())] {
        if plane.status_interval_secs == 0 {
            return Err(ConfigError::invalid(&format!("{name}.status_interval_secs"), "must be at least 1"));
        }
    }
    if !(1..=300).contains(&c.ingest.request_timeout_secs) {
        return Err(ConfigError::invalid("ingest.request_timeout_secs", "must be between 1 and 300"));
    }
    if c.ingest.tick_ms > 100 {
        return Err(ConfigError::invalid("ingest.tick_ms", "must be between 0 and 100"));
    }
    let e = &c.events;
    for (key, value, range) in [
        ("events.webhook_max_attempts", e.webhook_max_attempts, 1..=100),
        ("events.webhook_retry_secs", e.webhook_retry_secs, 1..=3600),
        ("events.webhook_timeout_secs", e.webhook_timeout_secs, 1..=60),
    ] {
        if !range.contains(&value) {
            let why = format!("must be between {} and {}", range.start(), range.end());
            return Err(ConfigError::invalid(key, &why));
        }
    }
    c.mqtt.validate()?;
    let a = &c.analytics;
    for (key, value, range) in [
        ("analytics.detect_fps", a.detect_fps, 1..=30),
        ("analytics.max_detect_fps", a.max_detect_fps, 1..=30),
        ("analytics.motion_height", a.motion_height, 48..=480),
        ("analytics.motion_end_secs", a.motion_end_secs, 1..=600),
        ("analytics.event_queue", a.event_queue, 100..=1_000_000),
        ("analytics.inference_threads", a.inference_threads, 1..=64),
        ("analytics.idle_detect_secs", a.idle_detect_secs, 1..=3600),
    ] {
        if !range.contains(&value) {
            let why = format!("must be between {} and {}", range.start(), range.end());
            return Err(ConfigError::invalid(key, &why));
        }
    }
    if a.detect_fps > a.max_detect_fps {
        return Err(ConfigError::invalid(
            "analytics.detect_fps",
            "must not be above analytics.max_detect_fps, the most any camera may ask for",
        ));
    }
    if !(0.05..=0.99).contains(&a.min_score) {
        return Err(ConfigError::invalid("analytics.min_score", "must be between 0.05 and 0.99"));
    }
    if !["cpu", "cuda"].contains(&a.provider.as_str()) {
        return Err(ConfigError::invalid("analytics.provider", "must be cpu or cuda"));
    }
    c.limits.validate()?;
    let s = &c.supervisor;
    if s.planes.is_empty() {
        return Err(ConfigError::invalid("supervisor.planes", "must name at least one plane"));
    }
    let mut seen = s.planes.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != s.planes.len() {
        return Err(ConfigError::invalid("supervisor.planes", "names a plane twice"));
    }
    if s.restart_initial_ms == 0 || s.restart_initial_ms > s.restart_max_ms {
        return Err(ConfigError::invalid(
            "supervisor.restart_initial_ms",
            "must be at least 1 and not above supervisor.restart_max_ms",
        ));
    }
    if s.watchdog_secs != 0 && s.watchdog_secs < 5 {
        return Err(ConfigError::invalid(
            "supervisor.watchdog_secs",
            "must be 0 (off) or at least 5: a plane reports its status every few seconds",
        ));
    }
    Ok(())
}

fn check_scheme(key: &str, value: Option<&str>, schemes: &[&str]) -> Result<(), ConfigError> {
    let Some(value) = value else { return Ok(()) };
    let scheme = value.split_once("://").map(|(s, _)| s).unwrap_or_default();
    if schemes.contains(&scheme) {
        Ok(())
    } else {
        // The value may hold a password, so it is not echoed.
        Err(ConfigError::invalid(key, format!("must be a URL with scheme {}", schemes.join(", "))))
    }
}
