//! Control's own figures for Prometheus (docs/guide/monitoring.md): the
//! API's requests by route, method and answer, and how long each took to
//! answer. Routes are the route table's patterns (`/api/cameras/{id}`), so
//! the labels stay bounded whatever paths clients send.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};
use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, histogram::Histogram},
};
use vms_metrics::Metrics;

/// A request's labels: its route pattern, method and status code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// A route and method, for the latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
}

/// Seconds to the answer's head: 1 ms to 30 s.
const LATENCY_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The API's request figures, registered in the process's registry.
#[derive(Clone)]
pub struct ApiMetrics {
    registry: Metrics,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
}

impl ApiMetrics {
    /// Registers the API's figures in `registry`.
    pub fn new(registry: Metrics) -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(LATENCY_BUCKETS)) as fn() -> Histogram,
        );
        registry.register("vms_api_requests", "API requests answered, by route, method and status", requests.clone());
        registry.register(
            "vms_api_request_duration_seconds",
            "Seconds until the API's answer began, by route and method",
            latency.clone(),
        );
        Self { registry, requests, latency }
    }

    /// The registry these figures are in (the whole process's).
    pub fn registry(&self) -> &Metrics {
        &self.registry
    }
}

/// The standard methods by name; anything else is `other`, so a client
/// cannot grow the label set.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times each request to a route of the API.
pub async fn observe(State(metrics): State<ApiMetrics>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str()).to_owned();
    let method = method_label(request.method()).to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    metrics.latency.get_or_create(&RouteLabels { route: route.clone(), method: method.clone() }).observe(elapsed);
    metrics.requests.get_or_create(&RequestLabels { route, method, status: response.status().as_u16() }).inc();
    response
}
