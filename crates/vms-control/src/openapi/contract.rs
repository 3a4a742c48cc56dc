//! Completes the generated document from what the route table knows, so no
//! handler repeats it and none can forget it: how each operation is
//! authenticated, the refusals authentication and rate limits add (401, 403,
//! 429), the internal error any operation can meet, the common `{code,
//! message}` body on every error, and a description on every response.

use axum::http::Method;
use utoipa::openapi::{
    Content, OpenApi, Ref, RefOr, Required,
    header::HeaderBuilder,
    path::{Operation, ParameterBuilder, ParameterIn},
    response::{Response, ResponseBuilder},
    schema::{
        AdditionalProperties, ArrayItems, KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
    },
    security::SecurityRequirement,
};

use crate::routes::{self, Requirement};

/// Name of the access-token security scheme.
pub const BEARER: &str = "bearer";
/// Name of the API-key security scheme.
pub const API_KEY: &str = "apiKey";
/// Name of the stream-ticket security scheme.
pub const TICKET: &str = "ticket";

/// Rewrites `doc` in place; see the module's documentation.
pub fn complete(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        for schema in components.schemas.values_mut() {
            open_free_form(schema);
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (Method::GET, &mut item.get),
            (Method::POST, &mut item.post),
            (Method::PUT, &mut item.put),
            (Method::PATCH, &mut item.patch),
            (Method::DELETE, &mut item.delete),
        ];
        for (method, operation) in operations {
            if let (Some(operation), Some(needs)) = (operation.as_mut(), routes::documented(&method, path)) {
                if needs != Requirement::Public && crate::idempotency::honoured(&method, path) {
                    take_idempotency_key(operation);
                }
                let versioned = crate::etag::VERSIONED_ROUTES.contains(&path.as_str());
                if versioned && [Method::GET, Method::PUT, Method::PATCH].contains(&method) {
                    take_versions(operation, method != Method::GET);
                }
                complete_operation(operation, needs);
            }
        }
    }
}

fn complete_operation(operation: &mut Operation, needs: Requirement) {
    split_summary(operation);
    // A public operation that takes a stream ticket in its query is
    // authenticated by it; one where the ticket is optional (the events feed)
    // also takes a bearer token or API key in a header.
    let ticket =
        operation.parameters.iter().flatten().find(|p| p.name == "ticket" && p.parameter_in == ParameterIn::Query);
    if let (Requirement::Public, Some(ticket)) = (needs, ticket) {
        let mut schemes = vec![SecurityRequirement::new(TICKET, Vec::<String>::new())];
        if ticket.required != Required::True {
            schemes.push(SecurityRequirement::new(BEARER, Vec::<String>::new()));
            schemes.push(SecurityRequirement::new(API_KEY, Vec::<String>::new()));
        }
        operation.security = Some(schemes);
    }
    if needs != Requirement::Public {
        operation.security = Some(vec![
            SecurityRequirement::new(BEARER, Vec::<String>::new()),
            SecurityRequirement::new(API_KEY, Vec::<String>::new()),
        ]);
        take_tenant_header(operation);
        add_response(operation, "401");
        add_response(operation, "403");
        // The per-caller API rate limit applies to every authenticated call.
        add_response(operation, "429");
    }
    if !matches!(needs, Requirement::Public | Requirement::Authenticated) {
        add_response(operation, "403");
    }
    add_response(operation, "500");
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        if response.description.is_empty() {
            response.description = describe(status).to_owned();
        }
        if status.starts_with('4') || status.starts_with('5') {
            response
                .content
                .insert("application/json".to_owned(), Content::new(Some(Ref::from_schema_name("ErrorBody"))));
        }
        for (content_type, content) in response.content.iter_mut() {
            if is_binary(content_type) {
                content.schema = Some(RefOr::T(binary()));
            }
        }
        if status == "429" && !response.headers.contains_key("Retry-After") {
            response
                .headers
                .insert("Retry-After".to_owned(), header(Type::Integer, "Seconds to wait before trying again"));
        }
    }
}

/// Documents the optional `Idempotency-Key` header and the refusals it adds.
fn take_idempotency_key(operation: &mut Operation) {
    let key = ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255));
    let about = "Makes a retry safe: the same key (from the same caller, within 24 hours) with the same request \
                 answers the first success again, marked `Idempotent-Replayed: true`, instead of running twice. \
                 Reused for a different request: 400; while the first request runs: 409.";
    add_header_parameter(operation, "Idempotency-Key", key, about);
    add_response(operation, "400");
    add_response(operation, "409");
    // Without Redis, a request carrying a key is refused rather than run unprotected.
    add_response(operation, "503");
    if let Some(RefOr::T(running)) = operation.responses.responses.get_mut("409") {
        let wait = header(Type::Integer, "When the request with the same Idempotency-Key still runs: seconds to wait");
        running.headers.insert("Retry-After".to_owned(), wait);
    }
    for status in ["200", "201", "202", "204"] {
        if let Some(RefOr::T(response)) = operation.responses.responses.get_mut(status) {
            let replayed =
                header(Type::String, "`true` when this is the kept answer to an earlier request with the same key");
            response.headers.insert("Idempotent-Replayed".to_owned(), replayed);
        }
    }
}

/// Documents the `ETag` of a versioned resource's answer and, on its
/// updates, `If-Match` and the 412 it may bring.
fn take_versions(operation: &mut Operation, update: bool) {
    if update {
        let about = "The `ETag` the client read: the update goes ahead only if the resource is still at that \
                     version (412 otherwise). Without it, the update goes ahead whatever changed meanwhile.";
        add_header_parameter(operation, "If-Match", ObjectBuilder::new().schema_type(Type::String), about);
        add_response(operation, "412");
    }
    if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
        let about = "The resource's version, to send back as `If-Match` with an update";
        ok.headers.insert("ETag".to_owned(), header(Type::String, about));
    }
}

/// A response header of `kind`.
fn header(kind: Type, description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new().schema(Object::with_type(kind)).description(Some(description)).build()
}

/// Adds an optional request header parameter.
fn add_header_parameter(operation: &mut Operation, name: &str, schema: ObjectBuilder, description: &str) {
    let parameter = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .schema(Some(schema))
        .description(Some(description))
        .build();
    operation.parameters.get_or_insert_with(Vec::new).push(parameter);
}

/// Documents the header a super-admin acts inside another tenant with.
fn take_tenant_header(operation: &mut Operation) {
    let tenant =
        ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
    let about = "A super-admin signed in as a user acts inside this tenant, with every permission there (audited as \
                 such); anyone else gets 403, and a value that is not a tenant id 400. API keys ignore it.";
    add_header_parameter(operation, "X-VMS-Tenant", tenant, about);
    add_response(operation, "400");
}

/// Keeps the summary to the doc comment's first sentence, on one line, and
/// moves the whole text into the description, where generators and viewers
/// expect the detail.
fn split_summary(operation: &mut Operation) {
    let Some(text) = operation.summary.take() else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat
        .match_indices(". ")
        .map(|(at, _)| at)
        .find(|&at| !(flat[..at].ends_with("e.g") || flat[..at].ends_with("i.e")));
    let first = match end {
        Some(end) => &flat[..end],
        None => flat.trim_end_matches('.'),
    };
    if first.len() < flat.trim_end_matches('.').len() {
        let rest = operation.description.take().map(|d| format!("\n\n{d}")).unwrap_or_default();
        operation.description = Some(format!("{text}{rest}"));
    }
    operation.summary = Some(first.to_owned());
}

/// Marks every object without described properties (free-form JSON such as
/// an event's attributes) as taking any property: left bare, generators read
/// it as an object that can hold nothing.
fn open_free_form(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            let is_object = match &object.schema_type {
                SchemaType::Type(t) => *t == Type::Object,
                SchemaType::Array(types) => types.contains(&Type::Object),
                SchemaType::AnyValue => false,
            };
            if is_object && object.properties.is_empty() && object.additional_properties.is_none() {
                object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(true)));
            }
            object.properties.values_mut().for_each(open_free_form);
            if let Some(extra) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(extra) = extra
            {
                open_free_form(extra);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                open_free_form(items);
            }
        }
        Schema::OneOf(one) => one.items.iter_mut().for_each(open_free_form),
        Schema::AllOf(all) => all.items.iter_mut().for_each(open_free_form),
        Schema::AnyOf(any) => any.items.iter_mut().for_each(open_free_form),
        _ => {}
    }
}

/// Answers whether a body of this media type is bytes (a picture, a video)
/// rather than JSON or text.
fn is_binary(content_type: &str) -> bool {
    content_type.starts_with("image/")
        || content_type.starts_with("video/")
        || content_type == "application/octet-stream"
}

/// The schema of a body of raw bytes: handlers return `Vec<u8>`, which would
/// otherwise read as an array of numbers.
fn binary() -> utoipa::openapi::Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .build()
        .into()
}

/// Adds an error response the handler's annotation did not list.
fn add_response(operation: &mut Operation, status: &str) {
    let responses = &mut operation.responses.responses;
    if !responses.contains_key(status) {
        let response: Response = ResponseBuilder::new().description(describe(status)).build();
        responses.insert(status.to_owned(), RefOr::T(response));
    }
}

/// What a status means in this API, where a handler did not say more.
fn describe(status: &str) -> &'static str {
    match status {
        "200" => "Done",
        "201" => "Created",
        "202" => "Accepted; the work goes on in the background",
        "204" => "Done; no content",
        "206" => "The requested byte range",
        "400" => "Bad input; the message names the field at fault",
        "401" => "No valid access token or API key (expired, revoked or missing)",
        "403" => "The caller lacks the permission the message names, on this resource",
        "404" => "No such resource in the caller's tenant and scope",
        "409" => "Conflicts with the resource's current state",
        "412" => "The resource changed since the client read it (`If-Match`): read it again",
        "413" => "The request body is too large",
        "416" => "The requested byte range is outside the file",
        "429" => "Too many requests; `Retry-After` says when to try again",
        "500" => "Internal error; the details are in the server's log, never in the answer",
        "503" => "A part the request needs (database, a plane) is unavailable; try again",
        _ => "See the operation's description",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authenticated_operation_gains_both_schemes_and_the_refusals() {
        let mut operation = Operation::new();
        complete_operation(&mut operation, Requirement::Needs(vms_catalog::access::Permission::CameraManage));
        let security = serde_json::to_value(&operation.security).unwrap();
        assert_eq!(security, serde_json::json!([{"bearer": []}, {"apiKey": []}]));
        for status in ["401", "403", "429", "500"] {
            let RefOr::T(response) = &operation.responses.responses[status] else { panic!("{status} is a reference") };
            assert!(response.content.contains_key("application/json"), "{status}");
            assert!(!response.description.is_empty(), "{status}");
        }
    }

    #[test]
    fn a_long_summary_keeps_its_first_sentence_and_moves_into_the_description() {
        let mut operation = Operation::new();
        operation.summary = Some("Lists the cameras the caller may\nsee. Newest first.".into());
        operation.description = Some("More.".into());
        split_summary(&mut operation);
        assert_eq!(operation.summary.as_deref(), Some("Lists the cameras the caller may see"));
        assert_eq!(
            operation.description.as_deref(),
            Some("Lists the cameras the caller may\nsee. Newest first.\n\nMore.")
        );
        operation.summary = Some("Sets one, e.g. a site. Or not.".into());
        split_summary(&mut operation);
        assert_eq!(operation.summary.as_deref(), Some("Sets one, e.g. a site"));
        operation.summary = Some("Deletes a site.".into());
        operation.description = None;
        split_summary(&mut operation);
        assert_eq!(operation.summary.as_deref(), Some("Deletes a site"));
        assert_eq!(operation.description, None);
    }

    #[test]
    fn free_form_objects_take_any_property_and_described_ones_stay_closed() {
        let free = ObjectBuilder::new().schema_type(Type::Object).build();
        let described = ObjectBuilder::new().schema_type(Type::Object).property("attributes", free).build();
        let mut schema = RefOr::T(Schema::Object(described));
        open_free_form(&mut schema);
        let json = serde_json::to_value(&schema).unwrap();
        assert_eq!(json["properties"]["attributes"]["additionalProperties"], true, "{json}");
        assert!(json.get("additionalProperties").is_none(), "{json}");
    }

    #[test]
    fn a_public_operation_gains_only_the_internal_error() {
        let mut operation = Operation::new();
        complete_operation(&mut operation, Requirement::Public);
        assert!(operation.security.is_none());
        let statuses: Vec<&String> = operation.responses.responses.keys().collect();
        assert_eq!(statuses, ["500"]);
    }
}
