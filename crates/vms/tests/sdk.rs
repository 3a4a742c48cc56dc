//! The generated SDKs against a real running system: the TypeScript package's
//! tests (`node --test sdk/typescript/test`) and the Python client's
//! (`pytest sdk/tests/python`) list cameras, post events and page through
//! them, export recorded footage and download it, and meet a 401 and a 429,
//! on control, media and the recorder with a simulated camera.

mod common;

use std::{path::Path, process::Command, time::Duration};

use common::{
    recording::files_under,
    stack::{camsim, sandbox},
    wait_until,
};
use vms_catalog::camera::Transport;

/// The repository's root (this crate is `crates/vms`).
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().parent().unwrap()
}

/// Where `scripts/setup.sh` installs the API tools, with the Python the SDK's tests run on.
fn api_tools() -> std::path::PathBuf {
    match std::env::var_os("VMS_API_TOOLS") {
        Some(dir) => dir.into(),
        None => Path::new(&std::env::var("HOME").expect("HOME")).join(".cache/techno-vms/api-tools"),
    }
}

/// Runs a command in the repository with the system's coordinates in its
/// environment and fails the test with its output when it fails.
fn run(what: &str, command: &mut Command, env: &[(&str, String)]) {
    let out =
        command.current_dir(repo()).envs(env.iter().map(|(k, v)| (*k, v.as_str()))).output().unwrap_or_else(|e| {
            panic!("{what} could not start: {e}");
        });
    let said = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed:\n{said}");
    eprintln!("{what}:\n{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_generated_sdks_work_against_a_running_system() {
    vms_base::tracing_setup::install();
    let sdk = repo().join("sdk/typescript");
    assert!(
        sdk.join("node_modules/openapi-fetch").exists(),
        "sdk/typescript has no node_modules: scripts/sdk.sh installs them (the test command runs it first)"
    );
    let python = api_tools().join("bin/python");
    assert!(python.exists(), "{} is missing: scripts/setup.sh installs the API tools", python.display());

    let sim = camsim(&["cam=h264_720p"]).await;
    // A low per-caller limit, so the SDKs meet a 429 within a few dozen calls.
    let stack = sandbox(|c| {
        c.recording.segment_secs = 2;
        c.control.api_requests_per_minute = 120;
    })
    .await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("integrator", "Integrator-password-1", &["admin"]).await;
    let _control = stack.start_control().await;
    let _media = stack.start_media();
    let _recorder = stack.start_recorder();
    let dir = stack.recordings().join(camera.to_string()).join("main");
    wait_until("three recorded files", Duration::from_secs(60), || async {
        (files_under(&dir).len() >= 3).then_some(())
    })
    .await;

    let env = [
        ("VMS_URL", stack.http()),
        ("VMS_USER", "integrator".to_owned()),
        ("VMS_PASSWORD", "Integrator-password-1".to_owned()),
        ("VMS_CAMERA", camera.to_string()),
    ];
    run(
        "tsc (sdk/typescript)",
        Command::new("node").args(["sdk/typescript/node_modules/typescript/bin/tsc", "-p", "sdk/typescript"]),
        &env,
    );
    run("the TypeScript SDK's tests", Command::new("node").args(["--test", "sdk/typescript/test/"]), &env);
    let mut pytest = Command::new(&python);
    pytest.args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "sdk/tests/python"]).env("PYTHONPATH", "sdk/python");
    run("the Python SDK's tests", &mut pytest, &env);
}
