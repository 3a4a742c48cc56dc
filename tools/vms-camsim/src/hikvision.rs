//! Placeholder until the simulated hikvision NVR lands.
