//! Issue 17, point 3: the watchdog's alerts triggered for real on `vms up`.
//! A simulated camera that goes away raises `camera_offline`
//! and, as nothing is recorded, `no_footage`; both clear when its pictures
//! return. A recorder stopped with SIGSTOP (hung, not crashed) is killed and
//! started again by the supervisor's watchdog, and `plane_hung` is raised.
//! Every alert is published as an `alert` event of the camera's tenant.

mod common;

use std::time::Duration;

use common::{alive, up_on_test_servers};
use serde_json::{Value, json};

const ADMIN_PASSWORD: &str = "Alerts-test-1";

/// Calls control's API as the administrator.
struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status().as_u16();
        (status, answer.json().await.unwrap_or(Value::Null))
    }

    async fn ok(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let (status, answer) = self.call(method, path, body).await;
        assert!((200..300).contains(&status), "{path}: {status} {answer}");
        answer
    }

    /// The alerts raised now, by rule.
    async fn alert_kinds(&self) -> Vec<String> {
        let alerts = self.ok(reqwest::Method::GET, "/api/alerts", None).await;
        alerts.as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_owned()).collect()
    }

    /// The `alert` events of the tenant about rule `kind`.
    async fn alert_events(&self, kind: &str) -> Vec<Value> {
        let page = self.ok(reqwest::Method::GET, "/api/events?types=alert&limit=100", None).await;
        page["items"].as_array().unwrap().iter().filter(|e| e["attributes"]["alert"] == kind).cloned().collect()
    }
}

/// Checks every half second (the API's rate limit allows that) until
/// `check` answers, or fails after `timeout`.
async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(std::time::Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dropped_camera_and_a_hung_plane_raise_alerts_that_clear() {
    // The simulator is stopped and started again on its address: the camera drops and returns.
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let cameras = || vec![vms_camsim::camera::Camera::parse("cam=h264_720p").unwrap()];
    let sim = vms_camsim::Camsim::start("127.0.0.1:0".parse().unwrap(), &clips, cameras()).await.unwrap();
    let (sim_addr, sim_url) = (sim.addr(), sim.url("cam"));
    let dir = tempfile::tempdir().unwrap();
    let settings = [
        ("VMS_SUPERVISOR_PLANES", "control,media,recorder".to_owned()),
        ("VMS_SUPERVISOR_WATCHDOG_SECS", "10".to_owned()),
        // A camera that goes away is offline within two seconds.
        ("VMS_INGEST_REQUEST_TIMEOUT_SECS", "2".to_owned()),
    ];
    let mut up = up_on_test_servers(&dir.path().join("data"), ADMIN_PASSWORD, &settings).await;
    up.wait_ready(Duration::from_secs(90)).await;
    let api = Api { client: reqwest::Client::new(), base: up.http.clone(), token: up.login(ADMIN_PASSWORD).await };
    use reqwest::Method;
    // The shortest delays the rules allow, so the test is quick.
    api.ok(Method::PUT, "/api/alert-rules/camera_offline", Some(json!({"threshold": 10, "clear_after_secs": 0}))).await;
    api.ok(Method::PUT, "/api/alert-rules/no_footage", Some(json!({"threshold": 30, "clear_after_secs": 0}))).await;
    let site = api.ok(Method::POST, "/api/sites", Some(json!({"name": "Yard"}))).await;
    let camera = json!({"name": "Gate", "site_id": site["id"], "streams": [{"role": "main", "url": sim_url}]});
    let camera = api.ok(Method::POST, "/api/cameras", Some(camera)).await;
    let camera_id = camera["id"].as_str().unwrap().to_owned();
    let stream_status = || async {
        let camera = api.ok(Method::GET, &format!("/api/cameras/{camera_id}"), None).await;
        camera["streams"][0]["state"]["status"].as_str().unwrap_or_default().to_owned()
    };
    wait_until("the camera online", Duration::from_secs(60), || async {
        (stream_status().await == "online").then_some(())
    })
    .await;
    // Recording starts within seconds: a healthy system raises nothing,
    // round after round.
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert!(api.alert_kinds().await.is_empty(), "a healthy system raises nothing: {:?}", api.alert_kinds().await);

    // The camera drops: offline for the threshold, and nothing recorded for 30 s.
    sim.stop().await;
    let mut kinds = wait_until("camera_offline and no_footage raised", Duration::from_secs(120), || async {
        let kinds = api.alert_kinds().await;
        eprintln!("alerts now: {kinds:?}; the stream is {}", stream_status().await);
        (kinds.contains(&"camera_offline".to_owned()) && kinds.contains(&"no_footage".to_owned())).then_some(kinds)
    })
    .await;
    kinds.sort();
    assert_eq!(kinds, ["camera_offline", "no_footage"]);
    let alerts = api.ok(Method::GET, "/api/alerts", None).await;
    let offline = alerts.as_array().unwrap().iter().find(|a| a["kind"] == "camera_offline").unwrap();
    assert_eq!((offline["camera_id"].as_str(), offline["scope"].as_str()), (Some(camera_id.as_str()), Some("camera")));
    assert!(offline["value"].as_f64().unwrap() >= 10.0, "{offline}");
    for kind in ["camera_offline", "no_footage"] {
        let events = wait_until("the alert's event", Duration::from_secs(20), || async {
            let events = api.alert_events(kind).await;
            (!events.is_empty()).then_some(events)
        })
        .await;
        assert_eq!(events[0]["camera_id"].as_str(), Some(camera_id.as_str()), "{events:?}");
        assert!(events[0]["end"].is_null(), "{events:?}");
    }

    // The camera returns: both clear, and their events end.
    let sim = vms_camsim::Camsim::start(sim_addr, &clips, cameras()).await.unwrap();
    wait_until("camera alerts cleared", Duration::from_secs(120), || async {
        api.alert_kinds().await.is_empty().then_some(())
    })
    .await;
    for kind in ["camera_offline", "no_footage"] {
        wait_until("the alert's event ended", Duration::from_secs(20), || async {
            api.alert_events(kind).await.iter().all(|e| e["end"].is_string()).then_some(())
        })
        .await;
    }

    // The recorder's real free space against a threshold above it, then below.
    let disk = json!({"threshold": 99.0, "for_secs": 0, "clear_after_secs": 0});
    api.ok(Method::PUT, "/api/alert-rules/disk_free_low", Some(disk)).await;
    let alerts = wait_until("disk_free_low raised", Duration::from_secs(30), || async {
        let alerts = api.ok(Method::GET, "/api/alerts", None).await;
        alerts.as_array().unwrap().iter().any(|a| a["kind"] == "disk_free_low").then_some(alerts)
    })
    .await;
    let low = alerts.as_array().unwrap().iter().find(|a| a["kind"] == "disk_free_low").unwrap();
    let free = low["value"].as_f64().unwrap();
    assert!(free > 0.0 && free < 99.0, "{low}");
    assert!(low["message"].as_str().unwrap().contains("recordings"), "names the root: {low}");
    api.ok(Method::PUT, "/api/alert-rules/disk_free_low", Some(json!({"threshold": 0.1}))).await;
    wait_until("disk_free_low cleared", Duration::from_secs(30), || async {
        api.alert_kinds().await.is_empty().then_some(())
    })
    .await;
    wait_until("one disk_free_low event, ended", Duration::from_secs(20), || async {
        let events = api.alert_events("disk_free_low").await;
        (events.len() == 1 && events[0]["end"].is_string()).then_some(())
    })
    .await;

    // The recorder hangs: the watchdog kills it, starts another, and says why.
    let hung = up.pid("recorder").unwrap();
    // SAFETY: kill has no memory-safety preconditions.
    #[allow(unsafe_code)]
    unsafe {
        libc::kill(hung as libc::pid_t, libc::SIGSTOP)
    };
    let restarted = wait_until("a new recorder", Duration::from_secs(30), || async {
        up.pid("recorder").filter(|pid| *pid != hung && alive(*pid))
    })
    .await;
    assert!(!alive(hung), "the hung recorder was killed");
    assert!(up.output().contains("recorder stopped reporting"), "{}", up.output());
    let alerts = wait_until("plane_hung raised", Duration::from_secs(60), || async {
        let alerts = api.ok(Method::GET, "/api/alerts", None).await;
        alerts.as_array().unwrap().iter().any(|a| a["kind"] == "plane_hung").then_some(alerts)
    })
    .await;
    let alert = alerts.as_array().unwrap().iter().find(|a| a["kind"] == "plane_hung").unwrap();
    assert!(alert["message"].as_str().unwrap().contains("recorder"), "{alert}");
    wait_until("the plane_hung event", Duration::from_secs(20), || async {
        (!api.alert_events("plane_hung").await.is_empty()).then_some(())
    })
    .await;
    assert!(alive(restarted), "the new recorder keeps running");
    up.interrupt(Duration::from_secs(30)).await;
    sim.stop().await;
}
