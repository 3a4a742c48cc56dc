//! Placeholder until the simulated dahua NVR lands.
