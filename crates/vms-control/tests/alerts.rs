//! Issue 17, point 2: the watchdog's alert rules are the installation's
//! (super-admins edit them, bounded and audited); alerts are raised and
//! cleared with hysteresis from what control sees (the recorders' and
//! planes' reports, the licence, the audit chain), listed by `/api/alerts`
//! (whole for super-admins, without internals for tenants), counted by
//! `/health/ready` and published as `alert` events.
//!
//! The planes' reports here are made by the test, as a recorder or media
//! plane would send them; `crates/vms/tests/alerts.rs` triggers the camera,
//! footage and hung-plane rules for real with `vms up`.

mod common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::{api, assert_bad_field};
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use vms_base::Plane;
use vms_bus::status::{PlaneStatusReport, StorageRootStatus};

fn report(plane: Plane) -> PlaneStatusReport {
    let mut report = common::recorder_report("node-a", "127.0.0.1:9".parse().unwrap());
    report.plane = plane;
    report.endpoints.clear();
    report
}

fn recorder(free_bytes: u64, lag: f64) -> PlaneStatusReport {
    let mut recorder = report(Plane::Recorder);
    recorder.storage = vec![StorageRootStatus {
        path: "/srv/secret-root".into(),
        total_bytes: 1000,
        free_bytes,
        ..Default::default()
    }];
    recorder.index_lag_secs = Some(lag);
    recorder
}

/// Polls `GET /api/alerts` (as `token`) until `done` holds of it.
async fn alerts_until(api: &common::Api, token: &str, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, text) = api.raw(Method::GET, "/api/alerts", Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let alerts: Vec<Value> = serde_json::from_str(&text).unwrap();
        if done(&alerts) {
            return alerts;
        }
        assert!(Instant::now() < deadline, "{what}: not within 30 s; alerts now: {text}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn kinds(alerts: &[Value]) -> Vec<&str> {
    let mut kinds: Vec<&str> = alerts.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    kinds.sort();
    kinds
}

/// The `alert` events stored in the caller's tenant, newest first.
async fn alert_events(api: &common::Api) -> Vec<Value> {
    let (status, page) = api.call(Method::GET, "/api/events?types=alert&limit=100", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn set_rule(api: &common::Api, kind: &str, body: Value) -> Value {
    let (status, rule) = api.call(Method::PUT, &format!("/api/alert-rules/{kind}"), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{rule}");
    rule
}

/// A camera, so the tenant hears of what records every tenant's cameras.
async fn add_camera(api: &common::Api) {
    let site = api.create_site("HQ").await;
    let camera = json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, body) = api.call(Method::POST, "/api/cameras", Some(camera)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn alert_rules_are_the_super_admins_bounded_and_audited() {
    let api = api().await;
    let (status, rules) = api.call(Method::GET, "/api/alert-rules", None).await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), 10, "{rules:?}");
    let disk = rules.iter().find(|r| r["kind"] == "disk_free_low").unwrap();
    assert_eq!((disk["threshold"].as_f64(), disk["unit"].as_str()), (Some(5.0), Some("percent")), "{disk}");
    assert_eq!(disk["updated_at"], Value::Null, "the defaults");
    let hung = rules.iter().find(|r| r["kind"] == "plane_hung").unwrap();
    assert!(hung.get("threshold").is_none() && hung["window_secs"] == 600, "{hung}");

    // A tenant administrator sees alerts, but the rules are the installation's.
    let local = api.user_with_roles("local-admin", &["admin"]).await;
    let (status, _) = api.raw(Method::GET, "/api/alert-rules", Some(&local), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body = json!({"threshold": 50.0}).to_string();
    let (status, _) = api.raw(Method::PUT, "/api/alert-rules/disk_free_low", Some(&local), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for (body, field) in [
        (json!({"threshold": 150.0}), "threshold"),
        (json!({"threshold": -1.0}), "threshold"),
        (json!({"window_secs": 60}), "window_secs"),
        (json!({"for_secs": 90_000}), "for_secs"),
    ] {
        let (status, refused) = api.call(Method::PUT, "/api/alert-rules/disk_free_low", Some(body)).await;
        assert_bad_field(status, &refused, field);
    }
    let (status, hung) = api.call(Method::PUT, "/api/alert-rules/plane_hung", Some(json!({"threshold": 1.0}))).await;
    assert_bad_field(status, &hung, "threshold");
    let (status, _) = api.call(Method::PUT, "/api/alert-rules/disk_free_low", Some(json!({"nonsense": 1}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, missing) = api.call(Method::PUT, "/api/alert-rules/no_such_rule", Some(json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");

    let saved = set_rule(&api, "disk_free_low", json!({"threshold": 10.0, "clear_after_secs": 5})).await;
    assert_eq!((saved["threshold"].as_f64(), saved["clear_after_secs"].as_u64()), (Some(10.0), Some(5)));
    assert_eq!(saved["for_secs"], 30, "what the body leaves out keeps its value");
    assert!(saved["updated_at"].is_string(), "{saved}");
    let (_, rules) = api.call(Method::GET, "/api/alert-rules", None).await;
    let disk = rules.as_array().unwrap().iter().find(|r| r["kind"] == "disk_free_low").unwrap().clone();
    assert_eq!(disk["threshold"].as_f64(), Some(10.0), "{disk}");

    let (status, audit) = api.call(Method::GET, "/api/audit?action=alert_rule.update", None).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let entries = audit["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "only the change that was made: {audit}");
    assert_eq!(entries[0]["target_id"], "disk_free_low", "{audit}");
    assert!(entries[0]["details"]["threshold"].to_string().contains("10"), "{audit}");
}

#[tokio::test]
async fn alerts_are_raised_listed_published_and_cleared() {
    let vendor = SigningKey::generate(&mut rand::rngs::OsRng);
    let api = api().await.rebuild(|state| {
        state.set_license_verifier(vms_license::LicenseVerifier::with_keys(vec![vendor.verifying_key()])).unwrap()
    });
    add_camera(&api).await;
    for kind in ["disk_free_low", "index_lag"] {
        set_rule(&api, kind, json!({"for_secs": 0, "clear_after_secs": 0})).await;
    }
    // The audit chain is edited behind the application's back before control checks it.
    let (_, trail) = api.call(Method::GET, "/api/audit?limit=1", None).await;
    let seq = trail["items"][0]["seq"].as_i64().expect("the rule changes are audited");
    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = $1")
        .bind(seq)
        .execute(&api.db.owner_pool)
        .await
        .unwrap();
    let (_, licence) = api.call(Method::GET, "/api/license", None).await;
    let terms = vms_license::LicenseTerms {
        license_id: uuid::Uuid::new_v4(),
        customer: "Acme Security".into(),
        max_cameras: 8,
        features: Vec::new(),
        issued_at: chrono::Utc::now(),
        expires_at: Some(chrono::Utc::now() + chrono::TimeDelta::days(3)),
        installation_id: licence["installation_id"].as_str().map(str::to_owned),
    };
    let text = vms_license::sign(&terms, &vendor);
    let (status, body) = api.raw(Method::PUT, "/api/license", Some(&api.token), Some(&text)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let mut hung = report(Plane::Media);
    (hung.restarts, hung.restart_cause) = (1, Some("hung".into()));
    api.state.plane_registry().record(hung);
    api.state.plane_registry().record(recorder(20, 120.0));
    let stop = CancellationToken::new();
    let _loops = api.state.start_events(&stop);
    let _stop = stop.drop_guard();

    let raised = ["audit_chain", "disk_free_low", "index_lag", "licence_expiring", "plane_hung"];
    let alerts = alerts_until(&api, &api.token, "every condition raised", |a| kinds(a) == raised).await;
    let disk = alerts.iter().find(|a| a["kind"] == "disk_free_low").unwrap();
    assert_eq!((disk["severity"].as_str(), disk["scope"].as_str()), (Some("critical"), Some("shared")), "{disk}");
    assert_eq!((disk["node"].as_str(), disk["value"].as_f64()), (Some("node-a"), Some(2.0)), "{disk}");
    assert!(disk["message"].as_str().unwrap().contains("/srv/secret-root"), "a super-admin sees where: {disk}");
    let audit = alerts.iter().find(|a| a["kind"] == "audit_chain").unwrap();
    assert!(audit["message"].as_str().unwrap().contains(&seq.to_string()), "names the entry: {audit}");
    let licence = alerts.iter().find(|a| a["kind"] == "licence_expiring").unwrap();
    assert_eq!(licence["scope"], "installation", "{licence}");

    let (status, ready) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert!(status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE, "{ready}");
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(ready["alerts"], json!({"critical": 3, "warning": 2}), "{ready}");
    for told in ["secret-root", "disk_free", "audit", "licence"] {
        assert!(!ready.to_string().contains(told), "the probe counts, it does not tell: {ready}");
    }

    // A tenant administrator sees what concerns the tenant, without the installation's internals.
    let local = api.user_with_roles("local-admin", &["admin"]).await;
    let (status, text) = api.raw(Method::GET, "/api/alerts", Some(&local), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(!text.contains("secret-root"), "{text}");
    let seen: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(kinds(&seen), ["disk_free_low", "index_lag", "plane_hung"], "not the licence or audit trail: {text}");
    let viewer = api.user_with_roles("viewer", &["viewer"]).await;
    let (status, _) = api.raw(Method::GET, "/api/alerts", Some(&viewer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Each alert is an event in the tenant, for rules, webhooks and MQTT.
    let deadline = Instant::now() + Duration::from_secs(20);
    let events = loop {
        let events = alert_events(&api).await;
        if events.len() == raised.len() {
            break events;
        }
        assert!(Instant::now() < deadline, "alert events: {events:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let audit_event = events.iter().find(|e| e["attributes"]["alert"] == "audit_chain").unwrap();
    assert!(
        !audit_event.to_string().contains(&format!("entry {seq}")),
        "where it breaks is for super-admins: {audit_event}"
    );
    let disk_event = events.iter().find(|e| e["attributes"]["alert"] == "disk_free_low").unwrap();
    assert_eq!(disk_event["attributes"]["alert_id"], disk["id"], "{disk_event}");
    assert!(disk_event["end"].is_null() && !disk_event.to_string().contains("secret-root"), "{disk_event}");

    // Room again and the index caught up: cleared, and their events end.
    api.state.plane_registry().record(recorder(200, 1.0));
    let alerts = alerts_until(&api, &api.token, "disk and index cleared", |a| {
        !kinds(a).contains(&"disk_free_low") && !kinds(a).contains(&"index_lag")
    })
    .await;
    assert_eq!(kinds(&alerts), ["audit_chain", "licence_expiring", "plane_hung"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let events = alert_events(&api).await;
        let ended = |kind: &str| events.iter().any(|e| e["attributes"]["alert"] == kind && e["end"].is_string());
        if ended("disk_free_low") && ended("index_lag") {
            assert!(!ended("plane_hung"), "{events:?}");
            break;
        }
        assert!(Instant::now() < deadline, "alert events not ended: {events:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // Disabling a rule clears its alert at once.
    set_rule(&api, "plane_hung", json!({"enabled": false})).await;
    alerts_until(&api, &api.token, "plane_hung cleared", |a| !kinds(a).contains(&"plane_hung")).await;
}

#[tokio::test]
async fn a_disk_hovering_at_its_threshold_raises_once() {
    let api = api().await;
    add_camera(&api).await;
    set_rule(&api, "disk_free_low", json!({"threshold": 10.0, "for_secs": 0, "clear_after_secs": 0})).await;
    api.state.plane_registry().record(recorder(50, 0.0));
    let stop = CancellationToken::new();
    let _loops = api.state.start_events(&stop);
    let _stop = stop.drop_guard();
    let raised = alerts_until(&api, &api.token, "raised", |a| kinds(a) == ["disk_free_low"]).await;
    // 10.5% is above the threshold, but within the clear margin: still the same alert.
    api.state.plane_registry().record(recorder(105, 0.0));
    tokio::time::sleep(vms_control::test_utils::ALERT_EVERY * 3).await;
    let alerts = alerts_until(&api, &api.token, "still raised", |_| true).await;
    assert_eq!(kinds(&alerts), ["disk_free_low"], "{alerts:?}");
    assert_eq!(alerts[0]["id"], raised[0]["id"], "not cleared and raised again");
    api.state.plane_registry().record(recorder(120, 0.0));
    alerts_until(&api, &api.token, "cleared above the margin", |a| a.is_empty()).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let events = alert_events(&api).await;
        if events.iter().all(|e| e["end"].is_string()) && !events.is_empty() {
            assert_eq!(events.len(), 1, "one alert, one event: {events:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the alert's event: {events:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
