//! User management: self-protection, the last administrator, no privilege
//! escalation, one-time password resets and disabling.

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_PASSWORD, api, assert_bad_field};
use serde_json::{Value, json};

async fn me(api: &common::Api) -> String {
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    me["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn nobody_disables_demotes_or_deletes_themselves_and_one_admin_remains() {
    let api = api().await;
    let admin = me(&api).await;
    let uri = format!("/api/users/{admin}");
    let (status, body) = api.call(Method::PATCH, &uri, Some(json!({"disabled": true}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["message"], "you cannot disable yourself");
    let (status, body) = api.call(Method::PATCH, &uri, Some(json!({"roles": ["viewer"]}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = api.call(Method::DELETE, &uri, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // A second admin may be demoted while the first remains; the first stays protected.
    let (status, second) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "second", "password": "Second-admin-1", "roles": ["admin"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let second_uri = format!("/api/users/{}", second["id"].as_str().unwrap());
    let (status, _) = api.call(Method::PATCH, &second_uri, Some(json!({"roles": ["viewer"]}))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, still) = api.call(Method::GET, &uri, None).await;
    assert_eq!(still["roles"][0]["role"], "admin");

    // Acting as the second user once promoted back, another admin can be removed
    // while one remains; the first admin, a super-admin, is out of their reach.
    let (status, _) = api.call(Method::PATCH, &second_uri, Some(json!({"roles": ["admin"]}))).await;
    assert_eq!(status, StatusCode::OK);
    let token = api.login("second", "Second-admin-1").await;
    let (status, _) = api.raw(Method::DELETE, &uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only a super-admin acts on a super-admin");
    let third = create(&api, "third", json!(["admin"])).await;
    let (status, _) = api.raw(Method::DELETE, &format!("/api/users/{third}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "another admin remains");
    let (status, _) = api.raw(Method::PATCH, &second_uri, Some(&token), Some(r#"{"roles": []}"#)).await;
    assert_eq!(status, StatusCode::CONFLICT, "nobody demotes themselves");
}

#[tokio::test]
async fn nobody_grants_what_they_do_not_hold() {
    let api = api().await;
    let (status, _) = api
        .call(
            Method::POST,
            "/api/roles",
            Some(json!({"name": "user-admin", "permissions": ["user.manage", "camera.view_live"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "hr", "password": "Hr-password-12", "roles": ["user-admin"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let hr = api.login("hr", "Hr-password-12").await;
    let body = json!({"username": "mallory", "password": "Mallory-pw-123", "roles": ["admin"]}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/users", Some(&hr), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("roles[0]"), "{text}");
    let body = json!({"name": "sneaky", "permissions": ["system.manage"]}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/roles", Some(&hr), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body = json!({"username": "ok-viewer", "password": "Viewer-pw-1234", "roles": ["user-admin"]}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/users", Some(&hr), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "granting what one holds is fine");
}

#[tokio::test]
async fn passwords_follow_the_policy_and_reset_once() {
    let api = api().await;
    let (status, body) =
        api.call(Method::POST, "/api/users", Some(json!({"username": "ann", "password": "short", "roles": []}))).await;
    assert_bad_field(status, &body, "password");
    let (status, body) = api
        .call(Method::POST, "/api/users", Some(json!({"username": "bad name!", "password": "Ann-password-1"})))
        .await;
    assert_bad_field(status, &body, "username");
    let (status, ann) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "ann", "password": "Ann-password-1", "roles": ["viewer"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ann}");
    assert!(ann.get("password_hash").is_none() && !ann.to_string().contains("argon2"));
    let ann_id = ann["id"].as_str().unwrap();

    let (status, reset) = api.call(Method::POST, &format!("/api/users/{ann_id}/password-reset"), None).await;
    assert_eq!(status, StatusCode::CREATED, "{reset}");
    let token = reset["token"].as_str().unwrap();
    let set = |pw: &str| json!({"token": token, "new_password": pw}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/auth/reset-password", None, Some(&set("weak"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    let (status, _) = api.raw(Method::POST, "/api/auth/reset-password", None, Some(&set("Ann-new-pass-2"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, text) = api.raw(Method::POST, "/api/auth/reset-password", None, Some(&set("Ann-other-pass-3"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a token works once: {text}");
    api.login("ann", "Ann-new-pass-2").await;
    api.assert_never_returned("Ann-new-pass-2");
    api.assert_never_returned(ADMIN_PASSWORD);

    // Changing one's own password needs the current one.
    let ann_token = api.login("ann", "Ann-new-pass-2").await;
    let change = json!({"current_password": "wrong-Password-9", "new_password": "Ann-third-pass-4"}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/password", Some(&ann_token), Some(&change)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let change = json!({"current_password": "Ann-new-pass-2", "new_password": "Ann-third-pass-4"}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/password", Some(&ann_token), Some(&change)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    api.login("ann", "Ann-third-pass-4").await;
}

#[tokio::test]
async fn a_disabled_user_can_neither_log_in_nor_refresh() {
    let api = api().await;
    let (_, bob) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "bob", "password": "Bob-password-12", "roles": ["viewer"]})),
        )
        .await;
    let login = json!({"username": "bob", "password": "Bob-password-12"}).to_string();
    let (_, text) = api.raw(Method::POST, "/api/auth/login", None, Some(&login)).await;
    let pair: Value = serde_json::from_str(&text).unwrap();
    let (status, _) = api
        .call(Method::PATCH, &format!("/api/users/{}", bob["id"].as_str().unwrap()), Some(json!({"disabled": true})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api.raw(Method::POST, "/api/auth/login", None, Some(&login)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let refresh = json!({"refresh_token": pair["refresh_token"]}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/refresh", None, Some(&refresh)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, text) = api.raw(Method::GET, "/api/auth/me", pair["access_token"].as_str(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the access token dies with the session: {text}");
    assert!(text.contains("session revoked"));
}

#[tokio::test]
async fn super_admins_manage_tenants_and_act_in_them_explicitly() {
    let api = api().await;
    let (status, t) = api
        .call(
            Method::POST,
            "/api/tenants",
            Some(json!({"name": "Branch", "admin": {"username": "branch-admin", "password": "Branch-admin-1"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let id = t["id"].as_str().unwrap().to_owned();
    let (status, renamed) =
        api.call(Method::PATCH, &format!("/api/tenants/{id}"), Some(json!({"name": "Branch East"}))).await;
    assert_eq!((status, renamed["name"].as_str()), (StatusCode::OK, Some("Branch East")));

    // Acting inside the branch takes an explicit header, and is audited as such.
    let (status, text) = api.raw_with_header("x-vms-tenant", &id, Method::GET, "/api/users").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("branch-admin") && !text.contains("\"username\":\"admin\""), "{text}");

    let (status, body) = api.call(Method::DELETE, &format!("/api/tenants/{id}"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "a tenant with users is not deleted: {body}");
    let (_, users) = api.raw_with_header("x-vms-tenant", &id, Method::GET, "/api/users").await;
    let users: Value = serde_json::from_str(&users).unwrap();
    let branch_admin = users["items"][0]["id"].as_str().unwrap().to_owned();
    // The branch's last admin can only go together with the branch: delete via the owner pool.
    sqlx::query("DELETE FROM users WHERE id = $1::uuid").bind(&branch_admin).execute(&api.db.owner_pool).await.unwrap();
    let (status, _) = api.call(Method::DELETE, &format!("/api/tenants/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let own = me["tenant_id"].as_str().unwrap();
    let (status, _) = api.call(Method::DELETE, &format!("/api/tenants/{own}"), None).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Someone who is not a super-admin cannot use the header at all.
    let other = api.user_with_roles("plain-admin", &["admin"]).await;
    let (status, _) = api.raw_header_token(&other, "x-vms-tenant", &id, Method::GET, "/api/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Creates a user through the API as the admin and returns their id.
async fn create(api: &common::Api, username: &str, roles: Value) -> String {
    let body = json!({"username": username, "password": "Some-password-12", "roles": roles});
    let (status, user) = api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    user["id"].as_str().unwrap().to_owned()
}

/// Tries every way of taking over `target` as `token`, and asserts each is refused.
async fn assert_out_of_reach(api: &common::Api, token: &str, target: &str, who: &str) {
    let uri = format!("/api/users/{target}");
    let reset = format!("{uri}/password-reset");
    let attempts = [
        (Method::POST, reset.as_str(), None),
        (Method::PATCH, uri.as_str(), Some(r#"{"display_name": "Pwned"}"#)),
        (Method::PATCH, uri.as_str(), Some(r#"{"disabled": true}"#)),
        (Method::PATCH, uri.as_str(), Some(r#"{"roles": ["viewer"]}"#)),
        (Method::DELETE, uri.as_str(), None),
    ];
    for (method, path, body) in attempts {
        let (status, text) = api.raw(method.clone(), path, Some(token), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} {body:?} on {who}: {text}");
    }
}

#[tokio::test]
async fn nobody_acts_on_an_account_holding_more_than_they_do() {
    let api = api().await;
    let super_admin = me(&api).await;
    let (status, _) = api
        .call(
            Method::POST,
            "/api/roles",
            Some(json!({"name": "user-admin", "permissions": ["user.manage", "camera.view_live", "event.read"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let boss = create(&api, "boss", json!(["admin"])).await;
    let viewer = create(&api, "val", json!(["viewer"])).await;
    let hr = api.user_with_roles("hr", &["user-admin"]).await;
    assert_out_of_reach(&api, &hr, &boss, "a tenant admin").await;
    assert_out_of_reach(&api, &hr, &super_admin, "the super-admin").await;

    // A tenant admin holds every permission, but is no super-admin.
    let deputy = api.user_with_roles("deputy", &["admin"]).await;
    assert_out_of_reach(&api, &deputy, &super_admin, "the super-admin").await;

    // Accounts within reach stay manageable.
    let (status, text) = api.raw(Method::POST, &format!("/api/users/{viewer}/password-reset"), Some(&hr), None).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let (status, text) = api.raw(Method::DELETE, &format!("/api/users/{boss}"), Some(&deputy), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "an admin may act on an equal: {text}");
    let (_, still) = api.call(Method::GET, &format!("/api/users/{super_admin}"), None).await;
    assert_eq!((still["disabled"].as_bool(), still["display_name"].as_str()), (Some(false), Some("")), "{still}");
}

#[tokio::test]
async fn user_names_cannot_pass_for_others_nor_reveal_other_tenants() {
    let api = api().await;
    let attempt = |name: &str| Some(json!({"username": name, "password": "Some-password-12", "roles": ["viewer"]}));
    // Cyrillic `а` looks like Latin `a`.
    let (status, body) = api.call(Method::POST, "/api/users", attempt("\u{0430}dmin")).await;
    assert_bad_field(status, &body, "username");
    // Full-width letters fold to ASCII (NFKC), and so clash with the name they imitate.
    let (status, body) =
        api.call(Method::POST, "/api/users", attempt("\u{ff41}\u{ff44}\u{ff4d}\u{ff49}\u{ff4e}")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = api.call(Method::POST, "/api/users", attempt("\u{ff42}ob")).await;
    assert_eq!((status, body["username"].as_str()), (StatusCode::CREATED, Some("bob")), "{body}");

    // A name taken here and a name taken in another tenant are refused alike.
    let (status, t) = api
        .call(
            Method::POST,
            "/api/tenants",
            Some(json!({"name": "Branch", "admin": {"username": "branch-admin", "password": "Branch-admin-1"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let branch = api.login("branch-admin", "Branch-admin-1").await;
    let body = |name: &str| json!({"username": name, "password": "Some-password-12"}).to_string();
    let (status, elsewhere) = api.raw(Method::POST, "/api/users", Some(&branch), Some(&body("BOB"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{elsewhere}");
    let (status, here) = api.raw(Method::POST, "/api/users", Some(&branch), Some(&body("Branch-Admin"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{here}");
    assert_eq!(elsewhere, here, "the refusal must not tell where the name is taken");
    assert!(elsewhere.contains("user name not available"), "{elsewhere}");

    // Names stored before these rules still log in.
    api.user_with_roles("jos\u{e9}", &["viewer"]).await;
}

#[tokio::test]
async fn users_come_by_name_a_page_at_a_time() {
    let api = api().await;
    for name in ["zed", "Bea", "carl", "amy"] {
        let body = json!({"username": name, "password": format!("{name}-Password-1"), "roles": ["viewer"]});
        let (status, text) = api.call(Method::POST, "/api/users", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
    let (mut names, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let uri = cursor.as_ref().map_or("/api/users?limit=2".to_owned(), |c| format!("/api/users?limit=2&cursor={c}"));
        let (status, page) = api.call(Method::GET, &uri, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        names.extend(items.iter().map(|u| u["username"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(names, ["admin", "amy", "Bea", "carl", "zed"], "by name regardless of case, each once");
    // A name from before names were limited to ASCII pages by the database's
    // own lower case, whatever its collation: each once, in the one-page order.
    api.user_with_roles("Émile", &["viewer"]).await;
    let (mut paged, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let uri = cursor.as_ref().map_or("/api/users?limit=1".to_owned(), |c| format!("/api/users?limit=1&cursor={c}"));
        let (_, page) = api.call(Method::GET, &uri, None).await;
        paged.extend(page["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let (_, all) = api.call(Method::GET, "/api/users", None).await;
    assert!(all.get("next_cursor").is_none(), "one page holds them all: {all}");
    let one_page: Vec<String> =
        all["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_owned()).collect();
    assert_eq!(paged, one_page);
    assert_eq!(paged.len(), 6, "{paged:?}");
    for bad in ["limit=0", "limit=501", "cursor=nonsense", "sort=name"] {
        let (status, text) = api.call(Method::GET, &format!("/api/users?{bad}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {text}");
    }
}
