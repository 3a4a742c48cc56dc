//! Forwards live requests to the media plane's live egress (`live.listen`).

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{HeaderName, HeaderValue, Uri, header},
    response::Response,
};
use hyper_util::rt::TokioIo;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{plane_streams, scope};

use crate::extract::StreamPath;
use crate::{
    error::ApiError,
    state::{Catalog, Planes},
    upstream::{self, HOP_BY_HOP, client},
};

/// How long the media plane gets to start answering (LL-HLS blocking requests wait up to 6 s).
const ANSWER_WITHIN: Duration = Duration::from_secs(15);
/// Credentials of the control plane's own API stay here: the media plane takes tickets only.
const PRIVATE: &[HeaderName] = &[header::AUTHORIZATION, header::COOKIE];

/// Forwards a live request (WHEP, WebSocket or LL-HLS) to the media plane
/// pulling the stream. Not in the OpenAPI document: the media plane answers.
pub async fn forward(
    State(catalog): State<Catalog>,
    State(planes): State<Planes>,
    StreamPath { camera: camera_id, role }: StreamPath,
    Path((_, _, rest)): Path<(String, String, String)>,
    mut request: Request,
) -> Result<Response, ApiError> {
    let target = media_address(&catalog, &planes, camera_id, role.as_str()).await?;
    let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    let uri: Uri = format!("http://{target}/live/{camera_id}/{role}/{rest}{query}")
        .parse()
        .map_err(|e| ApiError::invalid("path", format!("cannot be forwarded: {e}")))?;

    let upgrade = request.headers().get(header::UPGRADE).cloned();
    let client_side = upgrade.as_ref().map(|_| hyper::upgrade::on(&mut request));
    let (parts, body) = request.into_parts();
    let mut forwarded = hyper::Request::builder().method(parts.method).uri(uri);
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) && !PRIVATE.contains(name) && name != header::HOST {
            forwarded = forwarded.header(name, value);
        }
    }
    if let Some(protocol) = &upgrade {
        forwarded = forwarded.header(header::CONNECTION, "upgrade").header(header::UPGRADE, protocol);
    }
    let forwarded = forwarded.body(body).map_err(ApiError::internal)?;
    let answer = tokio::time::timeout(ANSWER_WITHIN, client().request(forwarded))
        .await
        .map_err(|_| ApiError::new(ErrorCode::Timeout, "the media plane did not answer in time"))?;
    let mut response = answer.map_err(|e| {
        planes.live_routes.forget(camera_id, role.as_str());
        ApiError::unavailable("media plane live egress", format!("{e}"))
    })?;

    if response.status() == hyper::StatusCode::SWITCHING_PROTOCOLS
        && let Some(client_side) = client_side
    {
        let media_side = hyper::upgrade::on(&mut response);
        tokio::spawn(async move {
            match tokio::try_join!(client_side, media_side) {
                Ok((a, b)) => {
                    let _ = tokio::io::copy_bidirectional(&mut TokioIo::new(a), &mut TokioIo::new(b)).await;
                }
                Err(e) => tracing::debug!(error = %e, "live upgrade failed"),
            }
        });
        let (parts, _) = response.into_parts();
        let mut upgraded = Response::from_parts(parts, Body::empty());
        upgraded.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        return Ok(upgraded);
    }
    Ok(upstream::relay(response))
}

/// How long a found address is trusted.
const FOUND_TTL: Duration = Duration::from_secs(5);

/// Where each stream's live egress was last found, so an LL-HLS viewer's
/// five requests a second do not each ask the database and Redis.
#[derive(Default)]
pub struct LiveRoutes(Mutex<HashMap<(Uuid, String), (String, Instant)>>);

impl LiveRoutes {
    fn get(&self, camera_id: Uuid, role: &str) -> Option<String> {
        let routes = self.0.lock().expect("live route cache lock should not be poisoned");
        routes.get(&(camera_id, role.to_owned())).filter(|(_, at)| at.elapsed() < FOUND_TTL).map(|(a, _)| a.clone())
    }

    fn put(&self, camera_id: Uuid, role: &str, addr: &str) {
        let mut routes = self.0.lock().expect("live route cache lock should not be poisoned");
        routes.retain(|_, (_, at)| at.elapsed() < FOUND_TTL);
        routes.insert((camera_id, role.to_owned()), (addr.to_owned(), Instant::now()));
    }

    /// Forgets a route that failed, so the next request looks it up again.
    fn forget(&self, camera_id: Uuid, role: &str) {
        self.0.lock().expect("live route cache lock should not be poisoned").remove(&(camera_id, role.to_owned()));
    }
}

/// Finds the live egress of the media plane pulling the stream.
async fn media_address(catalog: &Catalog, planes: &Planes, camera_id: Uuid, role: &str) -> Result<String, ApiError> {
    if let Some(addr) = planes.live_routes.get(camera_id, role) {
        return Ok(addr);
    }
    let addr = look_up(catalog, planes, camera_id, role).await?;
    planes.live_routes.put(camera_id, role, &addr);
    Ok(addr)
}

async fn look_up(catalog: &Catalog, planes: &Planes, camera_id: Uuid, role: &str) -> Result<String, ApiError> {
    let unavailable = |m: String| ApiError::new(ErrorCode::Unavailable, m);
    let mut tx = scope::begin(&catalog.db, scope::Scope::AllTenants).await?;
    let stream_id = plane_streams::stream_id(&mut *tx, camera_id, role).await?;
    drop(tx);
    let stream_id = stream_id
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("camera {camera_id} has no `{role}` stream")))?;
    match crate::locator::media_plane_of(planes, stream_id).await? {
        Err(crate::locator::Unlocated::NotPulled) => {
            Err(unavailable(format!("the `{role}` stream is not being pulled")))
        }
        Err(crate::locator::Unlocated::Silent { node }) => {
            Err(unavailable(format!("the media plane of node `{node}` offers no live egress")))
        }
        Ok(found) => found.plane.report.endpoints.get("live").cloned().ok_or_else(|| {
            unavailable(format!("the media plane of node `{}` offers no live egress", found.stream.node_id))
        }),
    }
}
