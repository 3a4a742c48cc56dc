//! `Idempotency-Key` on the API's POSTs: a client that did not hear the
//! answer (a timeout, a dropped connection) retries with the same key and gets
//! the first answer again instead of creating a second camera, export or
//! event.
//!
//! The key is the caller's (a user or an API key): the same key from someone
//! else is another key. A retry must repeat the request exactly (method,
//! target, body), or it is refused; one that arrives while the first still
//! runs is told so (409). Only successful answers are kept (24 hours), so a
//! request that failed may be corrected and sent again with the same key.
//! Routes whose answer holds a secret shown once refuse the header rather than
//! keep that secret in Redis. Without Redis, a request carrying the header is
//! refused (503): running it unprotected could do twice what the client asked
//! to happen once.

use std::time::Duration;

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use vms_base::ErrorCode;
use vms_bus::{
    hot::HotState,
    idempotency::{Claim, IdempotencyRecord, StoredAnswer},
};

use crate::error::ApiError;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// Longest key accepted (a UUID is 36).
const MAX_KEY_LEN: usize = 255;
/// How long a claim holds while its request runs.
const RUNNING: Duration = Duration::from_secs(120);
/// How long an answer is kept for retries.
const KEEP: Duration = Duration::from_secs(24 * 3600);
/// Largest answer kept; a larger one is returned but not kept.
const MAX_KEPT_BODY: usize = 256 * 1024;

/// POST routes whose answer carries a credential shown once (an API key, a
/// webhook's signing secret, a password-reset token, tickets).
const SECRET_ANSWERS: &[&str] = &[
    "/api/api-keys",
    "/api/webhooks",
    "/api/users/{id}/password-reset",
    "/api/cameras/{id}/streams/{role}/ticket",
    "/api/events/ws-ticket",
];

/// Answers whether an authenticated route takes `Idempotency-Key` (for the
/// OpenAPI document; [`run`] applies the same rule).
pub fn honoured(method: &Method, route: &str) -> bool {
    method == Method::POST && !SECRET_ANSWERS.contains(&route)
}

/// Runs an authenticated request of `principal` on `route`, honouring its
/// `Idempotency-Key` if it has one.
pub async fn run(hot: &HotState, principal: &str, route: &str, request: Request, next: Next) -> Response {
    let Some(key) = request.headers().get(HEADER).cloned() else { return next.run(request).await };
    if request.method() != Method::POST {
        // PUT, PATCH and DELETE are idempotent as they stand.
        return next.run(request).await;
    }
    if !honoured(request.method(), route) {
        let why = "not accepted here: the answer holds a secret shown only once";
        return ApiError::invalid("Idempotency-Key", why).into_response();
    }
    let key = match key.to_str() {
        Ok(k) if (1..=MAX_KEY_LEN).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_owned(),
        _ => {
            let why = format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters");
            return ApiError::invalid("Idempotency-Key", why).into_response();
        }
    };
    let (parts, body) = request.into_parts();
    // The body limit layer has read the body into memory already.
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::invalid("body", "could not be read").into_response();
    };
    let target = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let (key_digest, request_digest) = digests(principal, &key, &parts.method, target, &body);

    match hot.claim_idempotency(&key_digest, &request_digest, RUNNING).await {
        Err(e) => ApiError::unavailable("idempotency records", format!("{e:#}")).into_response(),
        Ok(Claim::Held(IdempotencyRecord { request, .. })) if request != request_digest => {
            ApiError::invalid("Idempotency-Key", "already used for a different request").into_response()
        }
        Ok(Claim::Held(IdempotencyRecord { answer: None, .. })) => {
            ApiError::new(ErrorCode::FailedPrecondition, "a request with this Idempotency-Key is still running")
                .with_retry_after(Duration::from_secs(1))
                .into_response()
        }
        Ok(Claim::Held(IdempotencyRecord { answer: Some(answer), .. })) => replay(answer),
        Ok(Claim::Claimed) => {
            let response = next.run(Request::from_parts(parts, Body::from(body))).await;
            settle(hot, &key_digest, &request_digest, response).await
        }
    }
}

/// Keeps a successful answer for retries and releases the key otherwise;
/// returns the answer unchanged.
async fn settle(hot: &HotState, key_digest: &str, request_digest: &str, response: Response) -> Response {
    if !response.status().is_success() {
        release(hot, key_digest).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => {
            release(hot, key_digest).await;
            return ApiError::internal(format!("reading an answer to keep: {e}")).into_response();
        }
    };
    let header = |name| parts.headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
    match String::from_utf8(body.to_vec()) {
        Ok(text) if text.len() <= MAX_KEPT_BODY => {
            let answer = StoredAnswer {
                status: parts.status.as_u16(),
                content_type: header(header::CONTENT_TYPE),
                location: header(header::LOCATION),
                body: text,
            };
            if let Err(e) = hot.store_idempotent_answer(key_digest, request_digest, answer, KEEP).await {
                tracing::warn!(error = %format!("{e:#}"), "failed to keep an answer for Idempotency-Key");
                release(hot, key_digest).await;
            }
        }
        _ => release(hot, key_digest).await,
    }
    Response::from_parts(parts, Body::from(body))
}

async fn release(hot: &HotState, key_digest: &str) {
    if let Err(e) = hot.release_idempotency(key_digest).await {
        tracing::warn!(error = %format!("{e:#}"), "failed to release an Idempotency-Key; it lapses in minutes");
    }
}

/// The first answer again, marked as a replay.
fn replay(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [(header::CONTENT_TYPE, answer.content_type), (header::LOCATION, answer.location)] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// The Redis record's name for `principal`'s `key`, and the digest of the
/// request (method, target with its query, body) a retry must repeat.
pub fn digests(principal: &str, key: &str, method: &Method, target: &str, body: &[u8]) -> (String, String) {
    (digest(&[principal.as_bytes(), key.as_bytes()]), digest(&[method.as_str().as_bytes(), target.as_bytes(), body]))
}

/// Hex SHA-256 of the parts, each length-prefixed so no two splits collide.
fn digest(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_tell_apart_every_split_of_the_same_bytes() {
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
        assert_eq!(digest(&[b"a", b"b"]), digest(&[b"a", b"b"]));
    }

    #[test]
    fn secrets_shown_once_are_never_kept() {
        assert!(honoured(&Method::POST, "/api/cameras"));
        assert!(honoured(&Method::POST, "/api/exports"));
        assert!(!honoured(&Method::POST, "/api/api-keys"));
        assert!(!honoured(&Method::POST, "/api/webhooks"));
        assert!(!honoured(&Method::PUT, "/api/rules/{id}"));
    }
}
