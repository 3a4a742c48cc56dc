//! Login, token rotation, reuse detection and the endpoints that require a token.

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_PASSWORD, api, assert_bad_field};
use serde_json::{Value, json};

async fn login_pair(api: &common::Api) -> Value {
    let body = json!({"username": "ADMIN", "password": ADMIN_PASSWORD}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/auth/login", None, Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn refresh(api: &common::Api, token: &str) -> (StatusCode, Value) {
    let body = json!({"refresh_token": token}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/auth/refresh", None, Some(&body)).await;
    (status, serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn login_issues_a_short_lived_token_and_refuses_bad_credentials() {
    let api = api().await;
    let pair = login_pair(&api).await;
    assert_eq!(pair["expires_in"], 900);
    assert_eq!(pair["token_type"], "Bearer");
    assert!(pair["refresh_token"].as_str().unwrap().len() >= 40);

    let (status, me) = api.call(Method::GET, "/api/auth/me", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "admin");
    assert!(me["permissions"].as_array().unwrap().iter().any(|p| p == "camera.manage"));

    for (user, pass) in [("admin", "wrong-Password-1"), ("nobody", ADMIN_PASSWORD)] {
        let body = json!({"username": user, "password": pass}).to_string();
        let (status, text) = api.raw(Method::POST, "/api/auth/login", None, Some(&body)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["code"], "unauthenticated");
        assert_eq!(v["message"], "invalid username or password", "no hint which part was wrong");
    }
    let (status, text) = api.raw(Method::POST, "/api/auth/login", None, Some(r#"{"username": "admin"}"#)).await;
    assert_bad_field(status, &serde_json::from_str(&text).unwrap(), "password");
    api.assert_never_returned(ADMIN_PASSWORD);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let api = api().await;
    let first = login_pair(&api).await;
    let r1 = first["refresh_token"].as_str().unwrap();

    let (status, second) = refresh(&api, r1).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let r2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    let (status, _) = api.raw(Method::GET, "/api/auth/me", Some(second["access_token"].as_str().unwrap()), None).await;
    assert_eq!(status, StatusCode::OK);

    // r1 is presented again: somebody copied it. The whole login is revoked, r2 included.
    let (status, reused) = refresh(&api, r1).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(reused["message"].as_str().unwrap().contains("reuse"), "{reused}");
    let (status, _) = refresh(&api, &r2).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = refresh(&api, "made-up").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let api = api().await;
    let pair = login_pair(&api).await;
    let access = pair["access_token"].as_str().unwrap();
    let body = json!({"refresh_token": pair["refresh_token"]}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/logout", Some(access), Some(&body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.raw(Method::GET, "/api/auth/me", Some(access), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the access token stops working at logout");
    let (status, _) = refresh(&api, pair["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Issue 11, point 4: a client that sends no body (as the web app did) still
/// ends its session, and nobody ends another user's session with their token.
#[tokio::test]
async fn logout_without_a_body_ends_the_tokens_own_session_and_never_anothers() {
    let api = api().await;
    let pair = login_pair(&api).await;
    let access = pair["access_token"].as_str().unwrap();
    let (status, text) = api.raw(Method::POST, "/api/auth/logout", Some(access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    let (status, _) = refresh(&api, pair["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session's refresh token is refused after logout");

    let viewer = api.user_with_roles("someone", &["viewer"]).await;
    let admin = login_pair(&api).await;
    let body = json!({"refresh_token": admin["refresh_token"]}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/logout", Some(&viewer), Some(&body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "the viewer's own session ends");
    let (status, _) = refresh(&api, admin["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "the admin's session is not the viewer's to end");
}

/// Review of issue 11, point 4: a web app left open past its access token's
/// lifetime still signs out. The refresh token alone proves the session, so
/// logout accepts it with an expired, garbled or missing access token; without
/// either, or with a refresh token nobody holds, it refuses.
#[tokio::test]
async fn logout_with_only_the_refresh_token_ends_the_session() {
    let api = api().await;
    for bearer in [None, Some("expired.or.garbled".to_owned()), Some(forged_token())] {
        let pair = login_pair(&api).await;
        let access = pair["access_token"].as_str().unwrap();
        let body = json!({"refresh_token": pair["refresh_token"]}).to_string();
        let (status, text) = api.raw(Method::POST, "/api/auth/logout", bearer.as_deref(), Some(&body)).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "bearer {bearer:?}: {text}");
        let (status, _) = refresh(&api, pair["refresh_token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "bearer {bearer:?}: the refresh token is refused after logout");
        let (status, _) = api.raw(Method::GET, "/api/auth/me", Some(access), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "bearer {bearer:?}: the session's access token ends too");
    }
    for body in [None, Some(json!({"refresh_token": "nobody-holds-this"}).to_string())] {
        let (status, text) = api.raw(Method::POST, "/api/auth/logout", None, body.as_deref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body:?}: {text}");
    }

    // A token whose login ended already ends nothing and writes nothing.
    let pair = login_pair(&api).await;
    let body = json!({"refresh_token": pair["refresh_token"]}).to_string();
    assert_eq!(api.raw(Method::POST, "/api/auth/logout", None, Some(&body)).await.0, StatusCode::NO_CONTENT);
    let (status, _) = api.raw(Method::POST, "/api/auth/logout", None, Some(&body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked token is no longer a session");

    // A used token is somebody's copy: its login ends, and it is recorded as reuse.
    let pair = login_pair(&api).await;
    let used = pair["refresh_token"].as_str().unwrap();
    let (status, next) = refresh(&api, used).await;
    assert_eq!(status, StatusCode::OK);
    let body = json!({"refresh_token": used}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/auth/logout", None, Some(&body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    assert!(text.contains("reuse"), "{text}");
    let (status, _) = refresh(&api, next["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the copied login ended");
    let (_, audit) = api.call(Method::GET, "/api/audit?action=auth.refresh_reuse", None).await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
}

#[tokio::test]
async fn every_api_endpoint_but_login_requires_a_token() {
    let api = api().await;
    let id = uuid::Uuid::new_v4();
    let doc = vms_control::openapi_document();
    let mut checked = 0;
    for (path, item) in doc.paths.paths.iter() {
        let public = |method: &Method| {
            vms_control::test_utils::documented(method, path) == Some(vms_control::test_utils::Requirement::Public)
        };
        let uri = path.replace("{id}", &id.to_string());
        let methods = [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::DELETE, item.delete.is_some()),
        ];
        for (method, present) in methods {
            if !present || public(&method) {
                continue;
            }
            for token in [None, Some("not.a.jwt"), Some(forged_token().as_str())] {
                let (status, text) = api.raw(method.clone(), &uri, token, Some("{}")).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri} with {token:?}: {text}");
                assert!(text.contains("\"code\":\"unauthenticated\""), "{text}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} endpoints checked");
}

/// A well-formed token signed by a key the server does not know.
fn forged_token() -> String {
    let dir = tempfile::tempdir().unwrap();
    let keys =
        vms_control::test_utils::TokenKeys::load_or_create(dir.path(), std::time::Duration::from_secs(900)).unwrap();
    let all = vms_catalog::access::Permission::all().map(|p| p.to_string()).collect::<Vec<_>>();
    let access = vms_catalog::access::Access::from_grants([(vms_catalog::access::GrantScope::Tenant, &all[..])]);
    keys.issue(
        &vms_catalog::user::UserAuth {
            id: uuid::Uuid::new_v4(),
            tenant_id: uuid::Uuid::new_v4(),
            username: "admin".into(),
            password_hash: String::new(),
            disabled: false,
            super_admin: true,
            last_login_at: None,
        },
        &access,
        uuid::Uuid::new_v4(),
    )
}

async fn count(api: &common::Api, sql: &str) -> i64 {
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap()
}

/// Issue 11, point 19: revoked and expired refresh tokens and spent reset tokens are swept.
#[tokio::test]
async fn the_sweep_deletes_spent_tokens_and_keeps_live_ones() {
    let api = api().await;
    let ended = login_pair(&api).await;
    let token = ended["access_token"].as_str().unwrap().to_owned();
    let body = json!({"refresh_token": ended["refresh_token"]}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/logout", Some(&token), Some(&body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let live = login_pair(&api).await;
    let (status, _) = refresh(&api, live["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let (status, reset) =
        api.call(Method::POST, &format!("/api/users/{}/password-reset", me["id"].as_str().unwrap()), None).await;
    assert_eq!(status, StatusCode::CREATED, "{reset}");
    let body = json!({"token": reset["token"], "new_password": "Brand-new-pass-1"}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/auth/reset-password", None, Some(&body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    // The reset revoked every login of the admin; log in again for one live family.
    let body = json!({"username": "admin", "password": "Brand-new-pass-1"}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/auth/login", None, Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let fresh: Value = serde_json::from_str(&text).unwrap();
    assert!(count(&api, "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL").await >= 3);
    assert_eq!(count(&api, "SELECT count(*) FROM password_resets").await, 1);

    let (refresh_deleted, resets_deleted) = vms_control::test_utils::sweep_once(&api.db.pool).await.unwrap();
    assert!(refresh_deleted >= 3, "{refresh_deleted}");
    assert_eq!(resets_deleted, 1);
    assert_eq!(count(&api, "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL").await, 0);
    assert_eq!(count(&api, "SELECT count(*) FROM password_resets").await, 0);
    let (status, _) = refresh(&api, fresh["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "a live login survives the sweep");
}
