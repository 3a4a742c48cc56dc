//! The licence limits onboarding, refuses tampered or foreign files, and
//! falls back to the free tier once expired past its grace period.

mod common;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::api;
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use vms_license::{LicenseTerms, LicenseVerifier};

fn terms(max_cameras: u32, expires_in_days: Option<i64>, installation: Option<&str>) -> LicenseTerms {
    LicenseTerms {
        license_id: uuid::Uuid::new_v4(),
        customer: "Acme Security".into(),
        max_cameras,
        features: vec!["analytics".into()],
        issued_at: Utc::now(),
        expires_at: expires_in_days.map(|d| Utc::now() + Duration::days(d)),
        installation_id: installation.map(str::to_owned),
    }
}

async fn install(api: &common::Api, text: &str) -> (StatusCode, Value) {
    let (status, body) = api.raw(Method::PUT, "/api/license", Some(&api.token), Some(text)).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// An API whose licensing trusts a fresh vendor key; returns the key too.
async fn api_trusting_a_vendor() -> (SigningKey, common::Api) {
    let vendor = SigningKey::generate(&mut rand::rngs::OsRng);
    let api = api()
        .await
        .rebuild(|state| state.set_license_verifier(LicenseVerifier::with_keys(vec![vendor.verifying_key()])).unwrap());
    (vendor, api)
}

#[tokio::test]
async fn the_licence_limits_onboarding_and_tampering_is_refused() {
    let (vendor, api) = api_trusting_a_vendor().await;
    let (status, before) = api.call(Method::GET, "/api/license", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((before["status"].as_str(), before["max_cameras"].as_u64()), (Some("unlicensed"), Some(16)));
    let installation = before["installation_id"].as_str().unwrap().to_owned();

    let (status, installed) =
        install(&api, &vms_license::sign(&terms(2, Some(365), Some(&installation)), &vendor)).await;
    assert_eq!(status, StatusCode::OK, "{installed}");
    assert_eq!((installed["status"].as_str(), installed["max_cameras"].as_u64()), (Some("valid"), Some(2)));
    assert_eq!(installed["customer"], "Acme Security");

    let site = api.create_site("HQ").await;
    let add = |n: usize| json!({"name": format!("cam {n}"), "site_id": site, "streams": [{"role": "main", "url": "rtsp://c/"}]});
    for n in 0..2 {
        let (status, _) = api.call(Method::POST, "/api/cameras", Some(add(n))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, refused) = api.call(Method::POST, "/api/cameras", Some(add(2))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("licence limit reached") && message.contains("Acme Security") && message.contains("2 cameras"),
        "{message}"
    );

    // Altered, foreign-key and other-installation licences are refused; the installed one stays.
    let mut file: Value = serde_json::from_str(&vms_license::sign(&terms(500, None, None), &vendor)).unwrap();
    file["payload"] = json!(base64_of(&serde_json::to_vec(&terms(5000, None, None)).unwrap()));
    let (status, body) = install(&api, &file.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("altered"), "{body}");
    let stranger = SigningKey::generate(&mut rand::rngs::OsRng);
    let (status, _) = install(&api, &vms_license::sign(&terms(500, None, None), &stranger)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = install(&api, &vms_license::sign(&terms(500, None, Some("another-install")), &vendor)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, after) = api.call(Method::GET, "/api/license", None).await;
    assert_eq!(after["max_cameras"], 2);
    assert_eq!(after["cameras_in_use"], 2);

    // Expired past the grace period: the free tier's 16 cameras apply; nothing stops.
    let (status, expired) = install(&api, &vms_license::sign(&terms(100, Some(-40), None), &vendor)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((expired["status"].as_str(), expired["max_cameras"].as_u64()), (Some("expired"), Some(16)));
    let (status, _) = api.call(Method::POST, "/api/cameras", Some(add(2))).await;
    assert_eq!(status, StatusCode::CREATED, "the free tier still allows more than two cameras");
}

#[tokio::test]
async fn the_licence_refusal_shown_to_a_tenant_admin_reveals_no_installation_figures() {
    let (vendor, api) = api_trusting_a_vendor().await;
    let (status, _) = install(&api, &vms_license::sign(&terms(3, Some(365), None), &vendor)).await;
    assert_eq!(status, StatusCode::OK);
    let body = json!({"name": "branch", "admin": {"username": "branch-admin", "password": "Branch-admin-1"}});
    let (status, tenant) = api.call(Method::POST, "/api/tenants", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    let branch = api.login("branch-admin", "Branch-admin-1").await;

    // The default tenant takes all three licensed cameras.
    let site = api.create_site("HQ").await;
    let add = |site: &str, n: usize| {
        json!({"name": format!("cam {n}"), "site_id": site, "streams": [{"role": "main", "url": "rtsp://c/"}]})
            .to_string()
    };
    for n in 0..3 {
        let (status, text) = api.raw(Method::POST, "/api/cameras", Some(&api.token), Some(&add(&site, n))).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
    let (status, text) = api.raw(Method::POST, "/api/sites", Some(&branch), Some(r#"{"name":"Branch HQ"}"#)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let branch_site = serde_json::from_str::<Value>(&text).unwrap()["id"].as_str().unwrap().to_owned();
    let (status, text) = api.raw(Method::POST, "/api/cameras", Some(&branch), Some(&add(&branch_site, 0))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    let message = serde_json::from_str::<Value>(&text).unwrap()["message"].as_str().unwrap().to_owned();
    assert_eq!(message, "the installation's camera licence is exhausted; ask your system administrator");
    assert!(!text.contains('3') && !text.contains("Acme"), "{text}");

    // A super-admin still gets the figures.
    let (status, text) = api.raw(Method::POST, "/api/cameras", Some(&api.token), Some(&add(&site, 3))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("allows 3 cameras and 3 are configured"), "{text}");
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
