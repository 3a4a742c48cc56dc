//! The `[metrics]` section: where each process serves its Prometheus
//! metrics (docs/guide/monitoring.md, docs/design/0007-metrics.md).

use std::{net::SocketAddr, path::PathBuf};

use serde::{Deserialize, Serialize};
use vms_base::Plane;

/// The `[metrics]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Control's metrics listener. Default: `127.0.0.1:9310`.
    pub control: SocketAddr,
    /// The media plane's. Default: `127.0.0.1:9311`.
    pub media: SocketAddr,
    /// The recorder's. Default: `127.0.0.1:9312`.
    pub recorder: SocketAddr,
    /// The analytics plane's. Default: `127.0.0.1:9313`.
    pub ai: SocketAddr,
    /// File holding the token a scraper beyond loopback sends as
    /// `Authorization: Bearer <token>`. Loopback scrapers need none; without
    /// a token, others are refused even on an open listener. Default: none.
    pub token_file: Option<PathBuf>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
        Self { control: at(9310), media: at(9311), recorder: at(9312), ai: at(9313), token_file: None }
    }
}

impl MetricsConfig {
    /// The listener of `plane`'s metrics.
    pub fn listen(&self, plane: Plane) -> SocketAddr {
        match plane {
            Plane::Control => self.control,
            Plane::Media => self.media,
            Plane::Recorder => self.recorder,
            Plane::Ai => self.ai,
        }
    }

    /// Reads the token (surrounding white space trimmed); `None` without a
    /// `token_file`. An empty file is an error, never an empty token.
    pub fn token(&self) -> std::io::Result<Option<String>> {
        let Some(file) = &self.token_file else { return Ok(None) };
        let failed = |why: String| std::io::Error::other(format!("metrics.token_file {}: {why}", file.display()));
        let text = std::fs::read_to_string(file).map_err(|e| failed(e.to_string()))?;
        let token = text.trim();
        if token.is_empty() {
            return Err(failed("is empty".to_owned()));
        }
        Ok(Some(token.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_read_trimmed_and_never_empty() {
        let dir = std::env::temp_dir().join(format!("vms-metrics-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        let mut config = MetricsConfig::default();
        assert_eq!(config.token().unwrap(), None);
        config.token_file = Some(file.clone());
        assert!(config.token().is_err(), "a missing file is an error");
        std::fs::write(&file, " s3cret-token \n").unwrap();
        assert_eq!(config.token().unwrap().as_deref(), Some("s3cret-token"));
        std::fs::write(&file, "\n").unwrap();
        assert!(config.token().is_err(), "an empty token is an error");
        assert_eq!(config.listen(Plane::Recorder).port(), 9312);
        let _ = std::fs::remove_dir_all(dir);
    }
}
