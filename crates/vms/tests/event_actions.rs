//! Rules acting on events with real parts: the snapshot action takes the
//! camera's picture through the media plane and links it to the event (or
//! says on the event why it could not: the camera is offline); the MQTT
//! action publishes to Debian's mosquitto, read back by `mosquitto_sub`,
//! with Home Assistant discovery; and a broker that refuses the credentials
//! or goes away is reported in the API, blocks nothing, and gets the queued
//! messages once it takes them again. The record action has an event
//! camera record around the event, with the rule's own buffers.

mod common;

use std::time::Duration;

use common::{
    probe_image,
    recording::{files_under, probe, started_at},
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

    // A camera that is offline: no picture, a clear reason on the event and
    // from the snapshot route; the MQTT message goes all the same. (Posted
    // until the rule, read again every 2 s, is at work.)
    let (missed, reason) = wait_until("the rule at work", Duration::from_secs(30), || async {
        let id = post(dark, false).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let event = stack.get(&token, &format!("/api/events/{id}")).await;
        event["snapshot_error"].as_str().map(|reason| (id, reason.to_owned()))
    })
    .await;
    assert!(reason.starts_with("no snapshot: camera offline"), "{reason}");
    let response = reqwest::Client::new()
        .get(format!("{}/api/events/{missed}/snapshot", stack.http()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"].as_str(), Some(reason.as_str()));
    let (_, payload) = events
        .until(Duration::from_secs(20), |t, p| t.ends_with(&format!("/{dark}/door")) && p.contains(&missed.to_string()))
        .await;
    assert_eq!(serde_json::from_str::<Value>(&payload).unwrap()["has_snapshot"], json!(false));

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
    // Reading events is not enough to see their pictures: watching the
    // camera's recordings is needed too.
    let role =
        stack.post(Some(&token), "/api/roles", json!({"name": "event desk", "permissions": ["event.read"]})).await;
    assert!(role["id"].is_string(), "{role}");
    stack.add_user("desk", PASSWORD, &["event desk"]).await;
    let desk = stack.login("desk", PASSWORD).await;
    assert_eq!(stack.get(&desk, &format!("/api/events/{opened}")).await["id"], json!(opened));
    let refused = reqwest::Client::new()
        .get(format!("{}/api/events/{opened}/snapshot", stack.http()))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
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
    let state = format!("vms/{site}/{}/{gate}/_ha/door", stack.config.node_id);
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
        // Each event's JSON and sensor ON, and the camera's latest snapshot
        // (the second replaced the first in the queue).
        (mqtt["queued"].as_u64() == Some(5)).then_some(mqtt)
    })
    .await;
    assert_eq!(queued["dropped"], json!(0), "{queued}");
    // Prometheus sees the same: disconnected, five waiting.
    let metrics = || async {
        let addr = stack.config.metrics.control;
        reqwest::get(format!("http://{addr}/metrics")).await.unwrap().text().await.unwrap()
    };
    let text = metrics().await;
    assert!(text.contains("\nvms_mqtt_connected 0\n") && text.contains("\nvms_mqtt_queued_messages 5\n"), "{text}");

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
    wait_until("the queue emptied", Duration::from_secs(10), || async {
        let mqtt = stack.get(&token, "/api/system").await["mqtt"].clone();
        (mqtt["connected"] == json!(true) && mqtt["queued"] == json!(0)).then_some(())
    })
    .await;
    let text = metrics().await;
    assert!(text.contains("\nvms_mqtt_connected 1\n") && text.contains("\nvms_mqtt_queued_messages 0\n"), "{text}");
    let published = text.lines().find_map(|l| l.strip_prefix("vms_mqtt_published_messages_total ")).unwrap();
    assert!(published.parse::<f64>().unwrap() >= 5.0, "{text}");
    vms_testkit::promtool_check_metrics(&text);

    media.stop().await;
    control.stop().await;
    sim.stop().await;
    broker.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rule_records_the_event_camera_with_its_own_buffers() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["yard=h264_720p"]).await;
    let stack = sandbox(|_| {}).await;
    let (yard, yard_stream) = stack.add_camera("Yard", sim.url("yard"), Transport::Tcp, None).await;
    stack.add_user("boss", PASSWORD, &["admin"]).await;
    let control = stack.start_control().await;
    let token = stack.login("boss", PASSWORD).await;
    // The camera's own buffers (6 s before, 1 s after) differ from the rule's (2 s, 6 s).
    let settings = json!({"mode": "event", "pre_buffer_secs": 6, "post_buffer_secs": 1, "event_retention_days": 90});
    let put = reqwest::Client::new()
        .put(format!("{}/api/cameras/{yard}/recording", stack.http()))
        .bearer_auth(&token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let rule = stack
        .post(
            Some(&token),
            "/api/rules",
            json!({"name": "record the yard", "conditions": {"types": ["gate_opened"]},
                   "actions": [{"kind": "record", "pre_secs": 2, "post_secs": 6}]}),
        )
        .await;
    assert!(rule["id"].is_string(), "{rule}");
    let look_back =
        json!({"name": "look back", "conditions": {"types": ["gate_seen"]}, "actions": [{"kind": "snapshot"}]});
    let look_back = stack.post(Some(&token), "/api/rules", look_back).await;
    assert!(look_back["id"].is_string(), "{look_back}");
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    stack.wait_online(&[yard_stream], Duration::from_secs(30)).await.unwrap();
    let dir = stack.config.data_dir.join("recordings").join(yard.to_string()).join("main");
    // Past the camera's pre-buffer, and the rules read again.
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert!(files_under(&dir).is_empty(), "no event, no recording");

    // An event that has already ended: the recording opens and closes at once.
    let posted_at = chrono::Utc::now();
    let body = json!({"camera_id": yard, "type": "gate_opened", "start": posted_at,
                      "end": posted_at + chrono::TimeDelta::seconds(1)});
    let posted = stack.post(Some(&token), "/api/events", body).await;
    assert!(posted["id"].is_string(), "{posted}");
    let file = wait_until("the event's recording", Duration::from_secs(15), || async { files_under(&dir).pop() }).await;
    // The rule's 6 s post-buffer and the GOP under way, then nothing more.
    tokio::time::sleep(Duration::from_secs(12)).await;
    let size = std::fs::metadata(&file).unwrap().len();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size, "recording stopped after the post-buffer");
    assert_eq!(files_under(&dir), vec![file.clone()]);
    let (duration, _) = probe(&file);
    let lead = (posted_at - started_at(&file)).num_milliseconds();
    assert!(
        (0..=4_500).contains(&lead),
        "the file starts {lead} ms before the event: the rule's 2 s, not the camera's 6 s"
    );
    let ends = started_at(&file) + chrono::TimeDelta::milliseconds((duration * 1000.0) as i64);
    let tail = (ends - posted_at).num_milliseconds();
    assert!(
        (4_500..=11_000).contains(&tail),
        "the file ends {tail} ms after the event: the rule's 6 s, not the camera's 1 s"
    );

    // An event reported late, about a moment now past: its picture comes
    // from the archive, of that moment, not from the live stream.
    let moment = posted_at + chrono::TimeDelta::seconds(1);
    let body = json!({"camera_id": yard, "type": "gate_seen", "start": moment, "end": moment});
    let late = stack.post(Some(&token), "/api/events", body).await;
    let late = late["id"].as_str().unwrap_or_else(|| panic!("{late}")).to_owned();
    let event = wait_until("the late event's snapshot", Duration::from_secs(30), || async {
        let event = stack.get(&token, &format!("/api/events/{late}")).await;
        (event["has_snapshot"] == json!(true) || event["snapshot_error"].is_string()).then_some(event)
    })
    .await;
    assert_eq!(event["has_snapshot"], json!(true), "{event}");
    let taken: chrono::DateTime<chrono::Utc> = event["snapshot_at"].as_str().unwrap().parse().unwrap();
    let offset = (moment - taken).num_milliseconds();
    assert!((0..=4_000).contains(&offset), "the keyframe at or before the moment: {offset} ms before");
    let jpeg = reqwest::Client::new()
        .get(format!("{}/api/events/{late}/snapshot", stack.http()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(probe_image(&jpeg), "mjpeg,1280,720");

    // An event that goes on (from another source on the bus): the camera
    // records for as long as it lasts, past the post-buffer, and stops the
    // post-buffer after it ends.
    let bytes = || files_under(&dir).iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum::<u64>();
    let nats = async_nats::connect(stack.env.nats_url()).await.unwrap();
    let (js, subjects) = (async_nats::jetstream::new(nats), vms_bus::Subjects::new(stack.prefix.clone()));
    let mut going_on = vms_bus::events::Event {
        id: Uuid::new_v4(),
        tenant_id: stack.tenant,
        camera_id: Some(yard),
        kind: "gate_opened".into(),
        start: chrono::Utc::now(),
        end: None,
        attributes: Default::default(),
        seq: 0,
    };
    let before = bytes();
    vms_bus::events::publish(&js, &subjects, &going_on).await.unwrap();
    wait_until("the open event's recording", Duration::from_secs(15), || async { (bytes() > before).then_some(()) })
        .await;
    tokio::time::sleep(Duration::from_secs(9)).await;
    let early = bytes();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(bytes() > early, "still recording 9 s in, past the 6 s post-buffer: the event goes on");
    (going_on.seq, going_on.end) = (1, Some(chrono::Utc::now()));
    vms_bus::events::publish(&js, &subjects, &going_on).await.unwrap();
    tokio::time::sleep(Duration::from_secs(12)).await;
    let ended = bytes();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(bytes(), ended, "stopped the post-buffer after the event ended");
    recorder.stop().await;
    let kind: String =
        sqlx::query_scalar("SELECT kind FROM recording_segments").fetch_one(&stack.db.owner_pool).await.unwrap();
    assert_eq!(kind, "event");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// Logs in as a new super-admin of `stack` (who sees `/api/system` whole).
async fn super_admin(stack: &vms_sandbox::Sandbox) -> String {
    let admin = stack.add_user("root", PASSWORD, &["admin"]).await;
    sqlx::query("UPDATE users SET super_admin = true WHERE id = $1")
        .bind(admin)
        .execute(&stack.db.owner_pool)
        .await
        .unwrap();
    stack.login("root", PASSWORD).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mqtt_over_tls_trusts_the_configured_ca_only() {
    vms_base::tracing_setup::install();
    let broker = Mosquitto::start_tls().await;
    let secrets = tempfile::tempdir().unwrap();
    let password_file = secrets.path().join("mqtt-password");
    std::fs::write(&password_file, &broker.password).unwrap();
    let configure = |ca: Option<std::path::PathBuf>| {
        let (url, user, file) = (broker.url(), broker.user.clone(), password_file.clone());
        move |c: &mut vms_config::Config| {
            c.mqtt.url = Some(url);
            c.mqtt.username = Some(user);
            c.mqtt.password_file = Some(file);
            c.mqtt.ca_file = ca;
        }
    };
    assert!(broker.url().starts_with("mqtts://"));

    // Trusting the broker's CA: the messages go over TLS.
    let stack = sandbox(configure(broker.ca.clone())).await;
    let (door, _) = stack.add_camera("Door", "rtsp://192.0.2.1/".into(), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let token = super_admin(&stack).await;
    wait_until("the bridge connected over TLS", Duration::from_secs(20), || async {
        (stack.get(&token, "/api/system").await["mqtt"]["connected"] == json!(true)).then_some(())
    })
    .await;
    let rule = json!({"name": "alarm", "conditions": {"types": ["door_forced"]},
                      "actions": [{"kind": "mqtt", "topic_suffix": "alarm"}]});
    let rule = stack.post(Some(&token), "/api/rules", rule).await;
    assert!(rule["id"].is_string(), "{rule}");
    let mut events = broker.subscribe("vms/+/+/+/door_forced/#").await;
    // Posted until the rule, read again every 2 s, is at work.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let topic = loop {
        let posted = stack.post(Some(&token), "/api/events", json!({"camera_id": door, "type": "door_forced"})).await;
        assert!(posted["id"].is_string(), "{posted}");
        if let Some((topic, _)) = events.next(Duration::from_secs(1)).await {
            break topic;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(std::time::Instant::now() < deadline, "no event over TLS within 20 s");
    };
    assert!(topic.ends_with(&format!("/{door}/door_forced/alarm")), "{topic}");
    control.stop().await;

    // Trusting only the system's roots: the broker's certificate is refused, and the API says so.
    let other = sandbox(configure(None)).await;
    let control = other.start_control().await;
    let token = super_admin(&other).await;
    let mqtt = wait_until("the TLS refusal in /api/system", Duration::from_secs(20), || async {
        let mqtt = other.get(&token, "/api/system").await["mqtt"].clone();
        mqtt["last_error"].as_str().is_some_and(|e| e.starts_with("TLS with the broker")).then_some(mqtt)
    })
    .await;
    assert_eq!(mqtt["connected"], json!(false), "{mqtt}");
    control.stop().await;
}
