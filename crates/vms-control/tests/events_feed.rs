//! The live events feed over a real WebSocket: each reader gets the new and
//! updated events of the cameras it may read (and its filters), a browser
//! opens it with a one-use ticket, and a reconnect with `after` replays what
//! it missed before going live. A rule's notification reaches the feeds
//! that would get its event.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::bus::{Bus, event, person, update};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::client::IntoClientRequest};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Serves the API on a loopback port; returns its address.
async fn serve(api: &common::Api, stop: &CancellationToken) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let gate = vms_base::conn_limit::ConnGate::new(api.state.config().limits.conn_limits());
    tokio::spawn(vms_http::serve(listener, api.app.clone(), None, gate, stop.clone()));
    addr
}

/// Opens the feed at `path_and_query` with extra `headers`.
async fn open(addr: std::net::SocketAddr, path_and_query: &str, headers: &[(&str, &str)]) -> Result<Socket, u16> {
    let mut request = format!("ws://{addr}{path_and_query}").into_client_request().unwrap();
    for (name, value) in headers {
        let name = axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap();
        request.headers_mut().insert(name, value.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("cannot reach the feed: {e}"),
    }
}

/// A ticket for the user of `token`.
async fn ticket(api: &common::Api, token: &str) -> String {
    let (status, text) = api.raw(Method::POST, "/api/events/ws-ticket", Some(token), None).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["ticket"].as_str().unwrap().to_owned()
}

/// The next event (heartbeats skipped), within 10 s.
async fn next_event(socket: &mut Socket) -> Value {
    next_message(socket).await["event"].clone()
}

/// The next event message, with its cursor (heartbeats skipped), within 10 s.
async fn next_message(socket: &mut Socket) -> Value {
    next_of_type(socket, "event").await
}

/// The next message of `kind`, the others skipped, within 10 s.
async fn next_of_type(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the feed is open")
            .unwrap();
        if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["type"] == kind {
                return v;
            }
        }
    }
}

/// Asserts nothing more arrives within half a second (heartbeats aside).
async fn quiet(socket: &mut Socket) {
    if let Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text)))) =
        tokio::time::timeout(Duration::from_millis(500), socket.next()).await
    {
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_ne!(v["type"], "event", "unexpected {v}");
    }
}

async fn camera(api: &common::Api, site: &str, name: &str) -> Uuid {
    let body = json!({"name": name, "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    cam["id"].as_str().unwrap().parse().unwrap()
}

/// A tenant with a yard and a lobby, a camera in each, and a guard who may
/// read the yard's only.
struct Site {
    tenant: Uuid,
    yard: Uuid,
    lobby: Uuid,
    /// The guard's token.
    guard: String,
}

async fn yard_and_lobby(api: &common::Api) -> Site {
    let (yard_site, lobby_site) = (api.create_site("Yard").await, api.create_site("Lobby").await);
    let (yard, lobby) = (camera(api, &yard_site, "Gate").await, camera(api, &lobby_site, "Desk").await);
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let tenant: Uuid = me["tenant_id"].as_str().unwrap().parse().unwrap();
    let body = json!({"username": "guard", "password": "Guard-password-1", "roles": [{"role": "operator", "site_id": yard_site}]});
    let (status, _) = api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    let guard = api.login("guard", "Guard-password-1").await;
    Site { tenant, yard, lobby, guard }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_follow_the_events_they_may_read_and_catch_up_after_a_reconnect() {
    let api = common::api().await;
    let stop = CancellationToken::new();
    let _guard = stop.clone().drop_guard();
    let _ = api.state.start_events(&stop);
    let addr = serve(&api, &stop).await;
    let Site { tenant, yard, lobby, guard } = yard_and_lobby(&api).await;
    let bus = Bus::connect(api.state.subjects()).await;

    // The admin with its bearer header; the guard, as a browser, with a ticket.
    let admin_auth = format!("Bearer {}", api.token);
    let mut admin = open(addr, "/api/events/ws", &[("authorization", &admin_auth)]).await.unwrap();
    let guard_ticket = ticket(&api, &guard).await;
    let mut guards = open(addr, &format!("/api/events/ws?ticket={guard_ticket}"), &[]).await.unwrap();
    assert_eq!(open(addr, &format!("/api/events/ws?ticket={guard_ticket}"), &[]).await.err(), Some(401), "one use");
    assert_eq!(open(addr, "/api/events/ws", &[]).await.err(), Some(401), "no credentials");
    let motion_only = format!("/api/events/ws?types=motion&ticket={}", ticket(&api, &api.token.clone()).await);
    let mut motions = open(addr, &motion_only, &[]).await.unwrap();

    let walker = event(tenant, Some(yard), "object", 5, person(&["door"]));
    let desk = event(tenant, Some(lobby), "motion", 4, json!({}));
    bus.publish(&walker).await;
    bus.publish(&desk).await;
    let mut seen = [next_event(&mut admin).await["id"].clone(), next_event(&mut admin).await["id"].clone()];
    seen.sort_by_key(|v| v.to_string());
    let mut want = [json!(walker.id), json!(desk.id)];
    want.sort_by_key(|v| v.to_string());
    assert_eq!(seen, want);
    let got = next_event(&mut guards).await;
    assert_eq!(got["id"], json!(walker.id));
    assert_eq!((got["camera_name"].as_str(), got["tenant_name"].as_str()), (Some("Gate"), Some("default")));
    quiet(&mut guards).await;
    assert_eq!(next_event(&mut motions).await["id"], json!(desk.id));
    quiet(&mut motions).await;

    // An update reaches the feed as the same event, ended.
    let ended = update(&walker, walker.start + chrono::TimeDelta::seconds(3), json!({}));
    bus.publish(&ended).await;
    let message = next_message(&mut guards).await;
    let got = &message["event"];
    assert_eq!((got["id"].clone(), got["end"].is_string()), (json!(walker.id), true), "{got}");
    let cursor = message["cursor"].as_str().expect("each message has a cursor").to_owned();

    // The guard goes away; what happens meanwhile is replayed on return.
    guards.close(None).await.unwrap();
    let missed = event(tenant, Some(yard), "line_crossed", 1, json!({"line": "gate", "direction": "left_to_right"}));
    let hidden = event(tenant, Some(lobby), "motion", 1, json!({}));
    bus.publish(&missed).await;
    bus.publish(&hidden).await;
    assert_eq!(next_event(&mut admin).await["id"], json!(walker.id), "the admin saw the update");
    for _ in 0..2 {
        next_event(&mut admin).await;
    }
    // And an update of an event seen before the cut is replayed too.
    let walker_again = update(&ended, ended.end.unwrap(), json!({"note": "reviewed"}));
    bus.publish(&walker_again).await;
    assert_eq!(next_event(&mut admin).await["id"], json!(walker.id));
    let back = format!("/api/events/ws?after={cursor}&ticket={}", ticket(&api, &guard).await);
    let mut guards = open(addr, &back, &[]).await.unwrap();
    assert_eq!(next_event(&mut guards).await["id"], json!(missed.id));
    assert_eq!(next_event(&mut guards).await["attributes"]["note"], "reviewed");
    quiet(&mut guards).await;
    let bad = format!("/api/events/ws?after=not-a-cursor&ticket={}", ticket(&api, &guard).await);
    assert_eq!(open(addr, &bad, &[]).await.err(), Some(400));

    // An event the guard may not read cannot be the point to resume from.
    let refused = format!("/api/events/ws?after={}&ticket={}", desk.id, ticket(&api, &guard).await);
    let refused = open(addr, &refused, &[]).await;
    assert!(matches!(refused, Err(403) | Err(404)), "{:?}", refused.err());
}

/// The next notification (events and heartbeats skipped), within 10 s.
async fn next_notification(socket: &mut Socket) -> Value {
    next_of_type(socket, "notification").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rules_notification_reaches_those_who_may_read_its_event() {
    let api = common::api().await;
    let stop = CancellationToken::new();
    let _guard = stop.clone().drop_guard();
    let _ = api.state.start_events(&stop);
    let addr = serve(&api, &stop).await;
    let Site { tenant, yard, lobby, guard } = yard_and_lobby(&api).await;
    let rule = json!({"name": "door forced", "conditions": {"types": ["door_forced"]},
                      "actions": [{"kind": "notify", "message": "Door forced open"}]});
    let (status, rule) = api.call(Method::POST, "/api/rules", Some(rule)).await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");
    let admin_auth = format!("Bearer {}", api.token);
    let mut admin = open(addr, "/api/events/ws", &[("authorization", &admin_auth)]).await.unwrap();
    let guard_auth = format!("Bearer {guard}");
    let mut guards = open(addr, "/api/events/ws", &[("authorization", &guard_auth)]).await.unwrap();
    let bus = Bus::connect(api.state.subjects()).await;

    // Posted until the rule, read again every 2 s, is at work.
    let first = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            bus.publish(&event(tenant, Some(lobby), "door_forced", 0, json!({}))).await;
            if let Ok(note) = tokio::time::timeout(Duration::from_secs(1), next_notification(&mut admin)).await {
                return note;
            }
        }
    })
    .await
    .expect("the rule notifies within 15 s");
    assert_eq!(
        (first["rule"]["id"].clone(), first["message"].clone()),
        (rule["id"].clone(), json!("Door forced open"))
    );
    assert_eq!(first["event"]["camera_id"], json!(lobby));
    let at_the_gate = event(tenant, Some(yard), "door_forced", 0, json!({}));
    bus.publish(&at_the_gate).await;
    let note = next_notification(&mut guards).await;
    assert_eq!(note["event"]["id"], json!(at_the_gate.id), "the guard never hears of the lobby: {note}");
    assert_eq!(note["rule"]["name"], "door forced");
}

#[tokio::test]
async fn discovery_news_reaches_the_feeds_of_those_who_may_scan() {
    let device = vms_camsim::onvif::OnvifDevice::start(
        vms_camsim::onvif::OnvifConfig::parse("porch").unwrap(),
        "127.0.0.2:0".parse().unwrap(),
        Some("127.0.0.2:0".parse().unwrap()),
        "rtsp://127.0.0.1:18554",
    )
    .await
    .unwrap();
    let port = device.discovery_addr().unwrap().port();
    let api = common::api_with(|c| {
        c.devices.allow_loopback = true;
        c.devices.discovery_port = port;
    })
    .await;
    let stop = CancellationToken::new();
    let addr = serve(&api, &stop).await;
    let admin_auth = format!("Bearer {}", api.token);
    let mut admin = open(addr, "/api/events/ws", &[("authorization", &admin_auth)]).await.unwrap();
    // An operator reads events but may not scan: no discovery news for them.
    let operator = api.user_with_roles("watch", &["operator"]).await;
    let operator_auth = format!("Bearer {operator}");
    let mut watcher = open(addr, "/api/events/ws", &[("authorization", &operator_auth)]).await.unwrap();

    let body = json!({"ranges": ["127.0.0.2"], "multicast": false, "window_secs": 1});
    let (status, started) = api.call(Method::POST, "/api/discovery/scan", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let found = loop {
        let note = next_of_type(&mut admin, "discovery").await;
        assert_eq!(note["scan_id"], started["id"]);
        if note.get("device").is_some() {
            break note;
        }
    };
    assert_eq!(found["device"]["name"], "porch");
    assert_eq!(found["device"]["device_url"], device.device_url());
    let done = loop {
        let note = next_of_type(&mut admin, "discovery").await;
        if note["state"] != "running" {
            break note;
        }
    };
    assert_eq!((done["state"].clone(), done["progress"].clone()), (json!("done"), json!({"probed": 1, "total": 1})));
    while let Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text)))) =
        tokio::time::timeout(Duration::from_millis(500), watcher.next()).await
    {
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_ne!(v["type"], "discovery", "an operator got discovery news: {v}");
    }
    stop.cancel();
    device.stop().await;
}
