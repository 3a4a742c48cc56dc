//! Calls to the recorders' archives (`archive.listen`), which serve the
//! footage they hold: control has authenticated the user and checked their
//! grants, then asks the recorder of the node that holds the files (the
//! index names it per segment; the planes' status reports give its
//! address), sending the internal secret. Control reads no media file.

use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderValue, Method, header},
    response::Response,
};
use vms_base::{ErrorCode, Plane};

use crate::{error::ApiError, state::Archive, upstream};

/// How long a recorder gets to start answering (a long I-frame playlist
/// reads many `moof`s).
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// `t` as a query parameter of an archive call: RFC 3339 to the
/// millisecond, percent-encoded.
pub fn query_time(t: chrono::DateTime<chrono::Utc>) -> String {
    encode(&t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// Percent-encodes a query parameter of an archive call.
pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Finds the archive address of the recorder on `node`; for footage whose
/// node is unknown (`None`, indexed before nodes were recorded), the
/// recorder on control's own node, or else any that reports one.
pub fn recorder_of(archive: &Archive, node: Option<&str>) -> Result<String, ApiError> {
    let planes = archive.registry.snapshot();
    let mut recorders: Vec<_> = planes
        .iter()
        .filter(|p| p.report.plane == Plane::Recorder && node.is_none_or(|n| p.report.node_id == n))
        .filter_map(|p| Some((p.report.node_id.as_str(), p.report.endpoints.get("archive")?, p.age)))
        .collect();
    recorders.sort_by_key(|(n, _, age)| (*n != archive.config.node_id, *age));
    recorders.first().map(|(_, addr, _)| (*addr).clone()).ok_or_else(|| {
        let whose = node.map_or("any node".to_owned(), |n| format!("node `{n}`"));
        ApiError::new(ErrorCode::Unavailable, format!("no recorder archive of {whose} is reporting; try again shortly"))
    })
}

/// One call to a recorder's archive.
pub struct Call<'a> {
    /// The node whose recorder holds the footage (`None`: unknown).
    pub node: Option<&'a str>,
    /// The method.
    pub method: Method,
    /// Path and query, from `/archive/`.
    pub path: String,
    /// The player's `Range`, passed on.
    pub range: Option<HeaderValue>,
    /// A JSON body.
    pub json: Option<serde_json::Value>,
}

impl Call<'_> {
    /// A `GET` of `path` on `node`'s recorder.
    pub fn get(node: Option<&str>, path: String) -> Call<'_> {
        Call { node, method: Method::GET, path, range: None, json: None }
    }

    /// Sends the call and relays the recorder's answer, error or not (its
    /// errors have the API's `{code, message}` body).
    pub async fn send(self, archive: &Archive) -> Result<Response, ApiError> {
        let addr = recorder_of(archive, self.node)?;
        let mut request = hyper::Request::builder()
            .method(self.method)
            .uri(format!("http://{addr}{}", self.path))
            .header(header::AUTHORIZATION, archive.internal_secret.authorization());
        if let Some(range) = self.range {
            request = request.header(header::RANGE, range);
        }
        let body = match self.json {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(serde_json::to_vec(&json).map_err(ApiError::internal)?)
            }
            None => Body::empty(),
        };
        let request = request.body(body).map_err(ApiError::internal)?;
        let answer = tokio::time::timeout(ANSWER_WITHIN, upstream::client().request(request))
            .await
            .map_err(|_| ApiError::new(ErrorCode::Timeout, "the recorder did not answer in time"))?
            .map_err(|e| ApiError::unavailable("recorder archive", format!("{e}")))?;
        if answer.status() == hyper::StatusCode::UNAUTHORIZED {
            // Not the user's doing: the recorder does not take this installation's secret.
            tracing::error!(recorder = %addr, "a recorder refused control's internal secret; its secrets directory differs");
            return Err(ApiError::new(
                ErrorCode::Unavailable,
                "the recorder holding this footage does not accept this control plane; its administrator must fix the installation's shared secret",
            ));
        }
        Ok(upstream::relay(answer))
    }
}

/// Reads a small JSON answer of a recorder (a status or an export's
/// progress); a refusal comes back as the error it is.
pub async fn json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .map_err(|e| ApiError::unavailable("recorder archive", format!("{e}")))?;
    if !status.is_success() {
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let code = body["code"].as_str().and_then(|c| c.parse().ok()).unwrap_or(ErrorCode::Internal);
        let message = body["message"].as_str().unwrap_or("the recorder refused the call").to_owned();
        return Err(ApiError::new(code, message));
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError::internal(format!("a recorder's answer is unreadable: {e}")))
}
