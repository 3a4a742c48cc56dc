//! The metrics listener: `GET /metrics` and nothing else, through the
//! bounded HTTP listener every plane uses. It answers anyone on loopback;
//! beyond loopback, only a scraper that sends the installation's metrics
//! token as `Authorization: Bearer <token>` (Prometheus's `authorization`
//! setting), so opening the listener never opens the figures to all.

use std::net::SocketAddr;

use axum::{
    Router,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use vms_base::{Plane, conn_limit::ConnGate};
use vms_config::Config;

use crate::Metrics;

/// The Prometheus text format's content type, answered by default.
pub const PROMETHEUS_CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
/// OpenMetrics text's, answered to a scraper whose `Accept` names it.
pub const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone)]
struct Scrape {
    metrics: Metrics,
    token: Option<String>,
}

/// Serves `plane`'s metrics where `config` says (`metrics.<plane>`), on a
/// task of its own until `shutdown`; returns the bound address. A listener
/// that cannot be bound, or a token file that cannot be read, is logged as
/// an error and the process goes on: its work matters more than its
/// figures (and without its token, only loopback is answered).
pub async fn spawn_for(
    plane: Plane,
    config: &Config,
    metrics: Metrics,
    shutdown: CancellationToken,
) -> Option<SocketAddr> {
    let addr = config.metrics.listen(plane);
    let token = config.metrics.token().unwrap_or_else(|e| {
        tracing::error!(error = %e, "metrics token unreadable; metrics are served to loopback only");
        None
    });
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!(%addr, error = %e, "cannot listen for metrics (metrics.{plane}); going on without");
            return None;
        }
    };
    let bound = listener.local_addr().ok();
    if !addr.ip().is_loopback() && token.is_none() {
        tracing::warn!(%addr, "metrics listen beyond loopback without metrics.token_file: only loopback is answered");
    }
    let gate = ConnGate::new(config.limits.conn_limits());
    tokio::spawn(async move {
        if let Err(e) = serve(listener, metrics, token, gate, shutdown).await {
            tracing::error!(error = %format!("{e:#}"), "metrics listener failed");
        }
    });
    tracing::info!(addr = ?bound, "metrics listening");
    bound
}

/// Serves `metrics` on `listener` until `shutdown`: loopback callers
/// freely, others only with `token` (refused with 401 without one, and
/// 403 when no token is set).
pub async fn serve(
    listener: TcpListener,
    metrics: Metrics,
    token: Option<String>,
    gate: ConnGate,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let router = Router::new().route("/metrics", get(scrape)).with_state(Scrape { metrics, token });
    vms_http::serve(listener, router, None, gate, shutdown).await
}

async fn scrape(
    State(scrape): State<Scrape>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let sent = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    // An IPv4 loopback peer on a dual-stack listener arrives as ::ffff:127.0.0.1.
    match admit(peer.ip().to_canonical().is_loopback(), scrape.token.as_deref(), sent) {
        Ok(()) => {
            let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            if accept.contains("application/openmetrics-text") {
                ([(header::CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE)], scrape.metrics.encode_openmetrics())
                    .into_response()
            } else {
                ([(header::CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE)], scrape.metrics.encode()).into_response()
            }
        }
        Err(StatusCode::UNAUTHORIZED) => {
            (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "a metrics token is required\n")
                .into_response()
        }
        Err(status) => (status, "metrics are served to loopback only (set metrics.token_file to scrape from afar)\n")
            .into_response(),
    }
}

/// Whether a scrape is answered: from loopback always; from afar only with
/// `Authorization: Bearer <token>` (their SHA-256 digests compared in
/// constant time, so neither the token nor its length shows in the timing),
/// and never when no token is set.
fn admit(loopback: bool, token: Option<&str>, authorization: Option<&str>) -> Result<(), StatusCode> {
    if loopback {
        return Ok(());
    }
    let token = token.ok_or(StatusCode::FORBIDDEN)?;
    let sent = authorization.and_then(|v| v.strip_prefix("Bearer ")).ok_or(StatusCode::UNAUTHORIZED)?;
    let digest = |text: &str| Sha256::digest(text.as_bytes());
    if bool::from(digest(sent).ct_eq(&digest(token))) { Ok(()) } else { Err(StatusCode::UNAUTHORIZED) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_answered_and_afar_needs_the_token() {
        assert_eq!(admit(true, None, None), Ok(()));
        assert_eq!(admit(false, None, Some("Bearer anything")), Err(StatusCode::FORBIDDEN), "no token set");
        assert_eq!(admit(false, Some("s3cret"), None), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(admit(false, Some("s3cret"), Some("Bearer wrong")), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(admit(false, Some("s3cret"), Some("Basic czNjcmV0")), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(admit(false, Some("s3cret"), Some("Bearer s3cret")), Ok(()));
        assert_eq!(admit(false, Some("s3cret"), Some("Bearer s3cret2")), Err(StatusCode::UNAUTHORIZED));
    }

    #[test]
    fn a_mapped_ipv4_loopback_peer_is_loopback() {
        let mapped: std::net::IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert!(mapped.to_canonical().is_loopback());
        let afar: std::net::IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert!(!afar.to_canonical().is_loopback());
    }
}
