//! Serves the built web app, and JSON 404s for unknown API paths.

use std::{path::Path, sync::Arc};

use axum::{
    extract::{Request, State},
    response::{Html, IntoResponse, Response},
};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use vms_base::ErrorCode;

use crate::error::ApiError;

/// The directory of the built web app, if there is one: what the fallback
/// route serves.
#[derive(Clone, Default)]
pub struct WebApp(Option<Arc<Path>>);

impl WebApp {
    /// Finds the built web app: `control.web_dir`, else `web/dist`, if it
    /// holds an `index.html`.
    pub fn find(config: &vms_config::Config) -> Self {
        let dir = config.control.web_dir.clone().unwrap_or_else(|| "web/dist".into());
        Self(dir.join("index.html").is_file().then(|| dir.into()))
    }
}

/// Fallback for every path no route matched.
pub async fn fallback(State(web): State<WebApp>, request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") || path == "/api" || path.starts_with("/health") {
        return ApiError::new(ErrorCode::NotFound, format!("no such endpoint: {} {path}", request.method()))
            .into_response();
    }
    match &web.0 {
        Some(dir) => {
            // Client-side routes fall back to index.html.
            let serve = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
            match serve.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(e) => ApiError::internal(e).into_response(),
            }
        }
        None => Html(LANDING).into_response(),
    }
}

const LANDING: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Techno Support VMS</title>
<style>body{background:#111418;color:#e6e8eb;font:16px system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh}
main{max-width:36rem;padding:2rem}a{color:#6cb4ff}code{background:#1d2228;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><main><h1>Techno Support VMS</h1>
<p>The control plane is running. The web app has not been built on this machine
(<code>web/dist</code> is missing).</p>
<p>The API is available: see the <a href="/api/docs">interactive API documentation</a>
or the <a href="/api/openapi.json">OpenAPI document</a>, and check
<a href="/health/ready">readiness</a>.</p></main></body></html>"#;
