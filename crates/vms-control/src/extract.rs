//! Extractors whose failures are API errors naming the field at fault.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::request::Parts,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;

/// A JSON body; a malformed body or a bad field is a 400 naming the field.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::invalid("body", format!("failed to read: {e}")))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON, reporting the path of the offending field (e.g. `streams[0].url`).
///
/// A NUL character in any string (or key) is refused here, naming the field:
/// PostgreSQL cannot store one in text, and nothing we accept needs it.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::invalid("body", "expected a JSON object"));
    }
    // JSON can only carry NUL escaped; look closer only when the escape is there.
    if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(field) = nul_field(&value, String::new())
    {
        return Err(ApiError::invalid(
            if field.is_empty() { "body" } else { &field },
            "must not contain NUL characters",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = strip_position(&inner.to_string());
        match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                ApiError::invalid("body", format!("malformed JSON ({inner})"))
            }
            _ if path == "." || path.is_empty() => {
                ApiError::invalid(&missing_field(&message).unwrap_or_else(|| "body".to_owned()), message)
            }
            _ => ApiError::invalid(&path, message),
        }
    })
}

/// Returns the path (`roles[0]`, `streams[1].url`) of the first string holding a NUL.
fn nul_field(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(s) => s.contains('\0').then_some(path),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| nul_field(item, format!("{path}[{i}]")))
        }
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') { Some(inner) } else { nul_field(item, inner) }
        }),
        _ => None,
    }
}

/// Refuses a request whose path or query carries an encoded NUL (`%00`) with
/// a 400 naming the query parameter (or `path`), before any handler sees it.
pub async fn refuse_nul_in_uri(request: Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let uri = request.uri();
    if uri.path().contains("%00") {
        return ApiError::invalid("path", "must not contain NUL characters").into_response();
    }
    if let Some(query) = uri.query().filter(|q| q.contains("%00")) {
        let field = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
            .map(|(k, _)| k.replace('\0', ""))
            .unwrap_or_else(|| "query".to_owned());
        return ApiError::invalid(&field, "must not contain NUL characters").into_response();
    }
    next.run(request).await
}

/// serde reports a missing field at the parent's path; name the field itself.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// A UUID path parameter named `id`; anything else is a 400.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::invalid("id", e))?;
        raw.parse().map(IdPath).map_err(|_| ApiError::invalid("id", "must be a UUID"))
    }
}

/// A camera's stream named by the path: `{id}` (or `{camera}`) and `{role}`.
/// A camera id that is no UUID is a 400; a role that is neither `main` nor
/// `sub` a 404 naming it, on every route alike.
pub struct StreamPath {
    /// The camera.
    pub camera: Uuid,
    /// Its stream.
    pub role: vms_base::StreamRole,
}

impl<S: Send + Sync> FromRequestParts<S> for StreamPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::invalid("path", e.body_text()))?;
        let find = |names: &[&str]| params.iter().find(|(k, _)| names.contains(k)).map(|(_, v)| v.to_owned());
        let camera = find(&["id", "camera"]).ok_or_else(|| ApiError::invalid("path", "names no camera"))?;
        let role = find(&["role"]).ok_or_else(|| ApiError::invalid("path", "names no stream"))?;
        let camera = camera.parse().map_err(|_| ApiError::invalid("camera", "must be a UUID"))?;
        let role = role.parse().map_err(|e: vms_base::stream::UnknownWord| {
            ApiError::new(vms_base::ErrorCode::NotFound, format!("no such stream: {e}"))
        })?;
        Ok(StreamPath { camera, role })
    }
}

/// The client's address, when the server knows it (tests calling the router
/// directly may not set one).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl ClientIp {
    /// Returns the address as text, or `unknown`.
    pub fn label(&self) -> String {
        self.0.map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".to_owned())
    }

    /// Reads the address from a request's extensions: the client a trusted
    /// proxy named, else the peer.
    pub fn of(extensions: &axum::http::Extensions) -> Self {
        if let Some(forwarded) = extensions.get::<crate::forwarded::ForwardedClient>() {
            return ClientIp(Some(forwarded.0));
        }
        ClientIp(extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(&parts.extensions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        url: String,
    }

    fn message(json: &str) -> String {
        let err = parse_json::<Body>(json.as_bytes()).unwrap_err();
        assert_eq!(err.code(), vms_base::ErrorCode::InvalidArgument);
        format!("{err:?}")
    }

    #[test]
    fn errors_name_the_field() {
        assert!(message(r#"{"items": []}"#).contains("message: \"name: missing field `name`\""));
        assert!(message(r#"{"name": 5, "items": []}"#).contains("name: invalid type"));
        assert!(message(r#"{"name": "a", "items": [{"url": 1}]}"#).contains("items[0].url: invalid type"));
        assert!(message(r#"{"name": "a", "items": [], "x": 1}"#).contains("unknown field `x`"));
        let m = message("{not json");
        assert!(m.contains("body: malformed JSON"), "{m}");
        assert!(message("").contains("body: expected a JSON object"));
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        assert!(message(r#"{"name": "a\u0000b", "items": []}"#).contains("name: must not contain NUL"));
        assert!(message(r#"{"name": "a", "items": [{"url": "x\u0000"}]}"#).contains("items[0].url: must not"));
        // An escaped backslash followed by `u0000` is text, not a NUL.
        assert!(parse_json::<Body>(br#"{"name": "a\\u0000", "items": []}"#).is_ok());
    }
}
