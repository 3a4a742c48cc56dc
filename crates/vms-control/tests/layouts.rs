//! Saved live-view layouts: each user keeps their own; bad shapes get a
//! 400 naming the field.

mod common;

use axum::http::{Method, StatusCode};
use common::{api, assert_bad_field};
use serde_json::{Value, json};

#[tokio::test]
async fn each_user_keeps_their_own_layouts() {
    let api = api().await;
    let camera = uuid::Uuid::new_v4();
    let cells = json!([camera, null, null, null]);
    let (status, saved) = api.call(Method::PUT, "/api/layouts/Gates", Some(json!({ "cells": cells }))).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["name"].as_str(), saved["size"].as_u64()), (Some("Gates"), Some(4)));
    let (status, _) = api.call(Method::PUT, "/api/layouts/Lobby", Some(json!({ "cells": [camera] }))).await;
    assert_eq!(status, StatusCode::OK);
    // Saving again replaces.
    let (status, _) = api.call(Method::PUT, "/api/layouts/Lobby", Some(json!({ "cells": [null] }))).await;
    assert_eq!(status, StatusCode::OK);

    let (status, list) = api.call(Method::GET, "/api/layouts", None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Gates", "Lobby"]);
    assert_eq!(list["items"][0]["cells"], cells);
    assert_eq!(list["items"][1]["cells"], json!([null]));

    // Another user sees none of them and cannot delete them.
    let other = api.user_with_roles("other", &["viewer"]).await;
    let (status, text) = api.raw(Method::GET, "/api/layouts", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["items"], json!([]));
    let (status, _) = api.raw(Method::DELETE, "/api/layouts/Gates", Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = api.call(Method::DELETE, "/api/layouts/Gates", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = api.call(Method::GET, "/api/layouts", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (status, _) = api.raw(Method::GET, "/api/layouts", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_layouts_are_refused() {
    let api = api().await;
    let (status, body) =
        api.call(Method::PUT, "/api/layouts/Three", Some(json!({ "cells": [null, null, null] }))).await;
    assert_bad_field(status, &body, "cells");
    let (status, body) = api.call(Method::PUT, "/api/layouts/Bad", Some(json!({ "cells": ["not-a-uuid"] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let long = "x".repeat(65);
    let (status, body) = api.call(Method::PUT, &format!("/api/layouts/{long}"), Some(json!({ "cells": [null] }))).await;
    assert_bad_field(status, &body, "name");
    let (status, body) = api.call(Method::PUT, "/api/layouts/%20", Some(json!({ "cells": [null] }))).await;
    assert_bad_field(status, &body, "name");
}
