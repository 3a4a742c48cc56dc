//! Rules turn stored events into signed webhook calls: a real HTTP receiver
//! checks each call's HMAC and answers 500 for a while, so the call is
//! retried and delivered once, with the same delivery id; a receiver that
//! never answers ends dead-lettered, listed, and can be sent again, as does
//! one whose host name does not resolve, saying so. A rule
//! fires once per event, whatever its updates, and bad rules and webhooks
//! are refused with the field at fault.

mod common;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode},
    routing::post,
};
use common::bus::{Bus, event, eventually, update};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// What the receiver saw: (delivery id, event type, body), for calls whose signature checked out.
#[derive(Clone, Default)]
struct Receiver {
    secret: Arc<Mutex<String>>,
    calls: Arc<Mutex<Vec<(String, String, Value)>>>,
    refused: Arc<Mutex<Vec<String>>>,
    /// Answer 500 to this many calls first.
    failures_left: Arc<Mutex<u32>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (timestamp, signature) = (header("x-vms-timestamp"), header("x-vms-signature"));
    let mut mac = Hmac::<Sha256>::new_from_slice(r.secret.lock().unwrap().as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(&body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let fresh = timestamp.parse::<i64>().is_ok_and(|t| (chrono::Utc::now().timestamp() - t).abs() < 300);
    if signature != format!("sha256={expected}") || !fresh {
        r.refused.lock().unwrap().push(signature);
        return StatusCode::UNAUTHORIZED;
    }
    {
        let mut left = r.failures_left.lock().unwrap();
        if *left > 0 {
            *left -= 1;
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    let body: Value = serde_json::from_slice(&body).unwrap();
    r.calls.lock().unwrap().push((header("x-vms-delivery"), header("x-vms-event"), body));
    StatusCode::NO_CONTENT
}

async fn start_receiver(receiver: Receiver) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/hook", post(receive)).with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_call_signed_webhooks_once_per_event_with_retries_and_dead_letters() {
    let api = common::api_with(|c| {
        c.events.webhook_retry_secs = 1;
        c.events.webhook_max_attempts = 3;
        c.events.webhook_timeout_secs = 2;
    })
    .await;
    let stop = CancellationToken::new();
    let _guard = stop.clone().drop_guard();
    let _ = api.state.start_events(&stop);
    let site = api.create_site("Yard").await;
    let body = json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (_, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    let cam: Uuid = cam["id"].as_str().unwrap().parse().unwrap();
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let tenant: Uuid = me["tenant_id"].as_str().unwrap().parse().unwrap();

    let receiver = Receiver { failures_left: Arc::new(Mutex::new(2)), ..Default::default() };
    let addr = start_receiver(receiver.clone()).await;
    let (status, hook) = api
        .call(Method::POST, "/api/webhooks", Some(json!({"name": "gatehouse", "url": format!("http://{addr}/hook")})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    let secret = hook["secret"].as_str().expect("the secret, shown once").to_owned();
    *receiver.secret.lock().unwrap() = secret.clone();
    let hook_id = hook["id"].as_str().unwrap().to_owned();
    let (_, again) = api.call(Method::GET, &format!("/api/webhooks/{hook_id}"), None).await;
    assert!(again.get("secret").is_none(), "never shown again: {again}");

    // Nothing listens on this port: every call fails to connect.
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_, nowhere) = api
        .call(
            Method::POST,
            "/api/webhooks",
            Some(json!({"name": "nowhere", "url": format!("http://127.0.0.1:{dead_port}/")})),
        )
        .await;
    let nowhere_id = nowhere["id"].as_str().unwrap().to_owned();
    // `.invalid` never resolves (RFC 6761).
    let (_, unnamed) = api
        .call(
            Method::POST,
            "/api/webhooks",
            Some(json!({"name": "unnamed", "url": "http://no-such-host.invalid/hook"})),
        )
        .await;
    let unnamed_id = unnamed["id"].as_str().unwrap().to_owned();

    let crossing_rule = json!({"name": "gate crossings", "conditions": {"types": ["line_crossed"], "cameras": [cam]},
                               "actions": [{"kind": "webhook", "webhook_id": hook_id}]});
    let (status, rule) = api.call(Method::POST, "/api/rules", Some(crossing_rule)).await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");
    let rule_id = rule["id"].as_str().unwrap().to_owned();
    let motion_rule = json!({"name": "motion", "conditions": {"types": ["motion"]},
                             "actions": [{"kind": "webhook", "webhook_id": nowhere_id}]});
    let (status, motion) = api.call(Method::POST, "/api/rules", Some(motion_rule)).await;
    assert_eq!(status, StatusCode::CREATED, "{motion}");
    let person_rule = json!({"name": "people", "conditions": {"types": ["object"]},
                             "actions": [{"kind": "webhook", "webhook_id": unnamed_id}]});
    let (status, people) = api.call(Method::POST, "/api/rules", Some(person_rule)).await;
    assert_eq!(status, StatusCode::CREATED, "{people}");
    // The rules are read every two seconds.
    tokio::time::sleep(Duration::from_millis(2500)).await;

    let bus = Bus::connect(api.state.subjects()).await;
    let crossing = event(tenant, Some(cam), "line_crossed", 1, json!({"line": "gate", "direction": "left_to_right"}));
    let person = event(tenant, Some(cam), "object", 1, json!({"label": "person"}));
    let moving = event(tenant, Some(cam), "motion", 1, json!({}));
    for e in [&crossing, &person, &moving] {
        bus.publish(e).await;
    }
    // The end comes in a batch of its own: the rule's memory, not the batch, keeps it from firing twice.
    tokio::time::sleep(Duration::from_secs(1)).await;
    bus.publish(&update(&crossing, crossing.start + chrono::TimeDelta::seconds(1), json!({}))).await;

    eventually(Duration::from_secs(30), "the crossing delivered", || async {
        !receiver.calls.lock().unwrap().is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let calls = receiver.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1, "once per event, whatever its updates: {calls:?}");
    let (delivery, kind, body) = &calls[0];
    assert_eq!(kind, "line_crossed");
    assert_eq!(body["rule"]["id"], rule_id.as_str());
    assert_eq!(body["event"]["id"], crossing.id.to_string());
    assert_eq!(body["event"]["camera_name"], "Gate");
    assert!(receiver.refused.lock().unwrap().is_empty(), "every signature checked out");

    let uri = format!("/api/webhooks/{hook_id}/deliveries");
    let (_, listed) = api.call(Method::GET, &uri, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], delivery.as_str(), "the same delivery id on every try");
    assert_eq!((listed[0]["status"].as_str(), listed[0]["attempts"].as_i64()), (Some("delivered"), Some(3)));

    // The receiver that is never there: dead-lettered after three tries, then sent again by hand.
    let uri = format!("/api/webhooks/{nowhere_id}/deliveries?status=dead");
    eventually(Duration::from_secs(30), "the dead letter", || async {
        api.call(Method::GET, &uri, None).await.1.as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let (_, dead) = api.call(Method::GET, &uri, None).await;
    assert_eq!(dead[0]["attempts"], 3);
    assert!(dead[0]["last_error"].as_str().unwrap().contains("cannot connect"), "{dead}");
    let uri = format!("/api/webhooks/{unnamed_id}/deliveries?status=dead");
    eventually(Duration::from_secs(30), "the unresolvable receiver's dead letter", || async {
        api.call(Method::GET, &uri, None).await.1.as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let (_, dead_name) = api.call(Method::GET, &uri, None).await;
    let why = dead_name[0]["last_error"].as_str().unwrap();
    assert!(why.starts_with("cannot resolve the receiver's host name"), "{dead_name}");
    assert!(!why.contains("no-such-host"), "no URL in the error: {why}");
    // The same story in the metrics: calls by outcome, rules fired, events by type.
    let text = api.state.metrics().encode();
    let sample = |name: &str, labels: &str| {
        let prefix = if labels.is_empty() { format!("{name} ") } else { format!("{name}{{{labels}}} ") };
        text.lines().find_map(|l| l.strip_prefix(&prefix)).map(|v| v.parse::<f64>().unwrap())
    };
    let deliveries = "vms_webhook_deliveries_total";
    assert_eq!(sample(deliveries, r#"outcome="delivered""#), Some(1.0), "{text}");
    assert_eq!(sample(deliveries, r#"outcome="failed""#), Some(6.0), "2 per receiver before its last try: {text}");
    assert_eq!(sample(deliveries, r#"outcome="dead""#), Some(2.0), "{text}");
    assert_eq!(sample("vms_rules_fired_total", ""), Some(3.0), "{text}");
    assert_eq!(sample("vms_rule_actions_total", r#"kind="webhook""#), Some(3.0), "{text}");
    assert_eq!(
        sample("vms_events_accepted_total", r#"type="line_crossed""#),
        Some(2.0),
        "the start and its end: {text}"
    );
    assert_eq!(sample("vms_events_accepted_total", r#"type="motion""#), Some(1.0), "{text}");
    assert_eq!(sample("vms_events_messages_total", r#"outcome="stored""#), Some(3.0), "{text}");
    assert_eq!(sample("vms_events_messages_total", r#"outcome="updated""#), Some(1.0), "{text}");
    vms_testkit::promtool_check_metrics(&text);
    let redeliver = format!("/api/webhooks/{nowhere_id}/deliveries/{}/redeliver", dead[0]["id"].as_str().unwrap());
    let (status, pending) = api.call(Method::POST, &redeliver, None).await;
    assert_eq!(status, StatusCode::OK, "{pending}");
    assert_eq!((pending["status"].as_str(), pending["attempts"].as_i64()), (Some("pending"), Some(0)));

    // A rule naming a deleted webhook says so, and is kept.
    let (status, _) = api.call(Method::DELETE, &format!("/api/webhooks/{nowhere_id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, motion) = api.call(Method::GET, &format!("/api/rules/{}", motion["id"].as_str().unwrap()), None).await;
    assert_eq!(motion["problems"][0], format!("webhook {nowhere_id} no longer exists"), "{motion}");

    let (_, audit) = api.call(Method::GET, "/api/audit?action=rule.create", None).await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 3, "{audit}");
    let shown = api.bodies.lock().unwrap().iter().filter(|b| b.contains(&secret[6..])).count();
    assert_eq!(shown, 1, "the secret is in the creation's answer only");
}

#[tokio::test]
async fn bad_rules_and_webhooks_are_refused_with_the_field_at_fault() {
    let api = common::api().await;
    let (_, hook) =
        api.call(Method::POST, "/api/webhooks", Some(json!({"name": "h", "url": "https://hooks.example/x"}))).await;
    let hook = hook["id"].as_str().unwrap().to_owned();
    for (body, field) in [
        (json!({"name": "h2", "url": "ftp://hooks.example/"}), "url"),
        (json!({"name": "h3", "url": "not a url"}), "url"),
        (json!({"name": " ", "url": "https://hooks.example/"}), "name"),
    ] {
        let (status, answer) = api.call(Method::POST, "/api/webhooks", Some(body)).await;
        common::assert_bad_field(status, &answer, field);
    }
    let (status, _) =
        api.call(Method::POST, "/api/webhooks", Some(json!({"name": "h", "url": "https://a.example/"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "names are unique");

    let webhook = json!([{"kind": "webhook", "webhook_id": hook}]);
    for (rule, field) in [
        (
            json!({"name": "r", "conditions": {"cameras": [Uuid::new_v4()]}, "actions": webhook}),
            "conditions.cameras[0]",
        ),
        (json!({"name": "r", "conditions": {"sites": [Uuid::new_v4()]}, "actions": webhook}), "conditions.sites[0]"),
        (
            json!({"name": "r", "conditions": {}, "actions": [{"kind": "webhook", "webhook_id": Uuid::new_v4()}]}),
            "actions[0].webhook_id",
        ),
        // No broker configured: an MQTT action could never be carried out.
        (
            json!({"name": "r", "conditions": {}, "actions": [{"kind": "snapshot"}, {"kind": "mqtt"}]}),
            "actions[1].kind",
        ),
        (json!({"name": "r", "conditions": {}, "actions": []}), "actions"),
        (
            json!({"name": "r", "conditions": {"schedule": [{"days": ["someday"], "start": "08:00", "end": "18:00"}]}, "actions": webhook}),
            "conditions.schedule[0].days",
        ),
        (json!({"name": "r", "conditions": {}, "actions": webhook, "cooldown_secs": 100000}), "cooldown_secs"),
    ] {
        let (status, answer) = api.call(Method::POST, "/api/rules", Some(rule.clone())).await;
        common::assert_bad_field(status, &answer, field);
    }
    let (status, answer) = api
        .call(Method::POST, "/api/rules", Some(json!({"name": "r", "conditions": {"typo": 1}, "actions": webhook})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown fields are refused: {answer}");

    // Only tenant-wide rule managers.
    let viewer = api.user_with_roles("viewer-1", &["viewer"]).await;
    let (status, _) = api.raw(Method::GET, "/api/rules", Some(&viewer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
