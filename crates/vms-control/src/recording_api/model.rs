//! Recording settings bodies.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vms_catalog::recording::Settings;

use crate::error::ApiError;

/// A camera's recording settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordingSettings {
    /// Days recordings are kept (1–36500); `null` keeps them until their
    /// storage root needs the space for newer ones (oldest go first).
    pub retention_days: Option<i32>,
}

impl RecordingSettings {
    /// Checks the values.
    pub fn validate(&self) -> Result<Settings, ApiError> {
        if let Some(days) = self.retention_days
            && !(1..=36_500).contains(&days)
        {
            return Err(ApiError::invalid("retention_days", "must be between 1 and 36500, or null"));
        }
        Ok(Settings { retention_days: self.retention_days })
    }
}

impl From<Settings> for RecordingSettings {
    fn from(s: Settings) -> Self {
        Self { retention_days: s.retention_days }
    }
}
