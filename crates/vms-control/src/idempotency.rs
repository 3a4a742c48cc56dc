//! `Idempotency-Key` on the API's POSTs: a client that did not hear the
//! answer (a timeout, a dropped connection) retries with the same key and gets
//! the first answer again instead of creating a second camera, export or
//! event.
//!
//! The key is the caller's (a user or an API key, in the tenant it acts in):
//! the same key from someone else, or for another tenant, is another key. A retry must repeat the request exactly (method,
//! target, body), or it is refused; one that arrives while the first still
//! runs is told so (409). Only successful answers are kept (24 hours), so a
//! request that failed may be corrected and sent again with the same key.
//! Routes whose answer holds a secret shown once, or whose request is a
//! password change, refuse the header rather than keep anything of that
//! secret in Redis; request digests are keyed with the installation's
//! secret, so the passwords inside other bodies cannot be guessed from them.
//! The request runs to its end even if the client goes away, so its answer
//! is kept for the retry that follows. Without Redis, a request carrying the header is
//! refused (503): running it unprotected could do twice what the client asked
//! to happen once.

use std::time::Duration;

use hmac::{Hmac, Mac};

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::Sha256;
use vms_base::ErrorCode;
use vms_bus::{
    hot::HotState,
    idempotency::{Claim, ClaimToken, IdempotencyRecord, StoredAnswer},
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
/// Largest answer kept (creation answers are a few KiB); a larger one is
/// returned but not kept.
const MAX_KEPT_BODY: usize = 32 * 1024;
/// Most keys one caller may use in [`KEEP`], which bounds what one caller
/// keeps in Redis to this many times [`MAX_KEPT_BODY`].
const MAX_KEYS_PER_CALLER: u64 = 1_000;

/// POST routes whose answer carries a credential shown once (an API key, a
/// webhook's signing secret, a password-reset token, tickets), or whose
/// request is one's own password change.
const SECRETS: &[&str] = &[
    "/api/api-keys",
    "/api/webhooks",
    "/api/users/{id}/password-reset",
    "/api/cameras/{id}/streams/{role}/ticket",
    "/api/events/ws-ticket",
    "/api/auth/password",
];

/// Answers whether an authenticated route takes `Idempotency-Key` (for the
/// OpenAPI document; [`run`] applies the same rule).
pub fn honoured(method: &Method, route: &str) -> bool {
    method == Method::POST && !SECRETS.contains(&route)
}

/// Runs an authenticated request of `principal` (the caller and the tenant
/// it acts in) on `route`, honouring its `Idempotency-Key` if it has one;
/// `secret` keys the digests.
pub async fn run(
    hot: &HotState,
    secret: &[u8],
    principal: &str,
    route: &str,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = request.headers().get(HEADER).cloned() else { return next.run(request).await };
    if request.method() != Method::POST {
        // PUT, PATCH and DELETE are idempotent as they stand.
        return next.run(request).await;
    }
    if !honoured(request.method(), route) {
        let why = "not accepted here: the request or its answer holds a secret";
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
    let (key_digest, request_digest) = digests(secret, principal, &key, &parts.method, target, &body);

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
        Ok(Claim::Claimed(claim)) => {
            // Only kept answers count: a request that fails, and its retries
            // with the same key, use none of the caller's allowance.
            let caller = caller_digest(secret, principal);
            match hot.idempotency_keys_kept(&caller).await {
                Ok((kept, _)) if kept < MAX_KEYS_PER_CALLER => {}
                outcome => {
                    release(hot, &key_digest, &claim).await;
                    return match outcome {
                        Err(e) => ApiError::unavailable("idempotency records", format!("{e:#}")).into_response(),
                        Ok((_, left)) => ApiError::rate_limited(
                            format!("more than {MAX_KEYS_PER_CALLER} Idempotency-Keys in 24 hours"),
                            left.max(Duration::from_secs(1)),
                        )
                        .into_response(),
                    };
                }
            }
            // The request and the keeping of its answer run on their own, so
            // that a client that gives up (the very case a retry is for) does
            // not stop them halfway.
            let hot = hot.clone();
            let request = Request::from_parts(parts, Body::from(body));
            let key = key_digest.clone();
            let task = tokio::spawn(async move {
                let response = next.run(request).await;
                settle(&hot, &key, &caller, claim, response).await
            });
            match task.await {
                Ok(response) => response,
                // The claim lapses after RUNNING; a retry is told to wait until then.
                Err(e) => ApiError::internal(format!("request with an Idempotency-Key failed: {e}")).into_response(),
            }
        }
    }
}

/// Keeps a successful answer for retries and releases the key otherwise;
/// returns the answer unchanged.
async fn settle(hot: &HotState, key_digest: &str, caller: &str, claim: ClaimToken, response: Response) -> Response {
    if !response.status().is_success() {
        release(hot, key_digest, &claim).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => {
            release(hot, key_digest, &claim).await;
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
            match hot.store_idempotent_answer(key_digest, &claim, answer, KEEP).await {
                Ok(true) => {
                    if let Err(e) = hot.count_idempotency_keys(caller, KEEP).await {
                        tracing::warn!(error = %format!("{e:#}"), "failed to count a kept Idempotency-Key answer");
                    }
                }
                Ok(false) => tracing::warn!("an Idempotency-Key's claim lapsed before its request answered"),
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "failed to keep an answer for Idempotency-Key");
                    release(hot, key_digest, &claim).await;
                }
            }
        }
        _ => release(hot, key_digest, &claim).await,
    }
    Response::from_parts(parts, Body::from(body))
}

async fn release(hot: &HotState, key_digest: &str, claim: &ClaimToken) {
    if let Err(e) = hot.release_idempotency(key_digest, claim).await {
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
/// request (method, target with its query, body) a retry must repeat; both
/// keyed with `secret`.
pub fn digests(
    secret: &[u8],
    principal: &str,
    key: &str,
    method: &Method,
    target: &str,
    body: &[u8],
) -> (String, String) {
    (
        digest(secret, &[b"key", principal.as_bytes(), key.as_bytes()]),
        digest(secret, &[b"request", method.as_str().as_bytes(), target.as_bytes(), body]),
    )
}

/// The name under which `principal`'s keys are counted.
pub fn caller_digest(secret: &[u8], principal: &str) -> String {
    digest(secret, &[b"caller", principal.as_bytes()])
}

/// Hex HMAC-SHA256 under `secret` of the parts, each length-prefixed so no
/// two splits collide.
fn digest(secret: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_tell_apart_every_split_of_the_same_bytes_and_every_secret() {
        assert_ne!(digest(b"s", &[b"ab", b"c"]), digest(b"s", &[b"a", b"bc"]));
        assert_eq!(digest(b"s", &[b"a", b"b"]), digest(b"s", &[b"a", b"b"]));
        assert_ne!(digest(b"s", &[b"a"]), digest(b"t", &[b"a"]));
    }

    #[test]
    fn secrets_shown_once_are_never_kept() {
        assert!(honoured(&Method::POST, "/api/cameras"));
        assert!(honoured(&Method::POST, "/api/exports"));
        assert!(!honoured(&Method::POST, "/api/api-keys"));
        assert!(!honoured(&Method::POST, "/api/webhooks"));
        assert!(!honoured(&Method::POST, "/api/auth/password"));
        assert!(!honoured(&Method::PUT, "/api/rules/{id}"));
    }
}
