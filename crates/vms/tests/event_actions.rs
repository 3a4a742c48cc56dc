//! Rules acting on events with real parts: the snapshot action takes the
//! camera's picture through the media plane and links it to the event (or
//! says on the event why it could not: the camera is offline); the MQTT
//! action publishes to Debian's mosquitto, read back by `mosquitto_sub`,
//! with Home Assistant discovery; and a broker that refuses the credentials
//! or goes away is reported in the API, blocks nothing, and gets the queued
//! messages once it takes them again.

mod common;

use std::time::Duration;

use common::{
    probe_image,
    stack::{camsim, sandbox},
    wait_until,
};
use serde_json::{Value, json};
use uuid::Uuid;
use vms_catalog::camera::Transport;
use vms_testkit::mosquitto::Mosquitto;

const PASSWORD: &str = "Admin-password-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rules_take_snapshots_and_publish_them_to_mqtt() {
    vms_base::tracing_setup::install();
    let mut broker = Mosquitto::start().await;
    let secrets = tempfile::tempdir().unwrap();
    let password_file = secrets.path().join("mqtt-password");
    std::fs::write(&password_file, format!("{}\n", broker.password)).unwrap();
    let sim = camsim(&["gate=h264_720p"]).await;
    let (url, user, file) = (broker.url(), broker.user.clone(), password_file.clone());
    let stack = sandbox(move |c| {
        c.mqtt.url = Some(url);
        c.mqtt.username = Some(user);
        c.mqtt.password_file = Some(file);
        c.mqtt.home_assistant = true;
    })
    .await;
    let (gate, gate_stream) = stack.add_camera("Gate", sim.url("gate"), Transport::Tcp, None).await;
    let closed = format!("rtsp://127.0.0.1:{}/nothing", vms_testkit::free_port());
    let (dark, _) = stack.add_camera("Dark", closed, Transport::Tcp, None).await;
    let admin = stack.add_user("boss", PASSWORD, &["admin"]).await;
    sqlx::query("UPDATE users SET super_admin = true WHERE id = $1")
        .bind(admin)
        .execute(&stack.db.owner_pool)
        .await
        .unwrap();
    let control = stack.start_control().await;
    let media = stack.start_media();
    let token = stack.login("boss", PASSWORD).await;
    stack.wait_online(&[gate_stream], Duration::from_secs(30)).await.unwrap();
    let mut events = broker.subscribe("vms/#").await;

    let rule = stack
        .post(
            Some(&token),
            "/api/rules",
            json!({"name": "door opened", "conditions": {"types": ["door"]},
                   "actions": [{"kind": "snapshot"}, {"kind": "mqtt"}]}),
        )
        .await;
    assert!(rule["id"].is_string(), "{rule}");
    // The rules are read again every 2 s.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let post = |camera: Uuid, end: bool| {
        let now = chrono::Utc::now();
        let mut body = json!({"camera_id": camera, "type": "door", "start": now, "attributes": {"label": "door"}});
        if end {
            body["end"] = json!(now + chrono::TimeDelta::seconds(1));
        }
        let (stack, token) = (&stack, &token);
        async move {
            let posted = stack.post(Some(token), "/api/events", body).await;
            posted["id"].as_str().unwrap_or_else(|| panic!("posted: {posted}")).parse::<Uuid>().unwrap()
        }
    };

    // A camera that is online: its picture, linked to the event.
    let opened = post(gate, true).await;
    let event = wait_until("the event's snapshot", Duration::from_secs(30), || async {
        let event = stack.get(&token, &format!("/api/events/{opened}")).await;
        (event["has_snapshot"] == json!(true)).then_some(event)
    })
    .await;
    assert!(event.get("snapshot_error").is_none(), "{event}");
    let response = reqwest::Client::new()
        .get(format!("{}/api/events/{opened}/snapshot", stack.http()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let jpeg = response.bytes().await.unwrap().to_vec();
    assert_eq!(probe_image(&jpeg), "mjpeg,1280,720");
    let file = stack.config.data_dir.join("snapshots").join(stack.tenant.to_string());
    assert!(file.is_dir(), "kept under the data directory: {}", file.display());

    // The MQTT message follows the snapshot: it carries it.
    let (topic, payload) = events.until(Duration::from_secs(20), |t, _| t.ends_with(&format!("/{gate}/door"))).await;
    let site = stack.site;
    assert_eq!(topic, format!("vms/{site}/{}/{gate}/door", stack.config.node_id));
    let published: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!((published["id"].as_str(), &published["has_snapshot"]), (Some(&*opened.to_string()), &json!(true)));
    assert_eq!(published["camera_name"], "Gate");

    // Home Assistant: a binary sensor for the label, ON then OFF (the event
    // had ended), and the snapshot as an image; the bridge is online.
    let discovery = format!("homeassistant/binary_sensor/vms_{}_door/config", gate.simple());
    let config: Value =
        serde_json::from_slice(&broker.retained(&discovery).await.expect("a discovery message")).unwrap();
    let state = format!("vms/{site}/{}/{gate}/ha/door", stack.config.node_id);
    assert_eq!(config["state_topic"], json!(state));
    assert_eq!(config["availability_topic"], json!(format!("vms/{}/availability", stack.config.node_id)));
    let (_, on) = events.until(Duration::from_secs(10), |t, _| t == state).await;
    let (_, off) = events.until(Duration::from_secs(10), |t, _| t == state).await;
    assert_eq!((on.as_str(), off.as_str()), ("ON", "OFF"));
    let image = format!("homeassistant/image/vms_{}_snapshot/config", gate.simple());
    let config: Value = serde_json::from_slice(&broker.retained(&image).await.expect("an image discovery")).unwrap();
    let picture = broker.retained(config["image_topic"].as_str().unwrap()).await.expect("the retained snapshot");
    assert_eq!(picture, jpeg, "the image topic holds the event's snapshot");
    let availability = broker.retained(&format!("vms/{}/availability", stack.config.node_id)).await;
    assert_eq!(availability.as_deref(), Some(&b"online"[..]));

    // A camera that is offline: no picture, a clear reason on the event and
    // from the snapshot route; the MQTT message goes all the same.
    let missed = post(dark, false).await;
    let event = wait_until("the snapshot's failure", Duration::from_secs(30), || async {
        let event = stack.get(&token, &format!("/api/events/{missed}")).await;
        event["snapshot_error"].as_str().map(str::to_owned)
    })
    .await;
    assert!(event.starts_with("no snapshot: camera offline"), "{event}");
    let response = reqwest::Client::new()
        .get(format!("{}/api/events/{missed}/snapshot", stack.http()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"].as_str(), Some(event.as_str()));
    let (_, payload) = events.until(Duration::from_secs(20), |t, _| t.ends_with(&format!("/{dark}/door"))).await;
    assert_eq!(serde_json::from_str::<Value>(&payload).unwrap()["has_snapshot"], json!(false));

    // The broker now refuses the credentials: the API says so, events and
    // rules go on, and the messages wait.
    broker.set_password("another-password-2");
    broker.stop().await;
    broker.restart().await;
    let mqtt = wait_until("the refusal in /api/system", Duration::from_secs(30), || async {
        let system = stack.get(&token, "/api/system").await;
        let mqtt = system["mqtt"].clone();
        (mqtt["connected"] == json!(false)
            && mqtt["last_error"].as_str().is_some_and(|e| e.contains("refused the user name or password")))
        .then_some(mqtt)
    })
    .await;
    assert!(!mqtt.to_string().contains(&broker.password), "no password in the status: {mqtt}");
    let waiting: Vec<Uuid> = [post(gate, false).await, post(gate, false).await].into();
    for id in &waiting {
        wait_until("the event stored and its snapshot", Duration::from_secs(30), || async {
            let event = stack.get(&token, &format!("/api/events/{id}")).await;
            (event["has_snapshot"] == json!(true)).then_some(())
        })
        .await;
    }
    let queued = wait_until("the messages queued", Duration::from_secs(10), || async {
        let mqtt = stack.get(&token, "/api/system").await["mqtt"].clone();
        (mqtt["queued"].as_u64() >= Some(2)).then_some(mqtt)
    })
    .await;
    assert_eq!(queued["dropped"], json!(0), "{queued}");

    // The broker takes the VMS's password again: what waited arrives.
    let mut late = broker.subscribe("vms/+/+/+/door").await;
    broker.set_password(std::fs::read_to_string(&password_file).unwrap().trim());
    broker.reload();
    let mut arrived = Vec::new();
    while arrived.len() < waiting.len() {
        let (_, payload) = late.until(Duration::from_secs(30), |_, _| true).await;
        let id: Uuid = serde_json::from_str::<Value>(&payload).unwrap()["id"].as_str().unwrap().parse().unwrap();
        if waiting.contains(&id) && !arrived.contains(&id) {
            arrived.push(id);
        }
    }
    let mqtt = stack.get(&token, "/api/system").await["mqtt"].clone();
    assert_eq!((mqtt["connected"].clone(), mqtt["queued"].clone()), (json!(true), json!(0)), "{mqtt}");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
    broker.stop().await;
}
