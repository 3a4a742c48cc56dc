//! The events pipeline on real NATS JetStream and PostgreSQL: what sources
//! publish is stored once, updated in place, searched with filters and
//! pages, counted for a timeline, acknowledged with an audit entry, and shown
//! only to those who may read the camera's events. Bad messages go to the
//! dead-letter stream and block nothing; integrations post events through
//! the API and they travel the same bus.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::bus::{Bus, event, eventually, person, update};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

struct World {
    api: common::Api,
    bus: Bus,
    tenant: Uuid,
    site_a: String,
    cam_a: Uuid,
    cam_b: Uuid,
    _stop: tokio_util::sync::DropGuard,
}

async fn world() -> World {
    let api = common::api().await;
    let stop = CancellationToken::new();
    let _ = api.state.start_events(&stop);
    let site_a = api.create_site("Yard").await;
    let site_b = api.create_site("Lobby").await;
    let cam_a = camera(&api, &site_a, "Gate Cam").await;
    let cam_b = camera(&api, &site_b, "Desk Cam").await;
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let tenant = me["tenant_id"].as_str().unwrap().parse().unwrap();
    let bus = Bus::connect(api.state.subjects()).await;
    World { api, bus, tenant, site_a, cam_a, cam_b, _stop: stop.drop_guard() }
}

async fn camera(api: &common::Api, site: &str, name: &str) -> Uuid {
    let body = json!({"name": name, "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    cam["id"].as_str().unwrap().parse().unwrap()
}

/// `GET uri` as `token`, expecting 200.
async fn get(api: &common::Api, token: &str, uri: &str) -> Value {
    let (status, text) = api.raw(Method::GET, uri, Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
}

/// Waits until the tenant's admin sees `n` events.
async fn until_stored(w: &World, n: usize) {
    let token = w.api.token.clone();
    eventually(Duration::from_secs(15), &format!("{n} events stored"), || async {
        ids(&get(&w.api, &token, "/api/events?limit=500").await).len() == n
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bus_events_are_stored_once_updated_in_place_and_searchable() {
    let w = world().await;
    let walker = event(w.tenant, Some(w.cam_a), "object", 30, person(&["door"]));
    let desk = event(w.tenant, Some(w.cam_b), "motion", 20, json!({"peak": 0.3}));
    let crossing =
        event(w.tenant, Some(w.cam_a), "line_crossed", 10, json!({"line": "gate", "direction": "left_to_right"}));
    let ended = update(&walker, walker.start + chrono::TimeDelta::seconds(8), json!({"score": 0.93}));
    for e in [&walker, &desk, &crossing, &ended] {
        w.bus.publish(e).await;
    }
    // A redelivered first message, and a late one overtaken by the update:
    // neither may change the stored event.
    let subject = walker.subject(&w.bus.subjects);
    w.bus.publish_raw(subject.clone(), serde_json::to_vec(&walker).unwrap()).await;
    w.bus.publish_raw(subject, serde_json::to_vec(&walker).unwrap()).await;
    until_stored(&w, 3).await;
    eventually(Duration::from_secs(10), "every message handled", || async {
        let (stored, updated, unchanged, rejected) = w.api.state.event_counts();
        stored + updated + unchanged + rejected == 6
    })
    .await;
    // (An update taken in one batch with its first message counts as unchanged.)
    let (stored, updated, unchanged, rejected) = w.api.state.event_counts();
    assert_eq!((stored, rejected), (3, 0));
    assert!(updated <= 1 && unchanged >= 2, "{updated} updated, {unchanged} unchanged");

    let token = w.api.token.clone();
    let one = get(&w.api, &token, &format!("/api/events/{}", walker.id)).await;
    assert_eq!(one["type"], "object");
    assert_eq!(one["camera_name"], "Gate Cam");
    assert_eq!(one["site_name"], "Yard");
    assert_eq!(one["attributes"]["score"], 0.93, "the update's attributes: {one}");
    let end: chrono::DateTime<chrono::Utc> = serde_json::from_value(one["end"].clone()).unwrap();
    assert_eq!(end, chrono::SubsecRound::trunc_subsecs(ended.end.unwrap(), 6), "kept to the microsecond");

    // Newest first, and each filter narrows.
    let all = get(&w.api, &token, "/api/events").await;
    let expected: Vec<String> = [&crossing, &desk, &walker].iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids(&all), expected);
    let only = |uri: String, want: &[&vms_bus::events::Event]| {
        let want: Vec<String> = want.iter().map(|e| e.id.to_string()).collect();
        let (api, token) = (&w.api, token.clone());
        async move {
            let page = get(api, &token, &uri).await;
            assert_eq!(ids(&page), want, "{uri}");
        }
    };
    only("/api/events?types=object".into(), &[&walker]).await;
    only("/api/events?types=object,motion".into(), &[&desk, &walker]).await;
    only("/api/events?labels=person".into(), &[&walker]).await;
    only("/api/events?zones=door".into(), &[&walker]).await;
    only("/api/events?zones=garage".into(), &[]).await;
    only(format!("/api/events?cameras={}", w.cam_b), &[&desk]).await;
    only(format!("/api/events?sites={}", w.site_a), &[&crossing, &walker]).await;
    only("/api/events?q=desk".into(), &[&desk]).await;
    only("/api/events?q=%25".into(), &[]).await;
    only("/api/events?has_snapshot=true".into(), &[]).await;
    let window = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let start = window(desk.start - chrono::TimeDelta::seconds(1));
    only(format!("/api/events?start={}", urlencode(&start)), &[&crossing, &desk]).await;
    let end = window(desk.start + chrono::TimeDelta::seconds(1));
    only(format!("/api/events?end={}", urlencode(&end)), &[&desk, &walker]).await;

    // Pages follow the cursor without overlap or gap.
    let first = get(&w.api, &token, "/api/events?limit=2").await;
    assert_eq!(ids(&first), expected[..2]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = get(&w.api, &token, &format!("/api/events?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second), expected[2..]);
    assert!(second.get("next_cursor").is_none(), "{second}");

    // The timeline's histogram counts them per bucket.
    let from = window(walker.start - chrono::TimeDelta::minutes(1));
    let to = window(walker.start + chrono::TimeDelta::minutes(2));
    let uri = format!("/api/events/histogram?start={}&end={}&bucket=60", urlencode(&from), urlencode(&to));
    let histogram = get(&w.api, &token, &uri).await;
    let total: i64 = histogram["buckets"].as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).sum();
    assert_eq!(total, 3, "{histogram}");
    let typed = get(&w.api, &token, &format!("{uri}&types=motion")).await;
    assert_eq!(typed["buckets"].as_array().unwrap().len(), 1, "{typed}");

    // Acknowledging is recorded once, with who did it, and audited.
    let uri = format!("/api/events/{}/ack", walker.id);
    let (status, acked) = w.api.call(Method::POST, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{acked}");
    assert!(acked["acknowledged_at"].is_string(), "{acked}");
    let (status, again) = w.api.call(Method::POST, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["acknowledged_at"], acked["acknowledged_at"], "the first acknowledgement stands");
    let audit = get(&w.api, &token, "/api/audit?action=event.acknowledge").await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 1, "{audit}");
    assert_eq!(audit["items"][0]["target_id"], walker.id.to_string());

    // A super-admin sets how long the tenant keeps its events.
    let uri = format!("/api/tenants/{}", w.tenant);
    let (status, tenant) = w.api.call(Method::PATCH, &uri, Some(json!({"event_retention_days": 7}))).await;
    assert_eq!(status, StatusCode::OK, "{tenant}");
    assert_eq!(tenant["event_retention_days"], 7);
    let (status, body) = w.api.call(Method::PATCH, &uri, Some(json!({"event_retention_days": 0}))).await;
    common::assert_bad_field(status, &body, "event_retention_days");
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_messages_go_to_the_dead_letter_stream_and_block_nothing() {
    let w = world().await;
    let good = event(w.tenant, Some(w.cam_a), "motion", 5, json!({}));
    let subject = good.subject(&w.bus.subjects);
    w.bus.publish_raw(subject.clone(), b"{\"id\": 1, not json".to_vec()).await;
    let stranger = event(w.tenant, Some(Uuid::new_v4()), "motion", 5, json!({}));
    w.bus.publish_raw(stranger.subject(&w.bus.subjects), serde_json::to_vec(&stranger).unwrap()).await;
    let elsewhere = event(w.tenant, Some(w.cam_b), "motion", 5, json!({}));
    w.bus.publish_raw(subject.clone(), serde_json::to_vec(&elsewhere).unwrap()).await;
    let mut backwards = event(w.tenant, Some(w.cam_a), "motion", 5, json!({}));
    backwards.end = Some(backwards.start - chrono::TimeDelta::seconds(1));
    w.bus.publish_raw(subject.clone(), serde_json::to_vec(&backwards).unwrap()).await;
    let other_tenant = event(Uuid::new_v4(), Some(w.cam_a), "motion", 5, json!({}));
    w.bus.publish_raw(other_tenant.subject(&w.bus.subjects), serde_json::to_vec(&other_tenant).unwrap()).await;
    w.bus.publish(&good).await;

    until_stored(&w, 1).await;
    eventually(Duration::from_secs(10), "five rejections", || async { w.api.state.event_counts().3 == 5 }).await;
    let page = get(&w.api, &w.api.token.clone(), "/api/events").await;
    assert_eq!(ids(&page), vec![good.id.to_string()]);

    let dead = w
        .bus
        .js
        .get_stream(vms_bus::events::dead_letter_stream_name(&w.bus.subjects))
        .await
        .expect("the dead-letter stream exists");
    let mut reasons = Vec::new();
    for seq in 1..=5 {
        let message = dead.get_raw_message(seq).await.unwrap();
        let headers = message.headers;
        reasons.push(headers.get(vms_bus::events::REJECTED_BECAUSE).unwrap().to_string());
        assert!(headers.get(vms_bus::events::REJECTED_SUBJECT).is_some());
    }
    assert!(reasons[0].starts_with("malformed"), "{reasons:?}");
    assert_eq!(reasons[1], "the camera is not one of the tenant's");
    assert_eq!(reasons[2], "the subject does not match the event");
    assert_eq!(reasons[3], "invalid: end is before start");
    assert_eq!(reasons[4], "unknown tenant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_see_only_the_events_of_cameras_they_may_read() {
    let w = world().await;
    let yard = event(w.tenant, Some(w.cam_a), "object", 30, person(&[]));
    let lobby = event(w.tenant, Some(w.cam_b), "motion", 20, json!({}));
    let system = event(w.tenant, None, "storage_full", 10, json!({}));
    for e in [&yard, &lobby, &system] {
        w.bus.publish(e).await;
    }
    until_stored(&w, 3).await;

    // An operator of the yard site alone.
    let body = json!({"username": "guard", "password": "Guard-password-1", "roles": [{"role": "operator", "site_id": w.site_a}]});
    let (status, guard) = w.api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guard}");
    let guard = w.api.login("guard", "Guard-password-1").await;
    assert_eq!(ids(&get(&w.api, &guard, "/api/events").await), vec![yard.id.to_string()]);
    let asked_for_more = format!("/api/events?cameras={},{}", w.cam_a, w.cam_b);
    assert_eq!(ids(&get(&w.api, &guard, &asked_for_more).await), vec![yard.id.to_string()]);
    for hidden in [&lobby, &system] {
        for (method, uri) in [
            (Method::GET, format!("/api/events/{}", hidden.id)),
            (Method::POST, format!("/api/events/{}/ack", hidden.id)),
        ] {
            let (status, body) = w.api.raw(method, &uri, Some(&guard), None).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {body}");
        }
    }
    let from = (yard.start - chrono::TimeDelta::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let to = (yard.start + chrono::TimeDelta::minutes(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let histogram = get(&w.api, &guard, &format!("/api/events/histogram?start={from}&end={to}&bucket=3600")).await;
    assert_eq!(histogram["buckets"][0]["count"], 1, "{histogram}");

    // Another tenant's admin finds none of them.
    let body = json!({"name": "Other Corp", "admin": {"username": "other-admin", "password": "Other-admin-pw-1"}});
    let (status, _) = w.api.call(Method::POST, "/api/tenants", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    let other = w.api.login("other-admin", "Other-admin-pw-1").await;
    assert!(ids(&get(&w.api, &other, "/api/events").await).is_empty());
    let (status, _) = w.api.raw(Method::GET, &format!("/api/events/{}", yard.id), Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrations_post_events_that_travel_the_bus() {
    let w = world().await;
    let body = json!({"name": "door-panel", "permissions": ["event.create", "event.read"]});
    let (status, key) = w.api.call(Method::POST, "/api/api-keys", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    let key = key["key"].as_str().unwrap().to_owned();
    let post = |body: Value| {
        let (api, key) = (&w.api, key.clone());
        async move {
            let body = body.to_string();
            let headers = [("x-api-key", key.as_str())];
            let (status, _, text) =
                api.raw_from_with(None, &headers, Method::POST, "/api/events", None, Some(&body)).await;
            (status, serde_json::from_str::<Value>(&text).unwrap_or(Value::Null))
        }
    };
    let id = Uuid::new_v4();
    let door = json!({"id": id, "camera_id": w.cam_a, "type": "door_forced",
                      "attributes": {"door": "north", "posted_by": "someone else"}});
    let (status, posted) = post(door.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{posted}");
    // The stored id derives from the integration's and the tenant.
    let id: Uuid = posted["id"].as_str().unwrap().parse().unwrap();
    let (_, me) = w.api.call(Method::GET, "/api/auth/me", None).await;
    let tenant: Uuid = me["tenant_id"].as_str().unwrap().parse().unwrap();
    assert_eq!(id, Uuid::new_v5(&tenant, door["id"].as_str().unwrap().parse::<Uuid>().unwrap().as_bytes()));
    // Posting again with the same id (a retry) stores nothing twice.
    assert_eq!(post(door).await.0, StatusCode::ACCEPTED);
    until_stored(&w, 1).await;
    let stored = get(&w.api, &w.api.token.clone(), &format!("/api/events/{id}")).await;
    assert_eq!(stored["type"], "door_forced");
    assert_eq!(stored["attributes"]["door"], "north");
    assert_eq!(stored["attributes"]["posted_by"]["kind"], "api_key", "{stored}");

    let (status, body) = post(json!({"camera_id": w.cam_a, "type": "Door Forced!"})).await;
    common::assert_bad_field(status, &body, "type");
    let start = chrono::Utc::now();
    let (status, body) = post(
        json!({"camera_id": w.cam_a, "type": "door", "start": start, "end": start - chrono::TimeDelta::seconds(5)}),
    )
    .await;
    common::assert_bad_field(status, &body, "end");
    let big = "x".repeat(20_000);
    let (status, body) = post(json!({"camera_id": w.cam_a, "type": "door", "attributes": {"blob": big}})).await;
    common::assert_bad_field(status, &body, "attributes");
    let (status, _) = post(json!({"camera_id": Uuid::new_v4(), "type": "door"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A viewer reads events but may not post them.
    let viewer = w.api.user_with_roles("viewer-1", &["viewer"]).await;
    let body = json!({"camera_id": w.cam_a, "type": "door"}).to_string();
    let (status, text) = w.api.raw(Method::POST, "/api/events", Some(&viewer), Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
}
