//! The client behind a reverse proxy.
//!
//! A request's peer is the proxy when control runs behind one. Only a peer in
//! `control.trusted_proxies` may name the client, in the one header named by
//! `control.trusted_proxy_header`; the client is the rightmost address in that
//! header no trusted proxy added (a client can prepend whatever it likes, but
//! not append after its proxy). Rate limits, lockouts and the audit trail then
//! see the client, through [`crate::extract::ClientIp`].

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use vms_config::IpRange;

use crate::AppState;

/// The client a trusted proxy named for this request.
#[derive(Debug, Clone, Copy)]
pub struct ForwardedClient(pub IpAddr);

/// Middleware: records the [`ForwardedClient`] when the peer is a trusted proxy.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let control = &state.config.control;
    if !control.trusted_proxies.is_empty()
        && let Some(peer) = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
        && let Some(client) =
            client_of(peer, request.headers(), &control.trusted_proxies, &control.trusted_proxy_header)
    {
        request.extensions_mut().insert(ForwardedClient(client));
    }
    next.run(request).await
}

/// Returns the client `peer` forwards for, or `None` when `peer` is no
/// trusted proxy or names nobody usable.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange], header: &str) -> Option<IpAddr> {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return None;
    }
    let hops = if header.eq_ignore_ascii_case("forwarded") { forwarded_for(headers) } else { listed(headers, header) };
    let mut client = peer;
    for hop in hops.iter().rev() {
        if !is_trusted(client) {
            break;
        }
        // An entry that is no address (`unknown`, an obfuscated name): the
        // last trusted hop is as far as anyone can tell.
        match hop {
            Some(ip) => client = *ip,
            None => break,
        }
    }
    (client != peer).then_some(client)
}

/// The comma-separated elements of every `header` line, in order. Each is
/// read on its own: a byte a client slipped into its own element must not
/// cost the element its proxy appended to the same line.
fn elements<'h>(headers: &'h HeaderMap, header: &str) -> impl Iterator<Item = Option<&'h str>> {
    headers
        .get_all(header)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .map(|element| std::str::from_utf8(element).ok())
}

/// Addresses of every `header` line, in order (`X-Forwarded-For: a, b`).
fn listed(headers: &HeaderMap, header: &str) -> Vec<Option<IpAddr>> {
    elements(headers, header).map(|e| e.and_then(|s| parse_node(s.trim()))).collect()
}

/// The `for=` node of every element of every `Forwarded` line (RFC 7239).
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    elements(headers, axum::http::header::FORWARDED.as_str())
        .map(|element| {
            let element = element?;
            element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| parse_node(value.trim().trim_matches('"')))?
            })
        })
        .collect()
}

/// An address with or without a port: `192.0.2.1`, `192.0.2.1:80`,
/// `[2001:db8::1]:443`, `[2001:db8::1]`, `2001:db8::1`.
fn parse_node(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| s.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(peer: &str, header: &str, values: &[&str]) -> Option<String> {
        let trusted: Vec<IpRange> = vec!["10.0.0.0/8".parse().unwrap(), "2001:db8:1::/48".parse().unwrap()];
        let mut headers = HeaderMap::new();
        let name: axum::http::HeaderName = header.parse().unwrap();
        for v in values {
            headers.append(name.clone(), v.parse().unwrap());
        }
        client_of(peer.parse().unwrap(), &headers, &trusted, header).map(|ip| ip.to_string())
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &["192.0.2.1"]).as_deref(), Some("192.0.2.1"));
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &["6.6.6.6, 192.0.2.1"]).as_deref(), Some("192.0.2.1"));
        assert_eq!(
            client("10.0.0.1", "x-forwarded-for", &["6.6.6.6", "192.0.2.1, 10.1.1.1"]).as_deref(),
            Some("192.0.2.1")
        );
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &["192.0.2.1:5000"]).as_deref(), Some("192.0.2.1"));
        assert_eq!(client("192.0.2.9", "x-forwarded-for", &["192.0.2.1"]), None, "an untrusted peer names nobody");
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &[]), None);
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &["unknown"]), None);
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &["garbage, 10.2.2.2"]).as_deref(), Some("10.2.2.2"));
        // Every hop trusted: the leftmost is as far as anyone knows.
        assert_eq!(client("10.0.0.1", "x-forwarded-for", &["10.3.3.3, 10.2.2.2"]).as_deref(), Some("10.3.3.3"));
    }

    /// Review of issue 11: a client's odd byte in its own element must not hide the proxy's entry.
    #[test]
    fn a_non_utf8_element_costs_only_itself() {
        let trusted: Vec<IpRange> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut headers = HeaderMap::new();
        let value = axum::http::HeaderValue::from_bytes(b"\xff\xfe, 192.0.2.77").unwrap();
        headers.insert("x-forwarded-for", value);
        let got = client_of("10.0.0.1".parse().unwrap(), &headers, &trusted, "x-forwarded-for");
        assert_eq!(got.map(|ip| ip.to_string()).as_deref(), Some("192.0.2.77"));
    }

    #[test]
    fn forwarded_elements_name_their_for_node() {
        let got = client("2001:db8:1::5", "forwarded", &[r#"for="[2001:db8:cafe::17]:4711";proto=https"#]);
        assert_eq!(got.as_deref(), Some("2001:db8:cafe::17"));
        let got = client("10.0.0.1", "forwarded", &["for=192.0.2.43, for=198.51.100.17;by=203.0.113.60"]);
        assert_eq!(got.as_deref(), Some("198.51.100.17"));
        assert_eq!(client("10.0.0.1", "forwarded", &["for=_hidden"]), None);
        assert_eq!(client("10.0.0.1", "forwarded", &["proto=http"]), None);
        assert_eq!(client("::ffff:10.0.0.1", "forwarded", &["For=192.0.2.5"]).as_deref(), Some("192.0.2.5"));
    }
}
