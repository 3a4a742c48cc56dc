//! Security headers on every response control sends: the web app, the API,
//! the docs and the errors alike.
//!
//! - `Content-Security-Policy`: scripts only from our own origin (no inline
//!   script, no `eval`), media and workers also from `blob:` (MSE and hls.js),
//!   no plug-ins, and no framing (`frame-ancestors 'none'`), so a page of ours
//!   cannot be clickjacked.
//! - `X-Content-Type-Options: nosniff`, so an uploaded or proxied body is never
//!   run as another type.
//! - `Referrer-Policy: no-referrer`: archive URLs carry tickets, which must not
//!   travel to other sites in a `Referer`.
//! - `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`.
//! - `Strict-Transport-Security` when control serves HTTPS.

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// The policy of every response. Styles may be inline: React sets `style`
/// attributes and the API docs page uses inline style sheets; scripts may not.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
     worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// One year, as browsers' preload lists expect.
const HSTS: &str = "max-age=31536000";

/// Adds the headers; `https` says whether this server speaks TLS.
pub async fn add(State(https): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 4] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}
