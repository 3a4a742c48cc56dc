//! The sandbox of `vms-sandbox` as these tests use it: its `vms` processes
//! run this build's binary, and camsim's clips are kept in the build directory.

use uuid::Uuid;
use vms_catalog::camera::Transport;
use vms_config::Config;
use vms_sandbox::{Sandbox, SandboxBuilder};

/// A sandbox builder whose `vms` processes run this build's binary.
pub fn builder() -> SandboxBuilder {
    Sandbox::builder().vms_binary(env!("CARGO_BIN_EXE_vms"))
}

/// A sandbox; `tweak` adjusts the configuration (every listener is on a free port already).
pub async fn sandbox(tweak: impl FnOnce(&mut Config)) -> Sandbox {
    builder().config(tweak).build().await
}

/// Starts the camera simulator with `cameras` (`name=clip[?options]`); clips
/// are generated once per build directory.
pub async fn camsim(cameras: &[&str]) -> vms_camsim::Camsim {
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let cameras = cameras.iter().map(|c| vms_camsim::camera::Camera::parse(c).unwrap()).collect();
    vms_camsim::Camsim::start("127.0.0.1:0".parse().unwrap(), &clips, cameras).await.unwrap()
}

/// A simulated camera named `cam` playing `clip`, on a fresh sandbox that
/// knows it (over TCP); returns the simulator, the sandbox and the camera's id.
pub async fn one_camera(clip: &str) -> (vms_camsim::Camsim, Sandbox, Uuid) {
    vms_base::tracing_setup::install();
    let sim = camsim(&[&format!("cam={clip}")]).await;
    let stack = sandbox(|_| {}).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    (sim, stack, camera)
}
