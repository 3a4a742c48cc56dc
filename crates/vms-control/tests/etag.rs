//! `ETag` and `If-Match`: a read gives the resource's version, an update
//! that names a stale one is refused (412) and changes nothing, one that
//! names the current one goes ahead with a new version, and of two operators
//! saving over the same version at once exactly one wins.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};

/// Sends `body` to `uri` with `If-Match: tag` (none when `None`); returns
/// the status, the answer's `ETag` and its body.
async fn send(
    api: &common::Api,
    method: Method,
    uri: &str,
    tag: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let headers: Vec<(&str, &str)> = tag.map(|t| vec![("if-match", t)]).unwrap_or_default();
    let body = body.map(|b| b.to_string());
    let token = api.token.clone();
    let (status, answer, text) = api.raw_from_with(None, &headers, method, uri, Some(&token), body.as_deref()).await;
    let etag = answer.get("etag").map(|v| v.to_str().unwrap().to_owned());
    (status, etag, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_stale_version_is_refused_and_the_current_one_goes_ahead() {
    let api = api().await;
    let site = api.create_site("Depot").await;
    let uri = format!("/api/sites/{site}");
    let (status, read, _) = send(&api, Method::GET, &uri, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let read = read.expect("a GET answers with an ETag");

    // Another operator saves first.
    let (status, theirs, _) = send(&api, Method::PATCH, &uri, Some(&read), Some(json!({"name": "Depot North"}))).await;
    assert_eq!(status, StatusCode::OK);
    let theirs = theirs.expect("an update answers with the new ETag");
    assert_ne!(theirs, read);

    // This one saves over what it read: refused, and nothing changes.
    let (status, _, refused) = send(&api, Method::PATCH, &uri, Some(&read), Some(json!({"name": "Depot South"}))).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{refused}");
    assert_eq!(refused["code"], "precondition_failed");
    let (_, now, site_now) = send(&api, Method::GET, &uri, None, None).await;
    assert_eq!((site_now["name"].as_str(), now.as_deref()), (Some("Depot North"), Some(theirs.as_str())));

    // Read again, then save: it goes ahead. `*` (any version) and no header too.
    let (status, _, _) = send(&api, Method::PATCH, &uri, Some(&theirs), Some(json!({"name": "Depot South"}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(send(&api, Method::PATCH, &uri, Some("*"), Some(json!({"name": "Depot"}))).await.0, StatusCode::OK);
    assert_eq!(send(&api, Method::PATCH, &uri, None, Some(json!({"name": "Depot 2"}))).await.0, StatusCode::OK);
    // A weak tag never matches, and a malformed header is named.
    let weak = format!("W/{theirs}");
    assert_eq!(
        send(&api, Method::PATCH, &uri, Some(&weak), Some(json!({"name": "X"}))).await.0,
        StatusCode::PRECONDITION_FAILED
    );
    let (status, _, bad) = send(&api, Method::PATCH, &uri, Some("unquoted"), Some(json!({"name": "X"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    assert!(bad["message"].as_str().unwrap().starts_with("If-Match:"), "{bad}");
}

#[tokio::test]
async fn of_two_saves_over_the_same_version_exactly_one_wins() {
    let api = api().await;
    let site = api.create_site("Yard").await;
    let uri = format!("/api/sites/{site}");
    let (_, read, _) = send(&api, Method::GET, &uri, None, None).await;
    let read = read.unwrap();
    let (a, b) = tokio::join!(
        send(&api, Method::PATCH, &uri, Some(&read), Some(json!({"name": "Yard A"}))),
        send(&api, Method::PATCH, &uri, Some(&read), Some(json!({"name": "Yard B"}))),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{a:?} {b:?}");
}

#[tokio::test]
async fn settings_never_set_have_a_version_too() {
    let api = api().await;
    let site = api.create_site("Lot").await;
    let body = json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.0.0.5/main"}]});
    let (status, camera) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{camera}");
    let uri = format!("/api/cameras/{}/analytics", camera["id"].as_str().unwrap());
    let (status, unset, settings) = send(&api, Method::GET, &uri, None, None).await;
    assert_eq!((status, unset.as_deref()), (StatusCode::OK, Some("\"0\"")), "the defaults' version");
    let (status, set, _) = send(&api, Method::PUT, &uri, Some("\"0\""), Some(settings.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(set.as_deref(), Some("\"0\""));
    // Saving over the defaults once they were set is refused.
    assert_eq!(
        send(&api, Method::PUT, &uri, Some("\"0\""), Some(settings.clone())).await.0,
        StatusCode::PRECONDITION_FAILED
    );
    // Of two first saves of another camera's settings (no row to lock yet), one wins.
    let body = json!({"name": "Door", "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.0.0.6/main"}]});
    let (_, door) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    let uri = format!("/api/cameras/{}/recording", door["id"].as_str().unwrap());
    let (_, tag, recording) = send(&api, Method::GET, &uri, None, None).await;
    assert_eq!(tag.as_deref(), Some("\"0\""));
    let (a, b) = tokio::join!(
        send(&api, Method::PUT, &uri, Some("\"0\""), Some(recording.clone())),
        send(&api, Method::PUT, &uri, Some("\"0\""), Some(recording)),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{a:?} {b:?}");
    // The camera itself has its own version.
    let camera_uri = format!("/api/cameras/{}", camera["id"].as_str().unwrap());
    let (_, tag, _) = send(&api, Method::GET, &camera_uri, None, None).await;
    let (status, _, _) = send(&api, Method::PATCH, &camera_uri, tag.as_deref(), Some(json!({"enabled": false}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(&api, Method::PATCH, &camera_uri, tag.as_deref(), Some(json!({"enabled": true}))).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
}

#[tokio::test]
async fn users_and_webhooks_have_versions_too() {
    let api = api().await;
    let body = json!({"username": "dana", "password": "Dana-password-1", "roles": ["viewer"]});
    let (status, dana) = api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{dana}");
    let body = json!({"name": "Alarm desk", "url": "https://alarms.example/hook"});
    let (status, hook) = api.call(Method::POST, "/api/webhooks", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    let cases = [
        (
            format!("/api/users/{}", dana["id"].as_str().unwrap()),
            json!({"display_name": "Dana A"}),
            json!({"disabled": true}),
        ),
        (
            format!("/api/webhooks/{}", hook["id"].as_str().unwrap()),
            json!({"name": "Alarm desk 2"}),
            json!({"enabled": false}),
        ),
    ];
    for (uri, theirs, mine) in cases {
        let (status, read, _) = send(&api, Method::GET, &uri, None, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let read = read.unwrap_or_else(|| panic!("GET {uri} answers with an ETag"));
        let (status, newer, _) = send(&api, Method::PATCH, &uri, Some(&read), Some(theirs)).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_ne!(newer.as_deref(), Some(read.as_str()), "{uri}: a new version");
        let (status, _, refused) = send(&api, Method::PATCH, &uri, Some(&read), Some(mine.clone())).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{uri}: {refused}");
        let (_, _, now) = send(&api, Method::GET, &uri, None, None).await;
        let (field, value) = mine.as_object().unwrap().iter().next().unwrap();
        assert_ne!(&now[field], value, "{uri}: the refused change was not made");
        let (status, _, _) = send(&api, Method::PATCH, &uri, newer.as_deref(), Some(mine.clone())).await;
        assert_eq!(status, StatusCode::OK, "{uri}: over the current version");
        // What does not exist is not found, whatever version the caller names.
        let gone = format!("{}/{}", uri.rsplit_once('/').unwrap().0, uuid::Uuid::new_v4());
        let (status, _, _) = send(&api, Method::PATCH, &gone, Some(&read), Some(mine)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{gone}: 404 before 412");
    }
}
