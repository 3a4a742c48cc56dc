//! Security-relevant actions land in the audit trail, searchable by auditors
//! of the tenant and by nobody else.

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_PASSWORD, api};
use serde_json::{Value, json};

#[tokio::test]
async fn logins_changes_and_denials_are_audited_and_searchable() {
    let api = api().await;
    let bad = json!({"username": "admin", "password": "Not-the-password-1"}).to_string();
    let (status, _, _) = api.raw_from(Some("203.0.113.9"), Method::POST, "/api/auth/login", None, Some(&bad)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let site = api.create_site("Audited HQ").await;
    let (_, camera) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": "Audited Cam", "site_id": site, "streams": [{"role": "main", "url": "rtsp://a/",
                        "username": "u", "password": "audited-secret-7"}]})),
        )
        .await;
    let auditor = api.user_with_roles("auditor1", &["auditor"]).await;
    // The auditor may read the trail but not change cameras: that denial is audited too.
    let (status, _) = api
        .raw(Method::DELETE, &format!("/api/cameras/{}", camera["id"].as_str().unwrap()), Some(&auditor), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, text) = api.raw(Method::GET, "/api/audit?limit=500", Some(&auditor), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    let items = page["items"].as_array().unwrap();
    let find = |action: &str, outcome: &str| {
        items
            .iter()
            .find(|e| e["action"] == action && e["outcome"] == outcome)
            .unwrap_or_else(|| panic!("no {action}/{outcome} in {text}"))
    };
    let failed = find("auth.login", "failure");
    assert_eq!(failed["source_ip"], "203.0.113.9");
    assert_eq!(failed["actor_name"], "admin");
    find("auth.login", "success");
    find("site.create", "success");
    let created = find("camera.create", "success");
    assert_eq!(created["target_id"], camera["id"]);
    assert_eq!(created["actor_name"], "admin");
    let denied = find("access.denied", "denied");
    assert_eq!(denied["details"]["permission"], "camera.manage");
    assert!(!text.contains("audited-secret-7") && !text.contains(ADMIN_PASSWORD), "no secret in the trail");
    // Newest first, and filters narrow the result.
    let seqs: Vec<i64> = items.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");
    let (_, text) = api.raw(Method::GET, "/api/audit?action=camera.&outcome=success", Some(&auditor), None).await;
    let filtered: Value = serde_json::from_str(&text).unwrap();
    assert!(filtered["items"].as_array().unwrap().iter().all(|e| e["action"].as_str().unwrap().starts_with("camera.")));
    let (status, text) = api.raw(Method::GET, "/api/audit?limit=0", Some(&auditor), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    let (_, one) = api.raw(Method::GET, "/api/audit?limit=1", Some(&auditor), None).await;
    let one: Value = serde_json::from_str(&one).unwrap();
    let before = one["next_before"].as_i64().expect("a next page exists (the API 1.0 form)");
    let (_, older) = api.raw(Method::GET, &format!("/api/audit?limit=1&before={before}"), Some(&auditor), None).await;
    let older: Value = serde_json::from_str(&older).unwrap();
    assert!(older["items"][0]["seq"].as_i64().unwrap() < before);
    // Cursor pages, two entries at a time, walk the same trail without a gap or a repeat.
    let (mut walked, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/audit?limit=2&cursor={c}"),
            None => "/api/audit?limit=2".to_owned(),
        };
        let (status, text) = api.raw(Method::GET, &uri, Some(&auditor), None).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let page: Value = serde_json::from_str(&text).unwrap();
        walked.extend(page["items"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(walked, seqs, "paged by cursor");
    let (status, text) = api.raw(Method::GET, "/api/audit?cursor=not-a-cursor", Some(&auditor), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    // A filter given twice keeps what matches either value.
    let (_, text) = api
        .raw(
            Method::GET,
            "/api/audit?action=camera.&action=site.&outcome=success,denied&limit=500",
            Some(&auditor),
            None,
        )
        .await;
    let either: Value = serde_json::from_str(&text).unwrap();
    let actions: std::collections::BTreeSet<&str> =
        either["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains("camera.create") && actions.contains("site.create"), "{actions:?}");
    assert!(actions.iter().all(|a| a.starts_with("camera.") || a.starts_with("site.")), "{actions:?}");

    // Another tenant's admin sees none of it.
    let (status, _) = api
        .call(
            Method::POST,
            "/api/tenants",
            Some(json!({"name": "Elsewhere", "admin": {"username": "else-admin", "password": "Else-admin-pw-1"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let other = api.login("else-admin", "Else-admin-pw-1").await;
    let (status, text) = api.raw(Method::GET, "/api/audit?limit=500", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text.contains("Audited") && !text.contains("203.0.113.9") && !text.contains(&site), "{text}");
}
