//! Camera and site CRUD through the real router: bad input, unknown ids and
//! secrets that never come back.

mod common;

use axum::http::{Method, StatusCode};
use common::{api, api_with, assert_bad_field};
use serde_json::json;

#[tokio::test]
async fn camera_crud_round_trip_without_leaking_credentials() {
    let api = api().await;
    let site = api.create_site("HQ").await;

    let (status, created) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({
                "name": "Front door",
                "site_id": site,
                "streams": [
                    {"role": "main", "url": "rtsp://admin:url-secret-1@10.0.0.5:554/Streaming/101"},
                    {"role": "sub", "url": "rtsp://10.0.0.5/102", "username": "viewer", "password": "body-secret-2",
                     "transport": "udp"}
                ]
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["streams"][0]["role"], "main");
    assert_eq!(created["streams"][0]["url"], "rtsp://10.0.0.5:554/Streaming/101");
    assert_eq!(created["streams"][0]["has_credentials"], true);
    assert_eq!(created["streams"][1]["transport"], "udp");
    assert!(created["streams"][0]["state"]["status"].is_string());

    let (status, list) = api.call(Method::GET, "/api/cameras", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (_, by_site) = api.call(Method::GET, &format!("/api/cameras?site_id={site}"), None).await;
    assert_eq!(by_site["items"][0]["id"], id.as_str());

    // Streams given without credentials keep the stored ones.
    let (status, patched) = api
        .call(
            Method::PATCH,
            &format!("/api/cameras/{id}"),
            Some(json!({"name": "Front door 2", "streams": [{"role": "main", "url": "rtsp://10.0.0.5/101"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["name"], "Front door 2");
    assert_eq!(patched["streams"].as_array().unwrap().len(), 1, "sub stream removed");
    assert_eq!(patched["streams"][0]["has_credentials"], true);
    assert_eq!(patched["streams"][0]["id"], created["streams"][0]["id"], "stream ids stay stable");

    let (_, cleared) = api
        .call(
            Method::PATCH,
            &format!("/api/cameras/{id}"),
            Some(json!({"streams": [{"role": "main", "url": "rtsp://10.0.0.5/101", "clear_credentials": true}]})),
        )
        .await;
    assert_eq!(cleared["streams"][0]["has_credentials"], false);

    let (status, fetched) = api.call(Method::GET, &format!("/api/cameras/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["name"], "Front door 2");

    let (status, _) = api.call(Method::DELETE, &format!("/api/cameras/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, gone) = api.call(Method::GET, &format!("/api/cameras/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(gone["code"], "not_found");

    api.assert_never_returned("url-secret-1");
    api.assert_never_returned("body-secret-2");
}

/// Someone allowed to edit a camera but not told its password must not be
/// able to point the stream at a server of theirs and collect the password
/// there: stored credentials go with the host they were given for.
#[tokio::test]
async fn moving_a_stream_to_another_host_drops_its_credentials() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let stream = |url: &str| json!({"role": "main", "url": url});
    let (status, created) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": "Gate", "site_id": site, "streams": [stream("rtsp://admin:gate-pw@10.0.0.7/live")]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let path = format!("/api/cameras/{}", created["id"].as_str().unwrap());
    let patch = |streams: serde_json::Value| Some(json!({ "streams": streams }));

    // Same host and port (554 spelled out or not), another path: kept.
    for url in ["rtsp://10.0.0.7:554/live2", "rtsp://10.0.0.7/live3"] {
        let (status, same) = api.call(Method::PATCH, &path, patch(json!([stream(url)]))).await;
        assert_eq!(status, StatusCode::OK, "{same}");
        assert_eq!(same["streams"][0]["has_credentials"], true, "{url}: {same}");
    }
    // Another port, another host, or RTSPS given up for plain RTSP: dropped.
    for (from, to) in [
        ("rtsp://10.0.0.7/live", "rtsp://10.0.0.7:8554/live"),
        ("rtsp://10.0.0.7/live", "rtsp://attacker.example/live"),
        ("rtsps://10.0.0.7/live", "rtsp://10.0.0.7:322/live"),
    ] {
        let again = json!([{"role": "main", "url": from, "username": "admin", "password": "gate-pw"}]);
        let (status, restored) = api.call(Method::PATCH, &path, patch(again)).await;
        assert_eq!((status, &restored["streams"][0]["has_credentials"]), (StatusCode::OK, &json!(true)), "{restored}");
        let (status, moved) = api.call(Method::PATCH, &path, patch(json!([stream(to)]))).await;
        assert_eq!(status, StatusCode::OK, "{moved}");
        assert_eq!(moved["streams"][0]["url"], to);
        assert_eq!(moved["streams"][0]["has_credentials"], false, "{from} -> {to}: {moved}");
    }
    // Credentials given again with the new host are stored for it.
    let given = json!([{"role": "main", "url": "rtsp://10.0.0.8/live", "username": "admin", "password": "new-pw"}]);
    let (status, moved) = api.call(Method::PATCH, &path, patch(given)).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["streams"][0]["has_credentials"], true, "{moved}");
    api.assert_never_returned("gate-pw");
    api.assert_never_returned("new-pw");
}

#[tokio::test]
async fn bad_camera_input_is_rejected_naming_the_field() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let main = json!({"role": "main", "url": "rtsp://cam/1"});
    let cases = [
        (json!({"site_id": site, "streams": [main]}), "name"),
        (json!({"name": " ", "site_id": site, "streams": [main]}), "name"),
        (json!({"name": "c", "streams": [main]}), "site_id"),
        (json!({"name": "c", "site_id": "not-a-uuid", "streams": [main]}), "site_id"),
        (json!({"name": "c", "site_id": site}), "streams"),
        (json!({"name": "c", "site_id": site, "streams": []}), "streams"),
        (json!({"name": "c", "site_id": site, "streams": [main, main]}), "streams[1].role"),
        (json!({"name": "c", "site_id": site, "streams": [{"role": "side", "url": "rtsp://x/"}]}), "streams[0].role"),
        (json!({"name": "c", "site_id": site, "streams": [{"role": "main", "url": "http://x/"}]}), "streams[0].url"),
        (json!({"name": "c", "site_id": site, "streams": [{"role": "main"}]}), "url"),
        (
            json!({"name": "c", "site_id": site, "streams": [{"role": "main", "url": "rtsp://x/", "transport": "sctp"}]}),
            "streams[0].transport",
        ),
        (
            json!({"name": "c", "site_id": site, "streams": [{"role": "main", "url": "rtsp://x/", "password": "pw-only"}]}),
            "streams[0].username",
        ),
        (json!({"name": "c", "site_id": site, "streams": [main], "colour": "red"}), "colour"),
        (json!({"name": "c", "site_id": uuid::Uuid::new_v4(), "streams": [main]}), "site_id"),
    ];
    for (body, field) in cases {
        let (status, reply) = api.call(Method::POST, "/api/cameras", Some(body.clone())).await;
        assert_bad_field(status, &reply, field);
    }
    let (status, text) = api.raw(Method::POST, "/api/cameras", Some(&api.token), Some("{\"name\": ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("\"code\":\"invalid_argument\""), "{text}");

    let (status, reply) = api.call(Method::GET, "/api/cameras/123", None).await;
    assert_bad_field(status, &reply, "id");
    let (status, reply) = api.call(Method::GET, "/api/cameras?site_id=nope", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    let (status, reply) =
        api.call(Method::PATCH, &format!("/api/cameras/{}", uuid::Uuid::new_v4()), Some(json!({"name": "x"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    let (status, _) = api.call(Method::DELETE, &format!("/api/cameras/{}", uuid::Uuid::new_v4()), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    api.assert_never_returned("pw-only");
}

#[tokio::test]
async fn site_crud_and_conflicts() {
    let api = api().await;
    let site = api.create_site("Warehouse").await;
    let (status, dup) = api.call(Method::POST, "/api/sites", Some(json!({"name": "Warehouse"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{dup}");
    assert_eq!(dup["code"], "already_exists");
    let (status, bad) =
        api.call(Method::POST, "/api/sites", Some(json!({"name": "x", "timezone": "Not A Zone"}))).await;
    assert_bad_field(status, &bad, "timezone");
    let (status, bad) =
        api.call(Method::POST, "/api/sites", Some(json!({"name": "y", "timezone": "Europe/Atlantis"}))).await;
    assert_bad_field(status, &bad, "timezone");

    let (status, patched) =
        api.call(Method::PATCH, &format!("/api/sites/{site}"), Some(json!({"timezone": "Europe/Berlin"}))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["timezone"], "Europe/Berlin");
    assert_eq!(patched["name"], "Warehouse");

    let (status, camera) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": "Dock", "site_id": site, "streams": [{"role": "main", "url": "rtsp://dock/"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{camera}");
    let (status, busy) = api.call(Method::DELETE, &format!("/api/sites/{site}"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{busy}");
    assert_eq!(busy["code"], "failed_precondition");

    api.call(Method::DELETE, &format!("/api/cameras/{}", camera["id"].as_str().unwrap()), None).await;
    let (status, _) = api.call(Method::DELETE, &format!("/api/sites/{site}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.call(Method::GET, &format!("/api/sites/{site}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = api.call(Method::GET, "/api/sites", None).await;
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn viewers_may_look_but_not_change() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let token = api.user_with_roles("watcher", &["viewer"]).await;

    let (status, _) = api.raw(Method::GET, "/api/cameras", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    let body = json!({"name": "x", "site_id": site, "streams": [{"role": "main", "url": "rtsp://x/"}]}).to_string();
    let (status, text) = api.raw(Method::POST, "/api/cameras", Some(&token), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("permission_denied") && !text.contains("HQ"), "{text}");
    let (status, _) = api.raw(Method::DELETE, &format!("/api/sites/{site}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Issue 11, point 22: camera URLs may not point at loopback (unless the
/// installation allows it for labs), link-local addresses or the
/// installation's own services.
#[tokio::test]
async fn camera_urls_cannot_reach_internal_addresses() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let create = |url: &str| json!({"name": "c", "site_id": site, "streams": [{"role": "main", "url": url}]});
    for url in [
        "rtsp://127.0.0.1:8654/x",
        "rtsp://localhost/x",
        "rtsp://[::1]/x",
        "rtsp://169.254.169.254/latest",
        "rtsp://0.0.0.0/x",
        "rtsp://127.0.0.1:56379/",
    ] {
        let (status, body) = api.call(Method::POST, "/api/cameras", Some(create(url))).await;
        assert_bad_field(status, &body, "streams[0].url");
    }
    let (status, camera) = api.call(Method::POST, "/api/cameras", Some(create("rtsp://192.0.2.50/x"))).await;
    assert_eq!(status, StatusCode::CREATED, "{camera}");
    let uri = format!("/api/cameras/{}", camera["id"].as_str().unwrap());
    let patch = json!({"streams": [{"role": "main", "url": "rtsp://127.0.0.1:50051/"}]});
    let (status, body) = api.call(Method::PATCH, &uri, Some(patch)).await;
    assert_bad_field(status, &body, "streams[0].url");

    let lab = api_with(|c| c.devices.allow_loopback = true).await;
    let site = lab.create_site("Lab").await;
    let create = |url: &str| json!({"name": "c", "site_id": site, "streams": [{"role": "main", "url": url}]});
    let (status, body) = lab.call(Method::POST, "/api/cameras", Some(create("rtsp://127.0.0.1:8654/x"))).await;
    assert_eq!(status, StatusCode::CREATED, "loopback allowed for labs: {body}");
    for port in [56379, 55432, 54222, 50051] {
        let (status, body) =
            lab.call(Method::POST, "/api/cameras", Some(create(&format!("rtsp://127.0.0.1:{port}/x")))).await;
        assert_bad_field(status, &body, "streams[0].url");
        assert!(body["message"].as_str().unwrap().contains("own services"), "{body}");
    }
}
