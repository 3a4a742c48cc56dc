//! Placeholder until the hikvision reader lands.

use url::Url;

use crate::{Credentials, DeviceError, Limits, nvr::Inventory};

/// Reads the NVR's identity and channels.
pub async fn inventory(_base: &Url, _credentials: &Credentials, _limits: Limits) -> Result<Inventory, DeviceError> {
    Err(DeviceError::Unsupported("hikvision NVRs"))
}
