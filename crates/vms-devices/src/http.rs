//! The HTTP side of every device protocol: a deadline on each request, a cap
//! on each reply, and HTTP Digest (or Basic, where that is all a device
//! offers) answered from the device's own challenge.
//!
//! The last Digest challenge is kept, so after the first exchange requests
//! carry their `Authorization` at once instead of costing a 401 each.
//!
//! A reply that never ends (an event stream) is opened with
//! [`DeviceHttp::open`]: the deadline covers the connection, the Digest
//! exchange and the headers, and each read after that has its own silence
//! bound instead ([`LiveReply::chunk`]).

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

use base64::{Engine, engine::general_purpose::STANDARD};
use bytes::{Bytes, BytesMut};
use reqwest::{Method, StatusCode, header};
use url::Url;

use crate::error::DeviceError;

/// A user name and password for a device. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl Credentials {
    /// Credentials from a user name and password.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials { username: username.into(), password: password.into() }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("password", &"***").finish()
    }
}

/// Decides whether an address may be connected to (the installation's
/// policy: no loopback, link-local or own ports). `Err` holds the reason.
pub type AddressGuard = Arc<dyn Fn(SocketAddr) -> Result<(), String> + Send + Sync>;

/// Bounds on one request, and which addresses requests may go to.
#[derive(Clone)]
pub struct Limits {
    /// The whole exchange, connection to last byte.
    pub timeout: Duration,
    /// The largest reply body accepted.
    pub max_body: usize,
    /// Checked on every address before connecting (host names on each
    /// address they resolve to); `None` connects anywhere.
    pub guard: Option<AddressGuard>,
}

impl fmt::Debug for Limits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limits")
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .field("guard", &self.guard.is_some())
            .finish()
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits { timeout: Duration::from_secs(10), max_body: 1 << 20, guard: None }
    }
}

/// A device's reply.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body (at most [`Limits::max_body`] bytes).
    pub body: Bytes,
}

/// An HTTP client for one device.
pub struct DeviceHttp {
    client: reqwest::Client,
    /// Without the whole-request deadline, for replies that never end; built when first needed.
    live: OnceLock<reqwest::Client>,
    limits: Limits,
    credentials: Option<Credentials>,
    challenge: Mutex<Option<digest_auth::WwwAuthenticateHeader>>,
}

/// `host:port` of a URL, for messages (never its user information).
pub fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => "<no host>".to_owned(),
    }
}

/// Parses `text` as the plain-HTTP address of a device (`what` names it in
/// errors): HTTPS is not spoken yet, and credentials belong in their own
/// fields, never in an address that is stored and shown.
pub(crate) fn plain_http_url(text: &str, what: &str) -> Result<Url, DeviceError> {
    let url = Url::parse(text).map_err(|_| DeviceError::Invalid(format!("the {what} address is not a valid URL")))?;
    if url.scheme() == "https" {
        return Err(DeviceError::Invalid(format!(
            "HTTPS {what} addresses are not supported yet: give the {what}'s http:// address"
        )));
    }
    if url.scheme() != "http" || url.host_str().is_none() {
        return Err(DeviceError::Invalid(format!("the {what} address must be an http URL with a host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(DeviceError::Invalid(format!("give the {what}'s credentials separately, not in its address")));
    }
    Ok(url)
}

/// Maps a transport error to ours, with the innermost cause (connection
/// refused, reset) rather than reqwest's generic words, and without the URL.
pub(crate) fn transport_error(url: &Url, limits: &Limits, err: reqwest::Error) -> DeviceError {
    let host = host_of(url);
    if err.is_timeout() {
        return DeviceError::Timeout { host, secs: limits.timeout.as_secs() };
    }
    let err = err.without_url();
    let mut reason = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(inner) = source {
        reason = inner.to_string();
        source = inner.source();
    }
    DeviceError::Unreachable { host, reason }
}

impl DeviceHttp {
    /// A client with `limits`, answering challenges with `credentials` when given.
    pub fn new(limits: Limits, credentials: Option<Credentials>) -> Self {
        let client = client(&limits, true).build().expect("a client without TLS settings builds");
        DeviceHttp { client, live: OnceLock::new(), limits, credentials, challenge: Mutex::new(None) }
    }

    /// The limits requests run under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The client to reach `url` with, once its addresses pass the guard: a
    /// host name is resolved here and the request pinned to the addresses
    /// checked, so a second lookup cannot answer differently.
    /// `whole` picks the client with the whole-request deadline; the other is for
    /// replies that never end.
    async fn checked(&self, whole: bool, url: &Url) -> Result<reqwest::Client, DeviceError> {
        let base = if whole {
            &self.client
        } else {
            self.live.get_or_init(|| client(&self.limits, false).build().expect("a client without TLS settings builds"))
        };
        let Some(guard) = &self.limits.guard else { return Ok(base.clone()) };
        let port = url.port_or_known_default().unwrap_or(80);
        let refused = |reason: String| DeviceError::Refused { host: host_of(url), reason };
        match url.host() {
            Some(url::Host::Ipv4(ip)) => {
                guard(SocketAddr::new(IpAddr::V4(ip), port)).map_err(refused).map(|_| base.clone())
            }
            Some(url::Host::Ipv6(ip)) => {
                guard(SocketAddr::new(IpAddr::V6(ip), port)).map_err(refused).map(|_| base.clone())
            }
            Some(url::Host::Domain(name)) => {
                let lookup = tokio::net::lookup_host((name, port));
                let addrs: Vec<SocketAddr> = tokio::time::timeout(self.limits.timeout, lookup)
                    .await
                    .map_err(|_| self.timeout(url))?
                    .map_err(|e| DeviceError::Unreachable {
                        host: host_of(url),
                        reason: format!("name lookup failed: {e}"),
                    })?
                    .collect();
                if addrs.is_empty() {
                    return Err(DeviceError::Unreachable {
                        host: host_of(url),
                        reason: "the name has no address".into(),
                    });
                }
                for addr in &addrs {
                    guard(*addr).map_err(refused)?;
                }
                Ok(client(&self.limits, whole)
                    .resolve_to_addrs(name, &addrs)
                    .build()
                    .expect("a client without TLS settings builds"))
            }
            None => Err(DeviceError::Invalid("the device URL has no host".into())),
        }
    }

    /// Sends a request, answering an HTTP Digest or Basic challenge once with
    /// the client's credentials. A 401 after that is [`DeviceError::AuthFailed`];
    /// any other status is returned for the caller to read (SOAP faults come
    /// with 400 and 500 as well as 200).
    pub async fn send(
        &self,
        method: Method,
        url: &Url,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<Reply, DeviceError> {
        let run = async {
            let client = self.checked(true, url).await?;
            let response = self.exchange(&client, method, url, content_type, body).await?;
            self.read(url, response).await
        };
        tokio::time::timeout(self.limits.timeout, run).await.unwrap_or_else(|_| Err(self.timeout(url)))
    }

    /// Opens a `GET` of `url` whose reply does not end (an event stream).
    /// Connecting, the Digest exchange and the reply's headers must come
    /// within [`Limits::timeout`]; the body has no deadline, only the silence
    /// bound of each [`LiveReply::chunk`]. A status other than success is
    /// an error ([`DeviceError::AuthFailed`] for a refused password,
    /// [`DeviceError::Http`] otherwise).
    pub async fn open(&self, url: &Url) -> Result<LiveReply, DeviceError> {
        let run = async {
            let client = self.checked(false, url).await?;
            self.exchange(&client, Method::GET, url, None, Bytes::new()).await
        };
        let response =
            tokio::time::timeout(self.limits.timeout, run).await.unwrap_or_else(|_| Err(self.timeout(url)))?;
        if !response.status().is_success() {
            return Err(DeviceError::Http { status: response.status().as_u16() });
        }
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(LiveReply { response, content_type, url: url.clone(), limits: self.limits.clone() })
    }

    fn timeout(&self, url: &Url) -> DeviceError {
        DeviceError::Timeout { host: host_of(url), secs: self.limits.timeout.as_secs() }
    }

    /// One request, and once more with an answer to the device's challenge if it sent one.
    async fn exchange(
        &self,
        client: &reqwest::Client,
        method: Method,
        url: &Url,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<reqwest::Response, DeviceError> {
        let preset = self.authorization(&method, url, &body);
        let response = self.once(client, method.clone(), url, content_type, body.clone(), preset.clone()).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let Some(credentials) = &self.credentials else { return Err(DeviceError::AuthFailed) };
        let challenges: Vec<String> = response
            .headers()
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let scheme =
            |c: &String, name: &str| c.trim_start().get(..name.len()).is_some_and(|s| s.eq_ignore_ascii_case(name));
        let authorization = if let Some(digest) = challenges.iter().find(|c| scheme(c, "digest")) {
            // The scheme is case-insensitive; the parser wants it as the RFC writes it.
            let normalised = format!("Digest{}", &digest.trim_start()["digest".len()..]);
            let parsed = digest_auth::parse(&normalised).map_err(|_| DeviceError::AuthFailed)?;
            *self.challenge.lock().expect("challenge lock") = Some(parsed);
            self.authorization(&method, url, &body).ok_or(DeviceError::AuthFailed)?
        } else if challenges.iter().any(|c| scheme(c, "basic")) {
            // Basic sends the password as it is: only inside TLS.
            if url.scheme() != "https" {
                return Err(DeviceError::Invalid(
                    "the device asks for its password in clear text (HTTP Basic without TLS); refused".into(),
                ));
            }
            basic(credentials)
        } else {
            return Err(DeviceError::AuthFailed);
        };
        let response = self.once(client, method, url, content_type, body, Some(authorization)).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            *self.challenge.lock().expect("challenge lock") = None;
            return Err(DeviceError::AuthFailed);
        }
        Ok(response)
    }

    /// The `Authorization` value for the kept Digest challenge, if there is one.
    fn authorization(&self, method: &Method, url: &Url, body: &Bytes) -> Option<String> {
        let credentials = self.credentials.as_ref()?;
        let mut kept = self.challenge.lock().expect("challenge lock");
        let challenge = kept.as_mut()?;
        let context = digest_auth::AuthContext::new_with_method(
            credentials.username.as_str(),
            credentials.password.as_str(),
            request_uri(url),
            Some(body.as_ref()),
            digest_auth::HttpMethod(std::borrow::Cow::Owned(method.as_str().to_owned())),
        );
        challenge.respond(&context).ok().map(|h| h.to_header_string())
    }

    async fn once(
        &self,
        client: &reqwest::Client,
        method: Method,
        url: &Url,
        content_type: Option<&str>,
        body: Bytes,
        authorization: Option<String>,
    ) -> Result<reqwest::Response, DeviceError> {
        let mut request = client.request(method, url.clone()).body(body);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        if let Some(authorization) = authorization {
            request = request.header(header::AUTHORIZATION, authorization);
        }
        request.send().await.map_err(|e| transport_error(url, &self.limits, e))
    }

    /// Reads a body up to the cap.
    async fn read(&self, url: &Url, mut response: reqwest::Response) -> Result<Reply, DeviceError> {
        let status = response.status().as_u16();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        if response.content_length().is_some_and(|n| n > self.limits.max_body as u64) {
            return Err(DeviceError::TooLarge { limit: self.limits.max_body });
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(url, &self.limits, e))? {
            if body.len() + chunk.len() > self.limits.max_body {
                return Err(DeviceError::TooLarge { limit: self.limits.max_body });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply { status, content_type, body: body.freeze() })
    }
}

/// A reply whose body does not end, read as it comes ([`DeviceHttp::open`]).
pub struct LiveReply {
    response: reqwest::Response,
    content_type: Option<String>,
    url: Url,
    limits: Limits,
}

impl fmt::Debug for LiveReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveReply")
            .field("host", &host_of(&self.url))
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl LiveReply {
    /// The reply's `Content-Type`, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The next bytes, as they arrive; `None` once the device has ended the
    /// reply. Nothing at all for `idle` is [`DeviceError::Silent`]; a
    /// connection that breaks is [`DeviceError::Unreachable`].
    pub async fn chunk(&mut self, idle: Duration) -> Result<Option<Bytes>, DeviceError> {
        match tokio::time::timeout(idle, self.response.chunk()).await {
            Ok(Ok(chunk)) => Ok(chunk),
            Ok(Err(e)) => Err(match transport_error(&self.url, &self.limits, e) {
                DeviceError::Unreachable { host, reason } => {
                    DeviceError::Unreachable { host, reason: format!("the connection broke mid-reply ({reason})") }
                }
                other => other,
            }),
            Err(_) => Err(DeviceError::Silent { host: host_of(&self.url), idle }),
        }
    }
}

/// A client builder with the limits' timeouts (the whole-request one only
/// when `whole`), no redirects and no proxy.
fn client(limits: &Limits, whole: bool) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder().connect_timeout(limits.timeout);
    let builder = if whole { builder.timeout(limits.timeout) } else { builder };
    builder
        .redirect(reqwest::redirect::Policy::none())
        // A proxy would resolve names itself, past the address guard.
        .no_proxy()
        .pool_max_idle_per_host(2)
}

fn basic(credentials: &Credentials) -> String {
    format!("Basic {}", STANDARD.encode(format!("{}:{}", credentials.username, credentials.password)))
}

/// The path and query a Digest answer hashes.
fn request_uri(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}
