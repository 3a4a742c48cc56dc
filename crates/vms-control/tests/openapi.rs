//! The OpenAPI document as a contract: an independent validator accepts the
//! document the server serves, every operation has a stable readable id and
//! a tag, says how it is authenticated, and describes every error it can
//! answer with the common `{code, message}` body; every JSON request body
//! and the main responses carry an example that fits their schema.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};
use vms_control::test_utils::{Requirement, documented};

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
    assert_eq!((&schemes["ticket"]["in"], &schemes["ticket"]["name"]), (&json!("query"), &json!("ticket")));
    for (method, path, op) in operations(&doc) {
        let routed = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let needs = documented(&routed, &path).unwrap_or_else(|| panic!("{method} {path} is not in routes::ROUTES"));
        let security: BTreeSet<String> = op["security"]
            .as_array()
            .map(|alternatives| alternatives.iter().flat_map(|a| a.as_object().unwrap().keys().cloned()).collect())
            .unwrap_or_default();
        let responses = op["responses"].as_object().unwrap();
        if ["login", "resetPassword"].contains(&op["operationId"].as_str().unwrap()) {
            assert!(responses.contains_key("429"), "{method} {path} does not document 429 (the login limits)");
        }
        let ticket =
            op["parameters"].as_array().into_iter().flatten().find(|p| p["name"] == "ticket" && p["in"] == "query");
        if let (Requirement::Public, Some(ticket)) = (needs, ticket) {
            let expected: BTreeSet<String> = if ticket["required"] == true {
                BTreeSet::from(["ticket".into()])
            } else {
                BTreeSet::from(["ticket".into(), "bearer".into(), "apiKey".into()])
            };
            assert_eq!(security, expected, "{method} {path} takes a stream ticket");
        } else if needs == Requirement::Public {
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

/// Operations whose success body integrators read first: each must show an example.
const EXAMPLE_RESPONSES: &[&str] = &[
    "listCameras",
    "getCamera",
    "searchEvents",
    "getEvent",
    "createExport",
    "getExport",
    "listUsers",
    "searchAudit",
    "listRules",
    "listWebhooks",
    "listBookmarks",
    "login",
];

#[tokio::test]
async fn every_request_body_and_main_response_has_an_example() {
    let doc = served_document().await;
    let mut problems = Vec::new();
    let mut pinned = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{} {path}", method.to_uppercase());
        if let Some(media) = op["requestBody"]["content"].get("application/json") {
            let (name, schema, examples) = examples_of(&doc, media);
            if examples.is_empty() {
                problems.push(format!("{at}: the request body {name} has no example (#[schema(example = ...)])"));
            }
            for example in examples {
                if !(example.is_object() || example.is_array()) {
                    problems.push(format!("{at}: the example of the request body {name} is not JSON data: {example}"));
                }
                conforms(&doc, example, schema, &format!("{at}: the example of {name}"), &mut problems);
            }
        }
        let id = op["operationId"].as_str().unwrap_or_default();
        if EXAMPLE_RESPONSES.contains(&id) {
            pinned.insert(id);
            let media =
                ["200", "201", "202"].iter().find_map(|s| op["responses"][s]["content"].get("application/json"));
            let Some(media) = media else {
                problems.push(format!("{at} ({id}): no 200, 201 or 202 JSON response"));
                continue;
            };
            let (name, schema, examples) = examples_of(&doc, media);
            if examples.is_empty() {
                problems.push(format!("{at} ({id}): the response {name} has no example (#[schema(example = ...)])"));
            }
            for example in examples {
                conforms(&doc, example, schema, &format!("{at}: the example of {name}"), &mut problems);
            }
        }
    }
    for id in EXAMPLE_RESPONSES {
        assert!(pinned.contains(id), "operationId {id} is gone: the list of examples to check needs updating");
    }
    // Every schema's own example fits it, those no operation above reaches included.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        for example in own_examples(schema) {
            conforms(&doc, example, schema, &format!("the example of schema {name}"), &mut problems);
        }
    }
    assert!(problems.is_empty(), "{} problems with the document's examples:\n{}", problems.len(), problems.join("\n"));
}

/// Follows `$ref`s into `components.schemas`.
fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(reference) = schema["$ref"].as_str() {
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("odd $ref {reference}"));
        schema = &doc["components"]["schemas"][name];
        assert!(schema.is_object(), "{reference} is not in components.schemas");
    }
    schema
}

/// The examples a schema carries itself: `example`, and the values of `examples`.
fn own_examples(schema: &Value) -> Vec<&Value> {
    let mut found: Vec<&Value> = schema.get("example").into_iter().collect();
    match schema.get("examples") {
        Some(Value::Array(list)) => found.extend(list),
        // A media type's `examples` is a map of Example Objects.
        Some(Value::Object(map)) => found.extend(map.values().map(|e| e.get("value").unwrap_or(e))),
        _ => {}
    }
    found
}

/// The name of a media type's schema, the examples shown for it and the
/// schema they show: the media type's own, else the schema's, looking
/// through `$ref`s, a wrapper with one non-null alternative, and an array's items.
fn examples_of<'a>(doc: &'a Value, media: &'a Value) -> (String, &'a Value, Vec<&'a Value>) {
    let mut schema = &media["schema"];
    let name = |schema: &Value| {
        schema["$ref"]
            .as_str()
            .map_or_else(|| "(inline schema)".to_owned(), |r| r.rsplit('/').next().unwrap().to_owned())
    };
    let mut shown = name(schema);
    let mut found = own_examples(media);
    loop {
        let resolved = resolve(doc, schema);
        for source in [schema, resolved] {
            if found.is_empty() {
                found = own_examples(source);
            }
        }
        if !found.is_empty() {
            break;
        }
        let alternatives: Vec<&Value> = ["oneOf", "anyOf", "allOf"]
            .iter()
            .filter_map(|k| resolved[k].as_array())
            .flatten()
            .filter(|s| s["type"] != "null")
            .collect();
        let next = match (resolved.get("items"), alternatives.as_slice()) {
            (Some(items), _) if resolved["type"] == "array" => items,
            (_, [only]) => only,
            _ => break,
        };
        shown = name(next);
        schema = next;
    }
    (shown, schema, found)
}

/// Checks that `value` fits `schema` as far as an example can show: types,
/// formats, enumerations, required properties, and no property the schema
/// does not declare (so a renamed field makes the example wrong).
fn conforms(doc: &Value, value: &Value, schema: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if value.is_null() {
        // Only where the schema allows it: a `null` type, or a `null` alternative.
        let types: Vec<&Value> = match &schema["type"] {
            Value::Array(types) => types.iter().collect(),
            one => vec![one],
        };
        let null_alternative =
            ["oneOf", "anyOf"].iter().filter_map(|k| schema[k].as_array()).flatten().any(|s| s["type"] == "null");
        if !(types.iter().any(|t| *t == "null") || null_alternative || schema.as_object().is_some_and(|o| o.is_empty()))
        {
            problems.push(format!("{at}: null where the schema allows none"));
        }
        return;
    }
    let alternatives: Vec<&Value> = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema[k].as_array())
        .flatten()
        .filter(|s| s["type"] != "null")
        .collect();
    if !alternatives.is_empty() {
        let mut best: Option<Vec<String>> = None;
        for alternative in alternatives {
            let mut found = Vec::new();
            conforms(doc, value, alternative, at, &mut found);
            if found.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
        problems.extend(best.unwrap());
        return;
    }
    // `allOf` (a flattened struct): its parts' properties together.
    let parts: Vec<&Value> = match schema["allOf"].as_array() {
        Some(parts) => parts.iter().map(|p| resolve(doc, p)).collect(),
        None => vec![schema],
    };
    let kind = match value {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    };
    for part in &parts {
        let types: Vec<&str> = match &part["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        let fits = types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
        if !fits {
            problems.push(format!("{at}: {value} is {kind}, the schema wants {types:?}"));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        problems.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(text) = value.as_str() {
        let ok = match schema["format"].as_str() {
            Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
            Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            _ => true,
        };
        if !ok {
            problems.push(format!("{at}: {text:?} is not a {}", schema["format"]));
        }
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(doc, item, item_schema, &format!("{at}[{i}]"), problems);
        }
    }
    let Some(object) = value.as_object() else { return };
    let properties: serde_json::Map<String, Value> = parts
        .iter()
        .filter_map(|p| p["properties"].as_object())
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for part in &parts {
        for key in part["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(key) {
                problems.push(format!("{at}: the required property {key} is missing"));
            }
        }
    }
    let open = parts.iter().any(|p| p["additionalProperties"] == true);
    let extra = parts.iter().find_map(|p| p["additionalProperties"].as_object().map(|_| &p["additionalProperties"]));
    for (key, item) in object {
        match (properties.get(key), extra) {
            (Some(property), _) => conforms(doc, item, property, &format!("{at}.{key}"), problems),
            (None, Some(extra)) => conforms(doc, item, extra, &format!("{at}.{key}"), problems),
            (None, None) if properties.is_empty() || open => {}
            (None, None) => problems.push(format!(
                "{at}: {key} is not a property of the schema (it has {:?})",
                properties.keys().collect::<Vec<_>>()
            )),
        }
    }
}
