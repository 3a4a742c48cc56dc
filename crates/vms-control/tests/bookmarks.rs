//! Bookmarks through the API: made, found by text, tag, camera and time,
//! changed and deleted; seen only by those who may play back every camera
//! they name; locked as evidence only with `evidence.lock`, after which
//! their cameras and range stay put and they cannot be deleted until
//! unlocked. Every change is in the audit trail.

mod common;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

async fn camera(api: &common::Api, site: &str, name: &str) -> String {
    let body = json!({"name": name, "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    cam["id"].as_str().unwrap().to_owned()
}

async fn as_user(
    api: &common::Api,
    token: &str,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let text = body.map(|b| b.to_string());
    let (status, answer) = api.raw(method, uri, Some(token), text.as_deref()).await;
    (status, serde_json::from_str(&answer).unwrap_or(Value::Null))
}

fn names(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn bookmarks_are_found_scoped_and_locked_as_evidence() {
    let api = common::api().await;
    let (yard_site, lobby_site) = (api.create_site("Yard").await, api.create_site("Lobby").await);
    let (gate, desk) = (camera(&api, &yard_site, "Gate").await, camera(&api, &lobby_site, "Desk").await);
    let at = |minutes: i64| chrono::Utc::now() - chrono::TimeDelta::minutes(minutes);
    let make = |name: &str, tags: Value, cameras: Value, from: i64, to: i64| {
        json!({"name": name, "description": format!("{name}, seen by the night shift"), "tags": tags,
               "cameras": cameras, "start": at(from), "end": at(to)})
    };
    let mut ids = Vec::new();
    for body in [
        make("Van at the gate", json!(["vehicle"]), json!([gate]), 60, 55),
        make("Break-in", json!(["theft", "police"]), json!([gate, desk]), 30, 20),
        make("Visitor at the desk", json!([]), json!([desk]), 10, 5),
    ] {
        let (status, created) = api.call(Method::POST, "/api/bookmarks", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["locked"], json!(false));
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let (van, break_in, visitor) = (&ids[0], &ids[1], &ids[2]);

    // Found newest first, by text, tag, camera and time, a page at a time.
    let search = |query: &str| {
        let uri = format!("/api/bookmarks{query}");
        let api = &api;
        async move {
            let (status, page) = api.call(Method::GET, &uri, None).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {page}");
            page
        }
    };
    assert_eq!(names(&search("").await), ["Visitor at the desk", "Break-in", "Van at the gate"]);
    assert_eq!(names(&search("?q=VAN").await), ["Van at the gate"]);
    assert_eq!(names(&search("?q=night%20shift&tags=police,vehicle").await), ["Break-in", "Van at the gate"]);
    assert_eq!(names(&search(&format!("?cameras={desk}")).await), ["Visitor at the desk", "Break-in"]);
    let window = format!("?start={}&end={}", at(40).to_rfc3339(), at(15).to_rfc3339()).replace('+', "%2B");
    assert_eq!(names(&search(&window).await), ["Break-in"]);
    let first = search("?limit=2").await;
    assert_eq!(names(&first).len(), 2);
    let rest = search(&format!("?limit=2&cursor={}", first["next_cursor"].as_str().unwrap())).await;
    assert_eq!((names(&rest), rest.get("next_cursor")), (vec!["Van at the gate".to_owned()], None));
    let (status, _) = api.call(Method::GET, "/api/bookmarks?cursor=nope", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Bad bookmarks name the field at fault; a camera of no one's is not taken.
    let (status, answer) = api.call(Method::POST, "/api/bookmarks", Some(make("x", json!([]), json!([]), 2, 1))).await;
    common::assert_bad_field(status, &answer, "cameras");
    let stranger = uuid::Uuid::new_v4();
    let (status, answer) =
        api.call(Method::POST, "/api/bookmarks", Some(make("x", json!([]), json!([gate, stranger]), 2, 1))).await;
    common::assert_bad_field(status, &answer, "cameras[1]");
    let (status, answer) =
        api.call(Method::POST, "/api/bookmarks", Some(make("x", json!([]), json!([gate]), 1, 2))).await;
    common::assert_bad_field(status, &answer, "end");

    // A guard of the yard sees the yard's bookmarks only: not one that also
    // names a lobby camera. It may bookmark the yard, not lock anything.
    let body = json!({"username": "guard", "password": "Guard-password-1", "roles": [{"role": "operator", "site_id": yard_site}]});
    let (status, _) = api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    let guard = api.login("guard", "Guard-password-1").await;
    let (_, page) = as_user(&api, &guard, Method::GET, "/api/bookmarks", None).await;
    assert_eq!(names(&page), ["Van at the gate"]);
    for id in [break_in, visitor] {
        let (status, _) = as_user(&api, &guard, Method::GET, &format!("/api/bookmarks/{id}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) =
        as_user(&api, &guard, Method::POST, "/api/bookmarks", Some(make("lobby", json!([]), json!([desk]), 2, 1)))
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, mine) =
        as_user(&api, &guard, Method::POST, "/api/bookmarks", Some(make("Mine", json!([]), json!([gate]), 2, 1))).await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    let (status, _) = as_user(&api, &guard, Method::POST, &format!("/api/bookmarks/{van}/lock"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "locking takes evidence.lock");
    // Evidence is reworded only by those who may lock it.
    let (status, _) = api.call(Method::POST, &format!("/api/bookmarks/{van}/lock"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, van_now) = api.call(Method::GET, &format!("/api/bookmarks/{van}"), None).await;
    let reworded =
        json!({"name": "nothing to see", "cameras": [gate], "start": van_now["start"], "end": van_now["end"]});
    let (status, _) = as_user(&api, &guard, Method::PUT, &format!("/api/bookmarks/{van}"), Some(reworded)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api.call(Method::POST, &format!("/api/bookmarks/{van}/unlock"), None).await;
    assert_eq!(status, StatusCode::OK);
    // Only footage already recorded can be locked.
    let ahead = json!({"name": "tonight", "cameras": [gate], "start": at(1), "end": at(-60)});
    let (_, ahead) = api.call(Method::POST, "/api/bookmarks", Some(ahead)).await;
    let (status, _) =
        api.call(Method::POST, &format!("/api/bookmarks/{}/lock", ahead["id"].as_str().unwrap()), None).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Locked: words may change, cameras and range may not, nor may it go.
    let (status, locked) = api.call(Method::POST, &format!("/api/bookmarks/{break_in}/lock"), None).await;
    assert_eq!(status, StatusCode::OK, "{locked}");
    assert_eq!((locked["locked"].clone(), locked["locked_by"].is_string()), (json!(true), true));
    let (_, again) = api.call(Method::POST, &format!("/api/bookmarks/{break_in}/lock"), None).await;
    assert_eq!(again["locked_at"], locked["locked_at"], "locking again changes nothing");
    let mut words = make("Break-in at night", json!(["theft"]), json!([gate, desk]), 30, 20);
    (words["start"], words["end"]) = (locked["start"].clone(), locked["end"].clone());
    let (status, renamed) = api.call(Method::PUT, &format!("/api/bookmarks/{break_in}"), Some(words.clone())).await;
    assert_eq!((status, renamed["name"].clone()), (StatusCode::OK, json!("Break-in at night")), "{renamed}");
    let mut moved = words.clone();
    moved["cameras"] = json!([gate]);
    let (status, _) = api.call(Method::PUT, &format!("/api/bookmarks/{break_in}"), Some(moved)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = api.call(Method::DELETE, &format!("/api/bookmarks/{break_in}"), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(names(&search("?locked=true").await), ["Break-in at night"]);
    let (status, unlocked) = api.call(Method::POST, &format!("/api/bookmarks/{break_in}/unlock"), None).await;
    assert_eq!((status, unlocked["locked"].clone()), (StatusCode::OK, json!(false)));
    let (status, _) = api.call(Method::DELETE, &format!("/api/bookmarks/{break_in}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Every change is audited, with what it named.
    let (_, trail) = api.call(Method::GET, "/api/audit?target_kind=bookmark&limit=100", None).await;
    let mut actions: Vec<String> =
        trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            "bookmark.create",
            "bookmark.create",
            "bookmark.create",
            "bookmark.create",
            "bookmark.create",
            "bookmark.delete",
            "bookmark.lock",
            "bookmark.lock",
            "bookmark.unlock",
            "bookmark.unlock",
            "bookmark.update"
        ],
        "{trail}"
    );
}
