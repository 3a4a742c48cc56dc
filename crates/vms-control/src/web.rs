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

/// Fallback for every path no route matched: API paths (`/api/…` and the
/// probes under `/health/…`) get a JSON 404; any other path is the web
/// app's (its health screen is `/health`).
pub async fn fallback(State(web): State<WebApp>, request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") || path == "/api" || path.starts_with("/health/") {
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

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::StatusCode};

    use super::*;

    async fn get(web: &WebApp, path: &str) -> (StatusCode, String) {
        let request = Request::builder().uri(path).body(Body::empty()).unwrap();
        let response = fallback(State(web.clone()), request).await;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn the_app_has_every_screen_and_the_api_its_own_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html><title>app</title>").unwrap();
        let web = WebApp(Some(dir.path().into()));
        // A reload of a screen's address is the app, the health screen's too.
        for screen in ["/health", "/events", "/playback?camera=x", "/"] {
            let (status, body) = get(&web, screen).await;
            assert_eq!((status, body.contains("<title>app</title>")), (StatusCode::OK, true), "{screen}: {body}");
        }
        for api in ["/api/nothing", "/api", "/health/nothing"] {
            let (status, body) = get(&web, api).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{api}: {body}");
            assert!(body.contains("no such endpoint"), "{api}: {body}");
        }
    }
}
