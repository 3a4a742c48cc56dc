//! Every API endpoint, called as a user of another tenant and as a user with
//! too small a role, answers 403/404 and leaks nothing. The endpoints come from
//! the OpenAPI document and their requirements from `routes::ROUTES`, so a new
//! endpoint joins this test by itself, and one missing from the table fails it.
//! The public routes that take a ticket instead of a login are checked across
//! tenants, and the camera routes against site and camera grants.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};
use vms_control::test_utils::{ROUTES, Requirement};

struct Fixture {
    site: String,
    camera: String,
    user: String,
    role: String,
    api_key: String,
    tenant: String,
    /// What `camera`'s main stream recorded.
    footage: common::Footage,
    /// A finished export of `footage`.
    export: String,
    /// An event of `camera`.
    event: String,
    /// A webhook, and a rule calling it.
    webhook: String,
    rule: String,
    /// A bookmark of `camera`, locked as evidence.
    bookmark: String,
    /// A discovery scan (of a documentation address nobody answers from).
    scan: String,
    /// An NVR id that does not exist.
    no_nvr: String,
    markers: Vec<String>,
}

async fn fixture(api: &common::Api) -> Fixture {
    let site = api.create_site("Secret Site HQ").await;
    let (status, camera) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": "Secret Cam", "site_id": site,
                        "streams": [{"role": "main", "url": "rtsp://10.9.9.9/secret-path", "username": "u", "password": "cam-pw-1"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{camera}");
    let (status, user) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "secret-user", "password": "Secret-user-pw-1", "roles": ["viewer"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (status, role) = api
        .call(Method::POST, "/api/roles", Some(json!({"name": "secret-role", "permissions": ["camera.view_live"]})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let (status, key) = api
        .call(Method::POST, "/api/api-keys", Some(json!({"name": "secret-key", "permissions": ["camera.view_live"]})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let (camera, user, role, api_key) = (id(&camera), id(&user), id(&role), id(&key));
    let markers = vec![
        "Secret Site HQ".into(),
        "Secret Cam".into(),
        "secret-path".into(),
        "secret-user".into(),
        "secret-role".into(),
        site.clone(),
        camera.clone(),
        user.clone(),
        role.clone(),
        "secret-key".into(),
        api_key.clone(),
        key["key"].as_str().unwrap().to_owned(),
    ];
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let tenant = me["tenant_id"].as_str().unwrap().to_owned();
    let footage = api.record_footage(&camera, 5).await;
    let export = api.export_done(&api.token.clone(), &camera, &footage).await;
    let event = store_event(api, &tenant, &site, &camera).await;
    let (status, webhook) = api
        .call(Method::POST, "/api/webhooks", Some(json!({"name": "secret-hook", "url": "https://hooks.example/x"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{webhook}");
    let webhook = id(&webhook);
    let rule = json!({"name": "secret-rule", "conditions": {"cameras": [camera]},
                      "actions": [{"kind": "webhook", "webhook_id": webhook}]});
    let (status, rule) = api.call(Method::POST, "/api/rules", Some(rule)).await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");
    let rule = id(&rule);
    let now = chrono::Utc::now();
    let bookmark = json!({"name": "secret-bookmark", "description": "secret-description", "tags": ["secret-tag"],
                          "cameras": [camera], "start": now - chrono::TimeDelta::minutes(5), "end": now});
    let (status, bookmark) = api.call(Method::POST, "/api/bookmarks", Some(bookmark)).await;
    assert_eq!(status, StatusCode::CREATED, "{bookmark}");
    let bookmark = id(&bookmark);
    let (status, locked) = api.call(Method::POST, &format!("/api/bookmarks/{bookmark}/lock"), None).await;
    assert_eq!(status, StatusCode::OK, "{locked}");
    let mut markers = markers;
    markers.extend(["secret-hook".to_owned(), "secret-rule".to_owned(), "hooks.example".to_owned()]);
    markers.extend(["secret-bookmark".to_owned(), "secret-description".to_owned(), "secret-tag".to_owned()]);
    let scan_request = json!({"ranges": ["192.0.2.1"], "multicast": false, "window_secs": 1});
    let (status, scan) = api.call(Method::POST, "/api/discovery/scan", Some(scan_request)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{scan}");
    let scan = id(&scan);
    Fixture {
        site,
        camera,
        user,
        role,
        api_key,
        tenant,
        footage,
        export,
        event,
        webhook,
        rule,
        bookmark,
        scan,
        no_nvr: uuid::Uuid::new_v4().to_string(),
        markers,
    }
}

/// Stores an event of `camera` as the events consumer would.
async fn store_event(api: &common::Api, tenant: &str, site: &str, camera: &str) -> String {
    let id = uuid::Uuid::new_v4();
    let message = vms_catalog::event::store::EventMessage {
        id,
        tenant_id: tenant.parse().unwrap(),
        site_id: Some(site.parse().unwrap()),
        camera_id: Some(camera.parse().unwrap()),
        kind: "object".into(),
        start: chrono::Utc::now(),
        end: None,
        attributes: json!({"label": "person"}).as_object().cloned().unwrap(),
        seq: 0,
    };
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    vms_catalog::event::store::store(&mut tx, &[message]).await.unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

/// Fills `{id}` with the fixture's resource of the path's collection.
fn uri(path: &str, f: &Fixture) -> (String, Option<String>) {
    // A path without parameters (`/api/cameras/deleted`, say) is a collection.
    if !path.contains('{') {
        return (path.to_owned(), None);
    }
    // The installation's alert rules have names, not ids.
    if path.starts_with("/api/alert-rules/") {
        return (path.replace("{kind}", "disk_free_low"), None);
    }
    let id = if path.starts_with("/api/sites/") {
        &f.site
    } else if path.starts_with("/api/cameras/") {
        &f.camera
    } else if path.starts_with("/api/users/") {
        &f.user
    } else if path.starts_with("/api/roles/") {
        &f.role
    } else if path.starts_with("/api/api-keys/") {
        &f.api_key
    } else if path.starts_with("/api/tenants/") {
        &f.tenant
    } else if path.starts_with("/api/exports/") {
        &f.export
    } else if path.starts_with("/api/events/") {
        &f.event
    } else if path.starts_with("/api/rules/") {
        &f.rule
    } else if path.starts_with("/api/webhooks/") {
        &f.webhook
    } else if path.starts_with("/api/bookmarks/") {
        &f.bookmark
    } else if path.starts_with("/api/discovery/scan/") {
        &f.scan
    } else if path.starts_with("/api/nvrs/") {
        // No NVR answers in this fixture: an id nobody has, so allowed callers get 404.
        &f.no_nvr
    } else {
        panic!("no fixture id for {path}: extend tests/authorization.rs");
    };
    let path = path
        .replace("{id}", id)
        .replace("{role}", "main")
        .replace("{delivery}", &uuid::Uuid::nil().to_string())
        .replace("{token}", "1");
    (path, Some(id.clone()))
}

/// A body valid enough to reach the handler, so the answer reflects authorization, not syntax.
fn body_for(path: &str) -> &'static str {
    if path.ends_with("/ticket") {
        r#"{"purpose": "live"}"#
    } else if path.starts_with("/api/bookmarks") {
        r#"{"name": "x", "cameras": ["00000000-0000-0000-0000-000000000000"], "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:01:00Z"}"#
    } else if path == "/api/discovery/scan" {
        // Unicast to a documentation address nobody answers from: no probes on the host's networks.
        r#"{"ranges": ["192.0.2.1"], "multicast": false, "window_secs": 1}"#
    } else if path.ends_with("/ptz/presets") {
        r#"{"name": "x"}"#
    } else if path.starts_with("/api/rules") {
        r#"{"name": "x", "conditions": {}, "actions": [{"kind": "webhook", "webhook_id": "00000000-0000-0000-0000-000000000000"}]}"#
    } else {
        "{}"
    }
}

fn operations() -> Vec<(Method, String, Requirement)> {
    let doc = vms_control::openapi_document();
    let mut ops = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let methods = [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::DELETE, item.delete.is_some()),
        ];
        for (method, present) in methods {
            if present {
                let requirement = vms_control::test_utils::documented(&method, path)
                    .unwrap_or_else(|| panic!("{method} {path} is missing from routes::ROUTES"));
                ops.push((method, path.clone(), requirement));
            }
        }
    }
    // Every route is described; live video's wildcard route by the operations it forwards.
    for (method, route, _) in ROUTES {
        let prefix = route.split("{*").next().unwrap();
        let described =
            ops.iter().any(|(m, p, _)| m == method && (p == route || route.contains("{*") && p.starts_with(prefix)));
        assert!(
            described || (route.contains("{*") && *method == Method::PATCH),
            "{method} {route} is not in the document"
        );
    }
    ops
}

fn assert_no_leak(body: &str, markers: &[String], allowed: Option<&String>, what: &str) {
    for marker in markers {
        if Some(marker) != allowed {
            assert!(!body.contains(marker.as_str()), "{what} leaked `{marker}`: {body}");
        }
    }
}

#[tokio::test]
async fn another_tenant_sees_nothing_of_ours() {
    let api = api().await;
    let f = fixture(&api).await;
    let (status, tenant) = api
        .call(
            Method::POST,
            "/api/tenants",
            Some(json!({"name": "Other Corp", "admin": {"username": "other-admin", "password": "Other-admin-pw-1"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    let other = api.login("other-admin", "Other-admin-pw-1").await;

    let mut checked = 0;
    for (method, path, requirement) in operations() {
        if matches!(requirement, Requirement::Public | Requirement::Authenticated) {
            continue;
        }
        let (uri, id) = uri(&path, &f);
        let (status, body) = api.raw(method.clone(), &uri, Some(&other), Some(body_for(&path))).await;
        let what = format!("{method} {uri} as another tenant's admin");
        match (&id, requirement) {
            (_, Requirement::SuperAdmin) => assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {body}"),
            (Some(_), _) => assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}"),
            // Collections answer with the caller's own tenant (or refuse the empty body).
            (None, _) => {
                assert!(status.is_success() || status == StatusCode::BAD_REQUEST, "{what}: unexpected {status}: {body}")
            }
        }
        assert_no_leak(&body, &f.markers, id.as_ref(), &what);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} endpoints checked");
    api.assert_never_returned("cam-pw-1");
}

#[tokio::test]
async fn too_small_a_role_is_refused_without_data() {
    let api = api().await;
    let f = fixture(&api).await;
    // The auditor role holds audit.read only.
    let weak = api.user_with_roles("weakling", &["auditor"]).await;

    let mut checked = 0;
    for (method, path, requirement) in operations() {
        let needed = match requirement {
            Requirement::Needs(p) if p != vms_catalog::access::Permission::AuditRead => p.to_string(),
            Requirement::NeedsAny(ps) => ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" or "),
            Requirement::SuperAdmin => "super-admin".to_owned(),
            _ => continue,
        };
        let (uri, id) = uri(&path, &f);
        let (status, body) = api.raw(method.clone(), &uri, Some(&weak), Some(body_for(&path))).await;
        let what = format!("{method} {uri} as an auditor");
        assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v,
            json!({"code": "permission_denied", "message": format!("missing permission {needed}")}),
            "{what}"
        );
        assert_no_leak(&body, &f.markers, id.as_ref(), &what);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} endpoints checked");
}

#[tokio::test]
async fn a_site_grant_shows_only_that_site() {
    let api = api().await;
    let f = fixture(&api).await;
    let other_site = api.create_site("Other Site").await;
    let (status, other_cam) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(
                json!({"name": "Other Cam", "site_id": other_site, "streams": [{"role": "main", "url": "rtsp://o/"}]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, guard) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "guard", "password": "Guard-password-1",
                        "roles": [{"role": "operator", "site_id": f.site}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{guard}");
    assert_eq!(guard["roles"][0]["scope"], "site");
    let token = api.login("guard", "Guard-password-1").await;

    let (_, sites) = api.raw(Method::GET, "/api/sites", Some(&token), None).await;
    assert!(sites.contains("Secret Site HQ") && !sites.contains("Other Site"), "{sites}");
    let (_, cams) = api.raw(Method::GET, "/api/cameras", Some(&token), None).await;
    assert!(cams.contains("Secret Cam") && !cams.contains("Other Cam"), "{cams}");
    let other_cam_uri = format!("/api/cameras/{}", other_cam["id"].as_str().unwrap());
    let (status, body) = api.raw(Method::GET, &other_cam_uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(!body.contains("Other Cam"));
    let (status, _) = api.raw(Method::GET, &format!("/api/cameras/{}", f.camera), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    for uri in [format!("/api/exports/{}", f.export), format!("/api/exports/{}/file", f.export)] {
        let (status, body) = api.raw(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "the site's export is reachable: {uri}: {body}");
    }
}

#[tokio::test]
async fn a_grant_on_another_site_or_camera_reaches_no_export() {
    let api = api().await;
    let f = fixture(&api).await;
    let other_site = api.create_site("Other Site").await;
    let (status, other_cam) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(
                json!({"name": "Other Cam", "site_id": other_site, "streams": [{"role": "main", "url": "rtsp://o/"}]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{other_cam}");
    let grants = [
        ("site-guard", json!({"role": "operator", "site_id": other_site})),
        ("camera-guard", json!({"role": "operator", "camera_id": other_cam["id"]})),
    ];
    for (name, grant) in grants {
        let (status, user) = api
            .call(
                Method::POST,
                "/api/users",
                Some(json!({"username": name, "password": "Guard-password-1", "roles": [grant]})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let token = api.login(name, "Guard-password-1").await;
        for (method, uri) in [
            (Method::GET, format!("/api/exports/{}", f.export)),
            (Method::GET, format!("/api/exports/{}/file", f.export)),
            (Method::GET, format!("/api/exports/{}/manifest", f.export)),
            (Method::DELETE, format!("/api/exports/{}", f.export)),
        ] {
            let (status, body) = api.raw(method.clone(), &uri, Some(&token), None).await;
            let what = format!("{method} {uri} as {name}");
            assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {body}");
            assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["message"], "missing permission camera.export");
            assert_no_leak(&body, &f.markers, None, &what);
        }
    }
    let (status, _) = api.call(Method::GET, &format!("/api/exports/{}/file", f.export), None).await;
    assert_eq!(status, StatusCode::OK, "the export is still there");
}

/// Creates a camera with a main stream on `site` as whoever `token` authenticates; returns its id.
async fn create_camera(api: &common::Api, token: &str, site: &str, name: &str) -> String {
    let body = json!({"name": name, "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, text) = api.raw(Method::POST, "/api/cameras", Some(token), Some(&body.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["id"].as_str().unwrap().to_owned()
}

/// An archive ticket for `camera`'s main stream, issued to whoever `token` authenticates.
async fn archive_ticket(api: &common::Api, token: &str, camera: &str) -> String {
    let uri = format!("/api/cameras/{camera}/streams/main/ticket");
    let (status, text) = api.raw(Method::POST, &uri, Some(token), Some(r#"{"purpose": "archive"}"#)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["ticket"].as_str().unwrap().to_owned()
}

/// The playlist of `camera`'s main stream over all of `footage`, opened with `ticket` and no login.
async fn playlist(api: &common::Api, camera: &str, footage: &common::Footage, ticket: &str) -> (StatusCode, String) {
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (start, end) =
        (at(footage.start - chrono::TimeDelta::seconds(1)), at(footage.end + chrono::TimeDelta::seconds(1)));
    let uri = format!("/api/cameras/{camera}/streams/main/playback.m3u8?start={start}&end={end}&ticket={ticket}");
    api.raw(Method::GET, &uri, None, None).await
}

/// The segment id and fragment ticket of a playlist's file URL (`/api/recordings/{id}/{ticket}/video.mp4`).
fn file_of(playlist: &str) -> (String, String) {
    let url = playlist.lines().find(|l| l.starts_with("/api/recordings/")).unwrap_or_else(|| panic!("{playlist}"));
    let parts: Vec<&str> = url.split('/').collect();
    (parts[3].to_owned(), parts[4].to_owned())
}

/// Issue 11: a ticket is signed for one camera, and its tenant is the only
/// one whose index it reads, so tenant A's playlist ticket opens no playlist
/// of tenant B's camera (403, a ticket for another stream), and A's fragment
/// ticket reads no file of B's (404: B's segment does not exist in A); and
/// the other way round. Each ticket still opens its own camera's footage.
/// Live tickets are not checked here: control forwards `/api/live/...`
/// without reading them, and the media plane checks them (vms-media
/// `access`, tested end to end in crates/vms/tests).
#[tokio::test]
async fn a_ticket_of_one_tenant_opens_no_recording_of_another() {
    let api = api().await;
    let f = fixture(&api).await;
    let (status, tenant) = api
        .call(
            Method::POST,
            "/api/tenants",
            Some(json!({"name": "Other Corp", "admin": {"username": "other-admin", "password": "Other-admin-pw-1"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    let other = api.login("other-admin", "Other-admin-pw-1").await;
    let (status, site) = api.raw(Method::POST, "/api/sites", Some(&other), Some(r#"{"name": "Other Site"}"#)).await;
    assert_eq!(status, StatusCode::CREATED, "{site}");
    let site = serde_json::from_str::<Value>(&site).unwrap()["id"].as_str().unwrap().to_owned();
    let other_camera = create_camera(&api, &other, &site, "Other Cam").await;
    let other_footage = api.record_footage(&other_camera, 3).await;

    let ours = archive_ticket(&api, &api.token.clone(), &f.camera).await;
    let theirs = archive_ticket(&api, &other, &other_camera).await;
    for (camera, footage, ticket, what) in [
        (&other_camera, &other_footage, &ours, "our ticket on their camera"),
        (&f.camera, &f.footage, &theirs, "their ticket on our camera"),
    ] {
        let (status, body) = playlist(&api, camera, footage, ticket).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {body}");
        assert_no_leak(&body, &f.markers, None, what);
        assert!(!body.contains("/api/recordings/"), "{what} listed files: {body}");
    }

    // Refused above, so not spent: each ticket still opens its own camera's playlist.
    let (status, our_playlist) = playlist(&api, &f.camera, &f.footage, &ours).await;
    assert_eq!(status, StatusCode::OK, "{our_playlist}");
    let (status, their_playlist) = playlist(&api, &other_camera, &other_footage, &theirs).await;
    assert_eq!(status, StatusCode::OK, "{their_playlist}");
    let (our_segment, our_files) = file_of(&our_playlist);
    let (their_segment, their_files) = file_of(&their_playlist);
    for (segment, ticket, what) in [
        (&their_segment, &our_files, "our fragment ticket on their file"),
        (&our_segment, &their_files, "their fragment ticket on our file"),
    ] {
        let uri = format!("/api/recordings/{segment}/{ticket}/video.mp4");
        let (status, body) = api.raw(Method::GET, &uri, None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
        assert_no_leak(&body, &f.markers, None, what);
    }
    for (segment, ticket) in [(&our_segment, &our_files), (&their_segment, &their_files)] {
        let uri = format!("/api/recordings/{segment}/{ticket}/video.mp4");
        let (status, body) = api.raw(Method::GET, &uri, None, None).await;
        assert_eq!(status, StatusCode::OK, "a fragment ticket reads its own file: {body}");
    }
}

/// The camera routes that check a permission on the camera itself: method,
/// URI, body, the permission, and what they answer a caller who holds it (a
/// snapshot needs a stream online, which no plane runs here: its 503 says
/// the check was passed).
fn camera_routes(camera: &str) -> Vec<(Method, String, Option<&'static str>, &'static str, StatusCode)> {
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let now = chrono::Utc::now();
    let window = format!("start={}&end={}", at(now - chrono::TimeDelta::hours(2)), at(now));
    vec![
        (
            Method::GET,
            format!("/api/cameras/{camera}/snapshot"),
            None,
            "camera.view_live",
            StatusCode::SERVICE_UNAVAILABLE,
        ),
        (
            Method::POST,
            format!("/api/cameras/{camera}/streams/main/ticket"),
            Some(r#"{"purpose": "live"}"#),
            "camera.view_live",
            StatusCode::CREATED,
        ),
        (
            Method::POST,
            format!("/api/cameras/{camera}/streams/main/ticket"),
            Some(r#"{"purpose": "archive"}"#),
            "camera.view_archive",
            StatusCode::CREATED,
        ),
        (
            Method::GET,
            format!("/api/cameras/{camera}/streams/main/recordings?{window}"),
            None,
            "camera.view_archive",
            StatusCode::OK,
        ),
        (
            Method::GET,
            format!("/api/recordings/ranges?camera_id={camera}&{window}"),
            None,
            "camera.view_archive",
            StatusCode::OK,
        ),
        (
            Method::GET,
            format!("/api/cameras/{camera}/streams/main/thumbnail.jpg?at={}", at(now)),
            None,
            "camera.view_archive",
            StatusCode::NOT_FOUND,
        ),
        (Method::GET, format!("/api/cameras/{camera}/recording"), None, "camera.view_archive", StatusCode::OK),
        (Method::PUT, format!("/api/cameras/{camera}/recording"), Some("{}"), "camera.manage", StatusCode::OK),
        (Method::GET, format!("/api/cameras/{camera}/analytics"), None, "camera.view_live", StatusCode::OK),
        (Method::PUT, format!("/api/cameras/{camera}/analytics"), Some("{}"), "camera.manage", StatusCode::OK),
    ]
}

/// Issue 11: snapshots, tickets and recordings are checked against the
/// camera's site and the camera itself, not only the tenant. A tenant admin
/// role granted on site A reaches A's cameras and not site B's; granted on
/// camera A1 it reaches A1 and not A2 (nor B's).
#[tokio::test]
async fn a_site_or_camera_grant_reaches_only_its_cameras() {
    let api = api().await;
    let f = fixture(&api).await;
    let admin = api.token.clone();
    let a2 = create_camera(&api, &admin, &f.site, "Second Cam").await;
    let site_b = api.create_site("Other Site").await;
    let b1 = create_camera(&api, &admin, &site_b, "Other Cam").await;
    let grants = [
        ("site-admin", json!({"role": "admin", "site_id": f.site}), vec![&f.camera, &a2], vec![&b1]),
        ("camera-admin", json!({"role": "admin", "camera_id": f.camera}), vec![&f.camera], vec![&a2, &b1]),
    ];
    for (name, grant, own, others) in grants {
        let (status, user) = api
            .call(
                Method::POST,
                "/api/users",
                Some(json!({"username": name, "password": "Guard-password-1", "roles": [grant]})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let token = api.login(name, "Guard-password-1").await;
        let cases = own.iter().map(|c| (*c, true)).chain(others.iter().map(|c| (*c, false)));
        for (camera, granted) in cases {
            for (method, uri, body, permission, reached) in camera_routes(camera) {
                let (status, text) = api.raw(method.clone(), &uri, Some(&token), body).await;
                let what = format!("{method} {uri} {} as {name}", body.unwrap_or_default());
                if granted {
                    assert_eq!(status, reached, "{what}: {text}");
                    continue;
                }
                assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {text}");
                let message = serde_json::from_str::<Value>(&text).unwrap()["message"].clone();
                assert_eq!(message, format!("missing permission {permission}"), "{what}");
                assert!(!text.contains("Other Cam") && !text.contains("Second Cam"), "{what} leaked: {text}");
            }
        }
    }
}
