//! What every response at the HTTP edge promises, whatever the route: security
//! headers, 405 with `Allow` for undeclared methods, and a 400 naming the field
//! for a NUL character anywhere in what the API accepts (issue 11, points 18,
//! 26 and 27).

mod common;

use axum::http::{Method, StatusCode};
use common::{api, api_with, assert_bad_field};
use serde_json::{Value, json};

/// Issue 11, point 18.
#[tokio::test]
async fn every_response_carries_the_security_headers_and_hsts_only_over_tls() {
    let api = api().await;
    for (method, uri) in [
        (Method::GET, "/api/cameras"),
        (Method::GET, "/api/no-such-thing"),
        (Method::GET, "/health/live"),
        (Method::GET, "/"),
        (Method::GET, "/api/openapi.json"),
    ] {
        let (_, headers, _) = api.raw_from(None, method.clone(), uri, None, None).await;
        let csp = headers.get("content-security-policy").map(|v| v.to_str().unwrap()).unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{uri}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{uri}");
        assert!(headers["strict-transport-security"].to_str().unwrap().starts_with("max-age="), "{uri}");
    }
    let plain = api_with(|c| c.control.tls.mode = vms_config::TlsMode::Off).await;
    let (_, headers, _) = plain.raw_from(None, Method::GET, "/health/live", None, None).await;
    assert!(headers.contains_key("content-security-policy"));
    assert!(!headers.contains_key("strict-transport-security"), "no HSTS over plain HTTP");
}

/// Issue 11, point 26.
#[tokio::test]
async fn undeclared_methods_get_405_with_allow_never_500() {
    let api = api().await;
    let camera = uuid::Uuid::new_v4();
    for (method, uri, allow) in [
        (Method::HEAD, "/api/cameras".to_owned(), "GET, POST"),
        (Method::OPTIONS, "/api/cameras".to_owned(), "GET, POST"),
        (Method::PUT, "/api/sites".to_owned(), "GET, POST"),
        (Method::PUT, format!("/api/cameras/{camera}"), "GET, PATCH, DELETE"),
        (Method::OPTIONS, "/api/auth/login".to_owned(), "POST"),
        (Method::HEAD, format!("/api/live/{camera}/main/ws"), "GET, POST, PATCH, DELETE"),
        (Method::TRACE, "/api/users".to_owned(), "GET, POST"),
    ] {
        let token = api.token.clone();
        let (status, headers, body) = api.raw_from(None, method.clone(), &uri, Some(&token), None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}: {body}");
        assert_eq!(headers["allow"], allow, "{method} {uri}");
        if method != Method::HEAD {
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(body["code"], "method_not_allowed", "{body}");
        }
    }
}

/// Replaces each string in `body`, one at a time, with one holding a NUL and
/// returns (field path, changed body) pairs.
fn with_nul_in_each_string(body: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, path: String, out: &mut Vec<String>) {
        match value {
            Value::String(_) => out.push(path),
            Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, format!("{path}[{i}]"), out)),
            Value::Object(fields) => fields
                .iter()
                .for_each(|(k, v)| walk(v, if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out)),
            _ => {}
        }
    }
    fn set(value: &mut Value, path: &str) {
        let mut target = value;
        for part in path.split('.') {
            let (key, index) = match part.split_once('[') {
                Some((k, i)) => (k, Some(i.trim_end_matches(']').parse::<usize>().unwrap())),
                None => (part, None),
            };
            target = &mut target[key];
            if let Some(i) = index {
                target = &mut target[i];
            }
        }
        *target = Value::String("bad\u{0}value".into());
    }
    let mut paths = Vec::new();
    walk(body, String::new(), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let mut changed = body.clone();
            set(&mut changed, &path);
            (path, changed)
        })
        .collect()
}

/// Issue 11, point 27: every text field the API accepts, in every body.
#[tokio::test]
async fn a_nul_character_in_any_text_field_is_a_400_naming_the_field() {
    let api = api().await;
    let site = api.create_site("nul-site").await;
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let me = me["id"].as_str().unwrap().to_owned();
    let (_, role) = api.call(Method::POST, "/api/roles", Some(json!({"name": "nul-role", "permissions": []}))).await;
    let role = role["id"].as_str().unwrap().to_owned();
    let (_, tenants) = api.call(Method::GET, "/api/tenants", None).await;
    let tenant = tenants["items"][0]["id"].as_str().unwrap().to_owned();
    let camera_body = json!({"name": "cam", "site_id": site, "description": "d",
        "streams": [{"role": "main", "url": "rtsp://192.0.2.1/main", "username": "u", "password": "p"}]});
    let (status, camera) = api.call(Method::POST, "/api/cameras", Some(camera_body.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{camera}");
    let camera = camera["id"].as_str().unwrap().to_owned();

    let bodies: Vec<(Method, String, Value)> = vec![
        (Method::POST, "/api/auth/login".into(), json!({"username": "admin", "password": "Some-password-1"})),
        (Method::POST, "/api/auth/refresh".into(), json!({"refresh_token": "r"})),
        (Method::POST, "/api/auth/logout".into(), json!({"refresh_token": "r"})),
        (Method::POST, "/api/auth/password".into(), json!({"current_password": "a", "new_password": "b"})),
        (Method::POST, "/api/auth/reset-password".into(), json!({"token": "t", "new_password": "Brand-new-pw-1"})),
        (Method::POST, "/api/sites".into(), json!({"name": "s", "description": "d", "timezone": "UTC"})),
        (Method::PATCH, format!("/api/sites/{site}"), json!({"name": "s", "description": "d", "timezone": "UTC"})),
        (Method::POST, "/api/cameras".into(), camera_body.clone()),
        (
            Method::PATCH,
            format!("/api/cameras/{camera}"),
            json!({"name": "c", "description": "d",
            "streams": [{"role": "main", "url": "rtsp://192.0.2.1/x", "username": "u", "password": "p"}]}),
        ),
        (
            Method::POST,
            "/api/users".into(),
            json!({"username": "u1", "password": "User-password-1",
            "display_name": "d", "roles": ["viewer"]}),
        ),
        (Method::PATCH, format!("/api/users/{me}"), json!({"display_name": "d"})),
        (
            Method::POST,
            "/api/roles".into(),
            json!({"name": "r", "description": "d", "permissions": ["camera.view_live"]}),
        ),
        (Method::PATCH, format!("/api/roles/{role}"), json!({"description": "d", "permissions": ["camera.view_live"]})),
        (Method::POST, "/api/tenants".into(), json!({"name": "t", "admin": {"username": "a", "password": "p"}})),
        (Method::PATCH, format!("/api/tenants/{tenant}"), json!({"name": "t"})),
        (Method::POST, "/api/api-keys".into(), json!({"name": "k", "permissions": ["camera.view_live"]})),
        (
            Method::POST,
            "/api/exports".into(),
            json!({"camera_id": camera, "stream": "main",
            "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:01:00Z"}),
        ),
        (Method::POST, format!("/api/cameras/{camera}/streams/main/ticket"), json!({"purpose": "live"})),
        (
            Method::PUT,
            format!("/api/cameras/{camera}/recording"),
            json!({"mode": "continuous",
            "schedule": [{"days": ["mon"], "start": "00:00", "end": "01:00"}]}),
        ),
    ];
    let mut checked = 0;
    for (method, uri, body) in bodies {
        for (field, changed) in with_nul_in_each_string(&body) {
            let token = api.token.clone();
            let (status, _, text) =
                api.raw_from(None, method.clone(), &uri, Some(&token), Some(&changed.to_string())).await;
            let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {uri} {field}: {text}");
            assert_bad_field(status, &parsed, &field);
            checked += 1;
        }
    }
    assert!(checked >= 40, "checked only {checked} fields");

    // In the path and the query too.
    let (status, _, text) = api
        .raw_from(None, Method::PUT, "/api/layouts/a%00b", Some(&api.token.clone()), Some(r#"{"cells": [null]}"#))
        .await;
    assert_bad_field(status, &serde_json::from_str(&text).unwrap(), "path");
    for (uri, field) in [("/api/audit?action=a%00b", "action"), ("/api/cameras?site_id=%00", "site_id")] {
        let (status, _, text) = api.raw_from(None, Method::GET, uri, Some(&api.token.clone()), None).await;
        assert_bad_field(status, &serde_json::from_str(&text).unwrap(), field);
    }
}
