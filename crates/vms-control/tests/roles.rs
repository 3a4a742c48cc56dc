//! Custom roles: nobody edits or deletes a role granting more than they hold,
//! and a change to a role reaches its holders at once.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};

/// Creates a custom role as the admin and returns its path.
async fn role(api: &common::Api, name: &str, permissions: &[&str]) -> String {
    let (status, role) =
        api.call(Method::POST, "/api/roles", Some(json!({"name": name, "permissions": permissions}))).await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    format!("/api/roles/{}", role["id"].as_str().unwrap())
}

#[tokio::test]
async fn nobody_edits_or_deletes_a_role_granting_what_they_lack() {
    let api = api().await;
    let ops = role(&api, "ops", &["camera.manage", "camera.view_live"]).await;
    let watch = role(&api, "watch", &["camera.view_live"]).await;
    role(&api, "user-admin", &["user.manage", "camera.view_live"]).await;
    let hr = api.user_with_roles("hr", &["user-admin"]).await;

    // Narrowing the role would still take `camera.manage` from its holders.
    for (method, body) in [
        (Method::PATCH, Some(r#"{"permissions": ["camera.view_live"]}"#)),
        (Method::PATCH, Some(r#"{"description": "mine now"}"#)),
        (Method::DELETE, None),
    ] {
        let (status, text) = api.raw(method.clone(), &ops, Some(&hr), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {body:?}: {text}");
    }
    let (_, list) = api.call(Method::GET, "/api/roles", None).await;
    let kept = list["items"].as_array().unwrap().iter().find(|r| r["name"] == "ops").cloned().unwrap_or(Value::Null);
    assert_eq!(kept["permissions"], json!(["camera.manage", "camera.view_live"]), "{kept}");
    assert_eq!(kept["description"], "", "{kept}");

    let (status, text) = api.raw(Method::PATCH, &watch, Some(&hr), Some(r#"{"description": "fine"}"#)).await;
    assert_eq!(status, StatusCode::OK, "a role within reach stays editable: {text}");
    let (status, text) = api.raw(Method::DELETE, &watch, Some(&hr), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
}

#[tokio::test]
async fn changing_or_deleting_a_role_ends_its_holders_sessions() {
    let api = api().await;
    let watch = role(&api, "watch", &["camera.view_live"]).await;
    let token = api.user_with_roles("holder", &["watch"]).await;
    let (status, _) = api.raw(Method::GET, "/api/auth/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) =
        api.call(Method::PATCH, &watch, Some(json!({"permissions": ["camera.view_live", "event.read"]}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, text) = api.raw(Method::GET, "/api/auth/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an edited role ends its holders' sessions: {text}");
    assert!(text.contains("session revoked"), "{text}");

    let token = api.login("holder", "User-password-1").await;
    let (status, _) = api.call(Method::DELETE, &watch, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, text) = api.raw(Method::GET, "/api/auth/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a deleted role ends its holders' sessions: {text}");

    // The admin, who holds no custom role, keeps their session.
    let (status, _) = api.call(Method::GET, "/api/auth/me", None).await;
    assert_eq!(status, StatusCode::OK);
}

/// Review of issue 11: narrowing the role the last administrator holds would
/// leave the tenant with nobody to manage it; the edit is refused and the role
/// kept as it was.
#[tokio::test]
async fn narrowing_the_last_administrators_role_is_refused() {
    let api = api().await;
    let all: Vec<&str> = vms_catalog::access::Permission::all().map(|p| p.as_str()).collect();
    let chief = role(&api, "chief", &all).await;
    let boss = api.user_with_roles("boss", &["chief"]).await;
    // The built-in administrator goes; the boss is the last one, through `chief`.
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let admin: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
    let tenant: uuid::Uuid = me["tenant_id"].as_str().unwrap().parse().unwrap();
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    vms_catalog::user::update(&mut tx, tenant, admin, None, Some(true)).await.unwrap();
    tx.commit().await.unwrap();

    let narrower: Vec<&str> = all.iter().copied().filter(|p| *p != "user.manage").collect();
    let body = json!({"permissions": narrower}).to_string();
    let (status, text) = api.raw(Method::PATCH, &chief, Some(&boss), Some(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("no administrator"), "{text}");
    let (status, text) = api.raw(Method::GET, "/api/auth/me", Some(&boss), None).await;
    assert_eq!(status, StatusCode::OK, "the refused edit ended nobody's session: {text}");
    let (_, roles) = api.raw(Method::GET, "/api/roles", Some(&boss), None).await;
    let roles: Value = serde_json::from_str(&roles).unwrap();
    let kept = roles["items"].as_array().unwrap().iter().find(|r| r["name"] == "chief").cloned().unwrap();
    assert!(kept["permissions"].as_array().unwrap().contains(&json!("user.manage")), "{kept}");
}
