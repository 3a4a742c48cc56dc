//! The OpenAPI document as a contract: an independent validator accepts the
//! document the server serves, every operation has a stable readable id and
//! a tag, says how it is authenticated, and describes every error it can
//! answer with the common `{code, message}` body.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::Value;
use vms_control::test_utils::{Requirement, requirement};

async fn served_document() -> Value {
    let api = api().await;
    let (status, text) = api.raw(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Every operation of the document: method, path, operation object.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.push((method.clone(), path.clone(), op));
            }
        }
    }
    ops
}

#[tokio::test]
async fn an_independent_validator_accepts_the_served_document() {
    let doc = served_document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    let version = doc["info"]["version"].as_str().unwrap();
    assert!(version.starts_with("1."), "the API is version 1 (docs/design/0006-api-versioning.md), not {version}");
    let validator = vms_testkit::api_tools().join("bin/openapi-spec-validator");
    assert!(
        validator.exists(),
        "{} is missing: scripts/setup.sh installs it (set VMS_API_TOOLS to use another copy)",
        validator.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = std::process::Command::new(&validator).arg(&file).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the validator rejects the document: {said}");
    assert!(said.contains("OK"), "{said}");
}

#[tokio::test]
async fn every_operation_has_a_unique_readable_id_and_a_known_tag() {
    let doc = served_document().await;
    let tags: BTreeSet<&str> = doc["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        let camel =
            id.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && id.chars().all(|c| c.is_ascii_alphanumeric());
        assert!(camel, "{method} {path}: operationId {id:?} is not a camelCase name");
        assert!(ids.insert(id.to_owned()), "{method} {path}: operationId {id} is used twice");
        let op_tags = op["tags"].as_array().unwrap_or_else(|| panic!("{method} {path} has no tag"));
        for tag in op_tags {
            assert!(tags.contains(tag.as_str().unwrap()), "{method} {path}: tag {tag} is not described");
        }
        assert!(!op["summary"].as_str().unwrap_or("").is_empty(), "{method} {path} has no summary");
    }
    // A few ids integrators will write by hand: they must not drift.
    for id in ["listCameras", "createCamera", "createExport", "searchEvents", "login", "searchAudit"] {
        assert!(ids.contains(id), "operationId {id} is gone: {ids:?}");
    }
}

#[tokio::test]
async fn every_operation_says_how_it_is_authenticated_and_how_it_fails() {
    let doc = served_document().await;
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["apiKey"]["in"], "header");
    assert_eq!(schemes["apiKey"]["name"], "X-Api-Key");
    for (method, path, op) in operations(&doc) {
        let routed = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let needs = requirement(&routed, &path).unwrap_or_else(|| panic!("{method} {path} is not in routes::ROUTES"));
        let security: BTreeSet<String> = op["security"]
            .as_array()
            .map(|alternatives| alternatives.iter().flat_map(|a| a.as_object().unwrap().keys().cloned()).collect())
            .unwrap_or_default();
        let responses = op["responses"].as_object().unwrap();
        if ["login", "resetPassword"].contains(&op["operationId"].as_str().unwrap()) {
            assert!(responses.contains_key("429"), "{method} {path} does not document 429 (the login limits)");
        }
        if needs == Requirement::Public {
            assert!(!security.contains("apiKey"), "{method} {path} is public yet asks for an API key");
        } else {
            assert_eq!(security, BTreeSet::from(["apiKey".into(), "bearer".into()]), "{method} {path}");
            assert!(responses.contains_key("401"), "{method} {path} does not document 401");
            assert!(responses.contains_key("429"), "{method} {path} does not document 429 (the API rate limit)");
            if needs != Requirement::Authenticated {
                assert!(responses.contains_key("403"), "{method} {path} does not document 403");
            }
        }
        assert!(responses.contains_key("500"), "{method} {path} does not document 500");
        for (status, response) in responses {
            assert!(
                !response["description"].as_str().unwrap_or("").is_empty(),
                "{method} {path} {status}: no description"
            );
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {status}: {response}");
            }
        }
    }
}
