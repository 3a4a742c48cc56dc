//! Control's HTTP client to the planes it forwards to (the media plane's
//! live egress, the recorders' archives): one pooled client, and relaying
//! a plane's answer back without its connection-bound headers.

use std::{sync::OnceLock, time::Duration};

use axum::{body::Body, response::Response};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};

/// Headers that belong to one connection and are not forwarded (RFC 9110 §7.6.1).
pub const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The client, made on first use: connections are pooled per plane address.
pub fn client() -> &'static Client<HttpConnector, Body> {
    static CLIENT: OnceLock<Client<HttpConnector, Body>> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(3)));
        connector.set_nodelay(true);
        Client::builder(TokioExecutor::new()).build(connector)
    })
}

/// A plane's answer as control's, streamed, without hop-by-hop headers or
/// cookies (control's origin sets its own; a plane's never reach a browser).
pub fn relay(response: hyper::Response<hyper::body::Incoming>) -> Response {
    let (mut parts, body) = response.into_parts();
    for name in HOP_BY_HOP {
        parts.headers.remove(*name);
    }
    parts.headers.remove(axum::http::header::SET_COOKIE);
    Response::from_parts(parts, Body::new(body))
}
