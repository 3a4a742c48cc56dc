//! Configuration errors, each naming the file or key at fault.

use std::path::PathBuf;

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file (or a `*_file` secret) could not be read.
    #[error("failed to read {path}: {source}")]
    Io {
        /// The file that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("failed to parse {path}: {message}")]
    Syntax {
        /// The file at fault.
        path: PathBuf,
        /// The parser's description, with line and column.
        message: String,
    },
    /// A key is unknown, has the wrong type or fails validation.
    #[error("invalid config key `{key}`: {message}")]
    Invalid {
        /// Dotted path of the key, e.g. `control.listen`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

impl ConfigError {
    pub(crate) fn invalid(key: &str, message: impl Into<String>) -> Self {
        ConfigError::Invalid { key: key.to_owned(), message: message.into() }
    }
}
