//! `vms up` as a person runs it: planes restarted after kill -9 while the
//! others keep running, and Ctrl-C stopping everything it started.

mod common;

use std::time::{Duration, Instant};

use common::{VmsUp, alive, children_of, processes_mentioning, reachable_tempdir, up_on_test_servers};
use vms_testkit::{TestEnv, free_port};

const ADMIN_PASSWORD: &str = "Supervisor-test-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_plane_comes_back_while_the_others_keep_running() {
    let dir = tempfile::tempdir().unwrap();
    let mut up = up_on_test_servers(&dir.path().join("data"), ADMIN_PASSWORD, &[]).await;
    up.wait_ready(Duration::from_secs(60)).await;
    up.wait_banner().await;
    assert!(!up.output().contains(ADMIN_PASSWORD), "a chosen admin password is never echoed");
    assert!(up.pid("postgres").is_none(), "configured servers are not started");
    up.login(ADMIN_PASSWORD).await;

    let control = up.pid("control").unwrap();
    let media = up.pid("media").unwrap();
    // SAFETY: kill has no memory-safety preconditions.
    #[allow(unsafe_code)]
    unsafe {
        libc::kill(media as libc::pid_t, libc::SIGKILL)
    };
    let killed_at = Instant::now();
    let restarted = loop {
        assert!(alive(control), "control must keep running while media restarts");
        if let Some(pid) = up.pid("media")
            && pid != media
            && alive(pid)
        {
            break pid;
        }
        assert!(killed_at.elapsed() < Duration::from_secs(5), "media not restarted within 5 s:\n{}", up.output());
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(!alive(media));
    up.wait_ready(Duration::from_secs(30)).await;
    assert_eq!(up.pid("control"), Some(control), "control was never restarted");

    let planes: Vec<u32> = ["control", "recorder", "ai"].iter().filter_map(|p| up.pid(p)).chain([restarted]).collect();
    up.interrupt(Duration::from_secs(30)).await;
    for pid in planes {
        assert!(!alive(pid), "plane {pid} outlived vms up");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_every_process_of_the_embedded_default() {
    let dir = reachable_tempdir();
    let data = dir.path().join("data");
    let envs = [
        ("VMS_DATABASE_EMBEDDED_PORT", free_port().to_string()),
        ("VMS_REDIS_EMBEDDED_PORT", free_port().to_string()),
        ("VMS_NATS_EMBEDDED_PORT", free_port().to_string()),
        ("VMS_BUS_PREFIX", "e2e".to_owned()),
    ];
    let http = free_port();
    let mut up = VmsUp::start_tls(&data, http, &envs);
    up.wait_ready(Duration::from_secs(120)).await;

    // First run: a generated password is shown once, and it works.
    let output = up.wait_banner().await;
    let password = output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Sign in as:")?.trim().strip_prefix("admin / "))
        .unwrap_or_else(|| panic!("no generated password in:\n{output}"))
        .to_owned();
    up.login(&password).await;
    let secrets = data.join("secrets");
    for file in ["credentials.key", "jwt-ed25519.pem", "postgres-password"] {
        assert!(secrets.join(file).is_file(), "missing secret {file}");
    }
    // HTTPS by default; plain HTTP is refused on that port.
    assert!(up.http.starts_with("https://") && output.contains("tls/ca.pem"), "{output}");
    let plain = reqwest::Client::new().get(format!("http://127.0.0.1:{http}/health/live")).send().await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success(), "plain HTTP must not be served");

    // The embedded database dies: vms up starts it again on the same data.
    let postgres = up.pid("postgres").unwrap();
    // SAFETY: kill has no memory-safety preconditions.
    #[allow(unsafe_code)]
    unsafe {
        libc::kill(postgres as libc::pid_t, libc::SIGKILL)
    };
    common::wait_until("PostgreSQL to be restarted", Duration::from_secs(30), || async {
        up.pid("postgres").filter(|pid| *pid != postgres && alive(*pid))
    })
    .await;
    up.wait_ready(Duration::from_secs(60)).await;
    up.login(&password).await;

    let mut pids: Vec<u32> = ["postgres", "redis", "nats", "control", "media", "recorder", "ai"]
        .iter()
        .map(|n| up.pid(n).unwrap())
        .collect();
    pids.extend(children_of(up.pid("postgres").unwrap()));
    up.interrupt(Duration::from_secs(60)).await;
    for pid in &pids {
        assert!(!alive(*pid), "process {pid} outlived vms up");
    }
    let data_str = data.to_string_lossy().into_owned();
    assert_eq!(processes_mentioning(&data_str), vec![], "processes left behind");

    // Second run on the same data directory: no new cluster, no new password.
    let mut again = VmsUp::start_tls(&data, http, &envs);
    again.wait_ready(Duration::from_secs(120)).await;
    assert!(again.wait_banner().await.contains("password shown on first start"), "{}", again.output());
    again.login(&password).await;
    again.interrupt(Duration::from_secs(60)).await;
    assert_eq!(processes_mentioning(&data_str), vec![], "processes left behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_cameras_come_online_and_stop_with_the_system() {
    let env = TestEnv::shared().await;
    let db = env.fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let nvr_port = free_port();
    let mut up = VmsUp::start_args(
        &data,
        free_port(),
        &[
            ("VMS_DATABASE_URL", db.url.clone()),
            ("VMS_DATABASE_OWNER_URL", db.owner_url.clone()),
            ("VMS_DATABASE_AUDIT_URL", db.audit_url.clone()),
            ("VMS_REDIS_URL", env.redis_url().to_owned()),
            ("VMS_NATS_URL", env.nats_url().to_owned()),
            ("VMS_BUS_PREFIX", env.unique_prefix()),
            ("VMS_ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
            ("VMS_DEMO_CAMSIM_LISTEN", format!("127.0.0.1:{}", free_port())),
            ("VMS_DEMO_CLIPS_DIR", clips.to_string_lossy().into_owned()),
            ("VMS_DEMO_ONVIF_LISTEN", format!("127.0.0.1:{}", free_port())),
            ("VMS_DEMO_NVR_LISTEN", format!("127.0.0.1:{nvr_port}")),
        ],
        &["--demo"],
    );
    up.wait_ready(Duration::from_secs(60)).await;
    let banner = up.wait_banner().await;
    // Four test-pattern cameras, and the walkway of real footage where Debian's opencv-doc is installed.
    let walkway = std::path::Path::new(vms_camsim::clip::WALKWAY_FOOTAGE).is_file();
    let expected = if walkway { 5 } else { 4 };
    assert!(banner.contains(&format!("{expected} simulated cameras")), "{banner}");
    let token = up.login(ADMIN_PASSWORD).await;
    let client = up.client().unwrap();
    let cameras: serde_json::Value = common::wait_until("the demo cameras online", Duration::from_secs(90), || async {
        let list: serde_json::Value =
            client.get(format!("{}/api/cameras", up.http)).bearer_auth(&token).send().await.ok()?.json().await.ok()?;
        let items = list["items"].as_array()?;
        // Online, and long enough to report its frame rate.
        let online = items
            .iter()
            .filter(|c| c["streams"][0]["state"]["status"] == "online" && c["streams"][0]["state"]["fps"].is_number())
            .count();
        (items.len() == expected && online == expected).then_some(list)
    })
    .await;
    for camera in cameras["items"].as_array().unwrap() {
        let state = &camera["streams"][0]["state"];
        assert!(state["fps"].as_f64().unwrap() > 15.0, "{camera}");
    }
    // With the test person detector (scripts/setup.sh fetches it), people are followed on the walkway.
    if walkway {
        assert!(
            std::env::var_os("VMS_PERSON_MODEL").is_some(),
            "VMS_PERSON_MODEL is not set: run scripts/setup.sh and source scripts/env.sh (scripts/test.sh does both)"
        );
        let walkway_id = cameras["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"].as_str().is_some_and(|n| n.starts_with("Walkway")))
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .expect("the walkway camera");
        common::wait_until("people followed on the walkway", Duration::from_secs(90), || async {
            let system: serde_json::Value = client
                .get(format!("{}/api/system", up.http))
                .bearer_auth(&token)
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            let ai = system["planes"].as_array()?.iter().find(|p| p["plane"] == "ai")?;
            let stream = ai["analytics"].as_array()?.iter().find(|s| s["camera_id"] == walkway_id.as_str())?;
            (stream["objects"].as_u64()? >= 1).then_some(())
        })
        .await;
        // The demo draws a line across the walkway: people crossing it show as events.
        let drawn: serde_json::Value = client
            .get(format!("{}/api/cameras/{walkway_id}/analytics", up.http))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(drawn["lines"][0]["name"], "Walkway", "{drawn}");
        let events = format!("{}/api/events?types=line_crossed&cameras={walkway_id}", up.http);
        common::wait_until("a crossing of the walkway's line", Duration::from_secs(150), || async {
            let found: serde_json::Value =
                client.get(&events).bearer_auth(&token).send().await.ok()?.json().await.ok()?;
            (!found["items"].as_array()?.is_empty()).then_some(())
        })
        .await;
    }
    // The demo's NVR imports as four channels, one of them without its camera.
    let demo_site = cameras["items"][0]["site_id"].clone();
    let import = serde_json::json!({"vendor": "hikvision", "address": format!("127.0.0.1:{nvr_port}"),
        "username": "admin", "password": "camsim", "site_id": demo_site, "channels": [1]});
    let imported = client.post(format!("{}/api/nvrs", up.http)).bearer_auth(&token).json(&import).send().await.unwrap();
    assert_eq!(imported.status(), reqwest::StatusCode::CREATED);
    let imported: serde_json::Value = imported.json().await.unwrap();
    let online: Vec<&serde_json::Value> =
        imported["channels"].as_array().unwrap().iter().map(|c| &c["online"]).collect();
    assert_eq!(online, [true, true, true, false], "{imported}");
    assert_eq!(imported["channels"][0]["name"], "Entrance");
    let camsim = up.pid("camsim").expect("the simulator runs as a supervised child");
    up.interrupt(Duration::from_secs(30)).await;
    assert!(!alive(camsim), "the simulator stopped with the system");
}
