//! The generated SDKs against a real running system: the TypeScript package's
//! tests (`node --test sdk/typescript/test`) and the Python client's
//! (`pytest sdk/tests/python`) list cameras, post events and page through
//! them, export recorded footage and download it, and meet a 401 and a 429,
//! on control, media and the recorder with a simulated camera. And the
//! examples of docs/guide/integrations.md, run as a reader would run them:
//! a door sensor posting an event, which a rule sends to a webhook receiver
//! that checks its signature and to MQTT, read by the MQTT example; and the
//! export of a camera's last hour.

mod common;

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use common::{
    recording::files_under,
    stack::{camsim, sandbox},
    wait_until,
};
use serde_json::json;
use vms_catalog::camera::Transport;
use vms_testkit::mosquitto::Mosquitto;

/// The repository's root (this crate is `crates/vms`).
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().parent().unwrap()
}

/// Runs a command in the repository with the system's coordinates in its
/// environment and fails the test with its output when it fails.
fn run(what: &str, command: &mut Command, env: &[(&str, String)]) {
    let out = command
        .current_dir(repo())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap_or_else(|e| {
            panic!("{what} could not start: {e}");
        });
    let said = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed:\n{said}");
    eprintln!("{what}:\n{said}");
}

/// The TypeScript SDK's package, built from its current sources by
/// `scripts/sdk.sh` (which the test command runs first): the tests only read it.
fn built_typescript_sdk() -> std::path::PathBuf {
    let sdk = repo().join("sdk/typescript");
    let modified = |path: &str| std::fs::metadata(sdk.join(path)).and_then(|m| m.modified()).ok();
    let built = modified("dist/index.js").unwrap_or_else(|| panic!("sdk/typescript is not built: run scripts/sdk.sh"));
    for source in ["src/index.ts", "src/schema.d.ts"] {
        assert!(modified(source).unwrap() <= built, "sdk/typescript/dist is older than {source}: run scripts/sdk.sh");
    }
    assert!(sdk.join("node_modules/openapi-fetch").exists(), "sdk/typescript has no node_modules: run scripts/sdk.sh");
    sdk
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_generated_sdks_work_against_a_running_system() {
    vms_base::tracing_setup::install();
    built_typescript_sdk();
    let python = vms_testkit::api_tools().join("bin/python");
    assert!(python.exists(), "{} is missing: scripts/setup.sh installs the API tools", python.display());

    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = sandbox(|c| c.recording.segment_secs = 2).await;
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
    run("the TypeScript SDK's tests", Command::new("node").args(["--test", "sdk/typescript/test/"]), &env);
    let mut pytest = Command::new(&python);
    pytest.args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "sdk/tests/python"]).env("PYTHONPATH", "sdk/python");
    run("the Python SDK's tests", &mut pytest, &env);
}

/// A child process killed when the test ends, whichever way it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` with its stdout piped; its lines arrive on the channel.
fn spawn_lines(command: &mut Command) -> (Running, std::sync::mpsc::Receiver<String>) {
    let mut child = command
        .current_dir(repo())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example should start");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Running(child), rx)
}

/// The next line of `lines` that contains `needle`, within `within`.
fn line_with(lines: &std::sync::mpsc::Receiver<String>, needle: &str, within: Duration) -> String {
    let until = std::time::Instant::now() + within;
    loop {
        let left = until.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => continue,
            Err(_) => panic!("no line with {needle:?} within {within:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_integration_examples_in_the_guide_work() {
    vms_base::tracing_setup::install();
    let python = vms_testkit::api_tools().join("bin/python");
    assert!(python.exists(), "{} is missing: scripts/setup.sh installs the API tools", python.display());
    let sdk = built_typescript_sdk();
    let broker = Mosquitto::start().await;
    let secrets = tempfile::tempdir().unwrap();
    let password_file = secrets.path().join("mqtt-password");
    std::fs::write(&password_file, format!("{}\n", broker.password)).unwrap();
    let sim = camsim(&["door=h264_720p"]).await;
    let (url, user, file) = (broker.url(), broker.user.clone(), password_file.clone());
    let stack = sandbox(move |c| {
        c.recording.segment_secs = 2;
        c.mqtt.url = Some(url);
        c.mqtt.username = Some(user);
        c.mqtt.password_file = Some(file);
    })
    .await;
    let (camera, _) = stack.add_camera("Back door", sim.url("door"), Transport::Tcp, None).await;
    stack.add_user("installer", "Installer-password-1", &["admin"]).await;
    let _control = stack.start_control().await;
    let _media = stack.start_media();
    let _recorder = stack.start_recorder();
    let token = stack.login("installer", "Installer-password-1").await;
    let key = stack
        .post(
            Some(&token),
            "/api/api-keys",
            json!({"name": "door sensor", "permissions": ["event.create", "camera.view_archive", "camera.export"]}),
        )
        .await;
    let key = key["key"].as_str().unwrap_or_else(|| panic!("an API key: {key}")).to_owned();

    // The receiver, a webhook pointing at it, and a rule sending door openings there and to MQTT.
    let port = vms_testkit::free_port();
    let webhook = stack
        .post(Some(&token), "/api/webhooks", json!({"name": "receiver", "url": format!("http://127.0.0.1:{port}/")}))
        .await;
    let secret = webhook["secret"].as_str().unwrap_or_else(|| panic!("a webhook: {webhook}")).to_owned();
    let rule = json!({
        "name": "door opened", "enabled": true, "cooldown_secs": 0,
        "conditions": {"types": ["door_opened"]},
        "actions": [{"kind": "webhook", "webhook_id": webhook["id"]}, {"kind": "mqtt"}],
    });
    let rule = stack.post(Some(&token), "/api/rules", rule).await;
    assert!(rule["id"].is_string(), "{rule}");
    let mut receiver = Command::new(&python);
    receiver.args(["docs/examples/webhook_receiver.py", &port.to_string()]).env("VMS_WEBHOOK_SECRET", &secret);
    let (_receiver, received) = spawn_lines(&mut receiver);
    line_with(&received, "listening", Duration::from_secs(10));
    let (reader, reader_password) = broker.reader();
    let mut mqtt = Command::new("docs/examples/mqtt_listen.sh");
    mqtt.envs([
        ("MQTT_HOST", "127.0.0.1".to_owned()),
        ("MQTT_PORT", broker.port.to_string()),
        ("MQTT_USER", reader.to_owned()),
        ("MQTT_PASSWORD", reader_password.to_owned()),
    ]);
    let (_mqtt, published) = spawn_lines(&mut mqtt);
    // A new rule is at work within seconds: post a probe until both the
    // receiver and the MQTT reader have seen one, so neither is still
    // starting when the door sensor posts.
    let probe = json!({"camera_id": camera, "type": "door_opened", "attributes": {"door": "probe"}});
    let mut seen = (false, false);
    for _ in 0..30 {
        stack.post(Some(&token), "/api/events", probe.clone()).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        seen.0 |= received.try_iter().any(|line| line.contains("door_opened"));
        seen.1 |= published.try_iter().any(|line| line.contains("/door_opened"));
        if seen == (true, true) {
            break;
        }
    }
    assert_eq!(seen, (true, true), "the rule's webhook call and MQTT message for a probe (receiver, reader)");

    // The door sensor posts; the receiver verifies the call and MQTT carries the event.
    let env = [("VMS_URL", stack.http()), ("VMS_API_KEY", key.clone()), ("VMS_CAMERA", camera.to_string())];
    let mut sensor = Command::new(&python);
    sensor.args(["docs/examples/door_sensor.py", "loading bay"]).env("PYTHONPATH", "sdk/python");
    run("door_sensor.py", &mut sensor, &env);
    let call = line_with(&received, "loading bay", Duration::from_secs(30));
    assert!(call.contains("door_opened on Back door") && call.contains("rule door opened"), "{call}");
    let message = line_with(&published, "loading bay", Duration::from_secs(30));
    assert!(message.contains(&format!("/{camera}/door_opened ")), "{message}");
    // A forged call is refused by the receiver.
    let forged = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/"))
        .header("X-VMS-Timestamp", chrono::Utc::now().timestamp().to_string())
        .header("X-VMS-Signature", "sha256=00")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    line_with(&received, "refused a call", Duration::from_secs(5));

    // The last minute of the camera, exported with the TypeScript SDK as a project would use it.
    let dir = stack.recordings().join(camera.to_string()).join("main");
    wait_until("two recorded files", Duration::from_secs(60), || async {
        (files_under(&dir).len() >= 2).then_some(())
    })
    .await;
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("node_modules/@techno-vms")).unwrap();
    std::os::unix::fs::symlink(&sdk, project.path().join("node_modules/@techno-vms/sdk")).unwrap();
    std::fs::copy(repo().join("docs/examples/export_last_hour.mjs"), project.path().join("export.mjs")).unwrap();
    let out = project.path().join("door.mp4");
    let mut export = Command::new("node");
    export.arg(project.path().join("export.mjs")).args([&camera.to_string(), "1", out.to_str().unwrap()]);
    run("export_last_hour.mjs", &mut export, &env);
    let probed = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&probed.stdout).trim(), "h264", "{}", String::from_utf8_lossy(&probed.stderr));
    // The manifest it saved beside the file verifies, signature and all.
    let manifest = format!("{}.manifest.json", out.display());
    let verified = stack.vms(&["export", "verify", out.to_str().unwrap(), &manifest]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
}
