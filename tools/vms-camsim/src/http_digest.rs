//! HTTP Digest (RFC 7616 without `qop`, as the simulator's RTSP server does
//! it) for the simulated devices' HTTP services: one nonce per device, a
//! challenge to send and a check of the answer.

use std::sync::Mutex;

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use vms_rtsp::auth::{Presented, digest_matches, new_nonce, parse};

/// A device's Digest state: its realm and current nonce.
pub(crate) struct DigestAuth {
    realm: String,
    nonce: Mutex<String>,
}

impl DigestAuth {
    /// A realm with a fresh nonce.
    pub(crate) fn new(realm: &str) -> Self {
        DigestAuth { realm: realm.to_owned(), nonce: Mutex::new(new_nonce()) }
    }

    /// Whether `headers` carry a Digest answer for `method` by `username`
    /// with `password` to this realm's nonce.
    pub(crate) fn verify(&self, headers: &HeaderMap, method: &str, username: &str, password: &str) -> bool {
        let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return false };
        let Some(presented @ Presented::Digest { .. }) = parse(auth) else { return false };
        let Presented::Digest { username: presented_user, .. } = &presented else { return false };
        let nonce = self.nonce.lock().expect("nonce lock").clone();
        presented_user == username && digest_matches(&presented, method, &self.realm, &nonce, password)
    }

    /// A 401 challenging for this realm, with `body` as `content_type`.
    pub(crate) fn challenge(&self, content_type: &'static str, body: String) -> Response {
        let nonce = self.nonce.lock().expect("nonce lock").clone();
        let value = format!("Digest realm=\"{}\", nonce=\"{nonce}\"", self.realm);
        let mut response = (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, content_type)], body).into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_str(&value).expect("ascii challenge"));
        response
    }
}
