//! The planes of the system, each its own OS process.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// One of the VMS planes (see DESIGN.md §1). Each runs as `vms run <plane>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plane {
    /// REST/WebSocket API, auth, catalog, orchestration.
    Control,
    /// Camera ingest and fan-out.
    Media,
    /// Segment writing, retention and playback.
    Recorder,
    /// Analytics.
    Ai,
}

impl Plane {
    /// Every plane, in start order: control first so the others find their assignments.
    pub const ALL: [Plane; 4] = [Plane::Control, Plane::Media, Plane::Recorder, Plane::Ai];

    /// Returns the lowercase name used in commands, subjects and service names.
    pub fn as_str(self) -> &'static str {
        match self {
            Plane::Control => "control",
            Plane::Media => "media",
            Plane::Recorder => "recorder",
            Plane::Ai => "ai",
        }
    }
}

impl fmt::Display for Plane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Plane {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Plane::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown plane `{s}` (expected control, media, recorder or ai)"))
    }
}
