//! Typed configuration of every VMS process.
//!
//! One TOML file configures all planes. Values are layered, lowest to highest:
//! built-in defaults, the file, `VMS_*` environment variables (see [`ENV_KEYS`]),
//! then command-line flags. The loader takes the environment as a map so tests
//! never touch the real process environment. Every error names the key at fault.
//!
//! Cameras, streams and retention policies are not configuration: they are
//! catalog data edited through the API.

pub mod devices;
mod error;
mod keys;
mod limits;
mod metrics;
mod model;
mod mqtt;
mod net;
mod validate;

use std::{collections::HashMap, path::Path};

pub use devices::{AddressRefusal, DevicePolicy, DevicesConfig};
pub use error::ConfigError;
pub use keys::{ENV_KEYS, EnvKey, ValueKind};
pub use limits::LimitsConfig;
pub use metrics::MetricsConfig;
pub use model::{
    AiPort, AnalyticsConfig, ArchiveConfig, Config, ControlConfig, DatabaseConfig, DefaultPort, DemoConfig,
    EXPORT_PUBLIC_KEY_FILE, EventsConfig, ExportConfig, IngestConfig, LinkConfig, LiveConfig, MediaPort, NatsPort,
    PlaneConfig, PlaneSettings, RecorderPort, RecordingConfig, RedisPort, RestreamConfig, ServerConfig, StorageRoot,
    SupervisorConfig, TlsConfig, TlsMode,
};
pub use mqtt::{MqttBroker, MqttConfig};
pub use net::IpRange;

/// A `key=value` override from the command line, e.g. `control.listen=0.0.0.0:9000`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Dotted config path, e.g. `control.listen`.
    pub key: String,
    /// Raw value as typed; converted according to the key's [`ValueKind`].
    pub value: String,
}

impl Override {
    /// Creates an override for `key`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self { key: key.into(), value: value.into() }
    }

    /// Parses `key=value` as typed after `--set`.
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let (key, value) = raw
            .split_once('=')
            .ok_or_else(|| ConfigError::Invalid { key: raw.to_owned(), message: "expected key=value".to_owned() })?;
        Ok(Self::new(key.trim(), value.trim()))
    }
}

/// Loads the configuration: defaults < `file` < `env` (`VMS_*`) < `flags`, then validates it.
///
/// Relative paths in the result are resolved against the current directory so
/// child processes started elsewhere see the same files.
pub fn load(file: Option<&Path>, env: &HashMap<String, String>, flags: &[Override]) -> Result<Config, ConfigError> {
    let mut tree = match file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_owned(), source })?;
            parse_file(path, &text)?
        }
        None => toml::Table::new(),
    };
    for key in ENV_KEYS {
        if let Some(raw) = env.get(key.env) {
            keys::set_path(&mut tree, key.path, key.kind.convert(key.path, raw)?);
        }
    }
    for flag in flags {
        let key = keys::by_path(&flag.key)?;
        keys::set_path(&mut tree, key.path, key.kind.convert(key.path, &flag.value)?);
    }
    let mut config = from_tree(tree)?;
    config.absolutize();
    validate::validate(&config)?;
    Ok(config)
}

/// Parses and validates a config file's text on its own (no env, no flags).
pub fn from_str(text: &str) -> Result<Config, ConfigError> {
    let config = from_tree(parse_file(Path::new("<inline>"), text)?)?;
    validate::validate(&config)?;
    Ok(config)
}

fn parse_file(path: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| ConfigError::Syntax { path: path.to_owned(), message: e.to_string() })
}

fn from_tree(tree: toml::Table) -> Result<Config, ConfigError> {
    serde_path_to_error::deserialize(toml::Value::Table(tree)).map_err(|e| {
        let key = e.path().to_string();
        let message = e.into_inner().message().to_owned();
        ConfigError::Invalid { key, message }
    })
}
