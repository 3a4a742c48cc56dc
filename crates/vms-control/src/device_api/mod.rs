//! Devices: discovering them on the network (`/api/discovery/scan`),
//! onboarding an ONVIF device as a camera with its streams
//! (`/api/cameras/onboard`), importing NVRs' channels as cameras
//! (`/api/nvrs`), and steering PTZ cameras (`/api/cameras/{id}/ptz/...`).
//!
//! Control talks to devices itself, through `vms-devices`, and only at the
//! addresses the installation's device policy allows (the same policy as
//! camera stream URLs: no loopback unless allowed, no link-local, none of
//! its own ports), checked on every address a name resolves to.

pub mod model;
pub mod nvr;
mod nvr_channels;
pub mod nvr_model;
pub mod onboard;
pub mod ptz;
pub mod scan;

use std::{sync::Arc, time::Duration};

use vms_base::ErrorCode;
use vms_config::DevicePolicy;
use vms_devices::{DeviceError, Limits, http::AddressGuard};

use crate::error::ApiError;

/// How long one request to a device may take.
const DEVICE_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest reply read from a device.
const DEVICE_MAX_BODY: usize = 1 << 20;

/// Onboardings talking to devices at once, in all, and per tenant.
const ONBOARDING_AT_ONCE: usize = 8;
const ONBOARDING_PER_TENANT: usize = 2;

/// Onboardings in progress, in all and per tenant, so one tenant's devices
/// that never answer cannot hold every other tenant's onboarding up.
#[derive(Default)]
pub struct OnboardingSlots {
    running: std::sync::Mutex<std::collections::HashMap<uuid::Uuid, usize>>,
}

/// One onboarding's place; freed when dropped.
pub struct OnboardingSlot {
    slots: Arc<OnboardingSlots>,
    tenant: uuid::Uuid,
}

impl OnboardingSlots {
    /// Takes a place for `tenant`, if one is free.
    pub fn take(self: &Arc<Self>, tenant: uuid::Uuid) -> Option<OnboardingSlot> {
        let mut running = self.running.lock().expect("onboarding lock");
        let all: usize = running.values().sum();
        let mine = running.get(&tenant).copied().unwrap_or(0);
        if all >= ONBOARDING_AT_ONCE || mine >= ONBOARDING_PER_TENANT {
            return None;
        }
        running.insert(tenant, mine + 1);
        Some(OnboardingSlot { slots: self.clone(), tenant })
    }
}

impl Drop for OnboardingSlot {
    fn drop(&mut self) {
        let mut running = self.slots.running.lock().expect("onboarding lock");
        if let Some(count) = running.get_mut(&self.tenant) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.tenant);
            }
        }
    }
}

/// What the device handlers share: running scans, connected PTZ devices
/// and the per-camera PTZ rate.
#[derive(Clone)]
pub struct Devices {
    /// Scans running and recently finished.
    pub scans: Arc<scan::ScanRegistry>,
    /// Onboardings in progress (each talks to a device for up to 30 s).
    pub onboarding: Arc<OnboardingSlots>,
    /// Connected devices of PTZ cameras, and their rate limits and audit windows.
    pub ptz: Arc<ptz::PtzSessions>,
    /// The port WS-Discovery probes go to (3702; tests use another).
    pub discovery_port: u16,
}

impl Devices {
    /// The state for `discovery_port`.
    pub fn new(discovery_port: u16) -> Self {
        Devices { scans: Arc::default(), onboarding: Arc::default(), ptz: Arc::default(), discovery_port }
    }
}

/// The limits of every request to a device, with `policy` checked on each address.
pub(crate) fn limits(policy: &Arc<DevicePolicy>) -> Limits {
    let policy = policy.clone();
    let guard: AddressGuard = Arc::new(move |addr| policy.check(addr).map_err(|refusal| refusal.to_string()));
    Limits { timeout: DEVICE_TIMEOUT, max_body: DEVICE_MAX_BODY, guard: Some(guard) }
}

/// A device's failure as the API answers it: refused credentials are the
/// caller's to fix (400 `device_auth_failed`), silence is 504
/// `device_unreachable`, a refused address is the caller's input (400), and
/// an answer that cannot be used is the device's fault (503).
pub(crate) fn device_error(e: DeviceError) -> ApiError {
    match e {
        DeviceError::AuthFailed => ApiError::new(ErrorCode::DeviceAuthFailed, e.to_string()),
        // Whether the connection was refused, reset or timed out is for the
        // log: an answer that told them apart would map the network for anyone
        // who may add a camera.
        DeviceError::Timeout { ref host, .. }
        | DeviceError::Unreachable { ref host, .. }
        | DeviceError::Silent { ref host, .. }
        | DeviceError::Closed { ref host } => {
            tracing::debug!(error = %e, "device unreachable");
            ApiError::new(ErrorCode::DeviceUnreachable, format!("the device at {host} did not answer"))
        }
        DeviceError::Refused { .. } | DeviceError::Invalid(_) => ApiError::invalid("address", e),
        DeviceError::Unsupported(_) => ApiError::new(ErrorCode::FailedPrecondition, e.to_string()),
        // A device's own refusal is worth showing; how some other server
        // answered is for the log (it would say what runs on a port).
        DeviceError::Fault { .. } | DeviceError::Missing(_) => {
            ApiError::new(ErrorCode::Unavailable, format!("the device's answer cannot be used: {e}"))
        }
        DeviceError::Http { .. } | DeviceError::TooLarge { .. } | DeviceError::Xml(_) | DeviceError::Json(_) => {
            tracing::info!(error = %e, "a device's answer cannot be used");
            ApiError::new(
                ErrorCode::Unavailable,
                "the device did not answer in the protocol asked of it (the log says how)",
            )
        }
        DeviceError::Stream(_) => {
            tracing::info!(error = %e, "a device's event stream cannot be read");
            ApiError::new(ErrorCode::Unavailable, "the device's event stream cannot be read (the log says how)")
        }
    }
}
