//! The one place every endpoint declares what it requires.
//!
//! The [`authorize`] middleware authenticates each request whose route needs
//! it and refuses (403, no data) a caller who holds the route's permission at
//! no scope at all. Handlers then check the permission against the resource
//! they touch (site or camera scope). A test fails if the OpenAPI document has
//! an operation this table does not list.

use axum::{
    extract::{MatchedPath, Request, State},
    http::Method,
    middleware::Next,
    response::{IntoResponse, Response},
};

use vms_catalog::audit::Outcome;

use vms_catalog::access::Permission;

use crate::{AppState, auth, error::ApiError};

/// What a route requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Anyone (login, health, docs).
    Public,
    /// Any authenticated caller (e.g. `GET /api/auth/me`).
    Authenticated,
    /// This permission, somewhere; handlers narrow it to the resource.
    Needs(Permission),
    /// Any of these permissions, somewhere (the handler picks by the request).
    NeedsAny(&'static [Permission]),
    /// A super-admin (tenant management).
    SuperAdmin,
}

use Requirement::*;

/// Permissions that let a caller open a stream for some purpose.
pub const STREAM_PERMISSIONS: &[Permission] =
    &[Permission::CameraViewLive, Permission::CameraViewArchive, Permission::CameraExport];

/// Every API route: method, path as routed, requirement.
pub const ROUTES: &[(Method, &str, Requirement)] = &[
    (Method::POST, "/api/auth/login", Public),
    (Method::POST, "/api/auth/refresh", Public),
    (Method::POST, "/api/auth/reset-password", Public),
    // Checks its own credentials: an access token, or the refresh token alone.
    (Method::POST, "/api/auth/logout", Public),
    (Method::GET, "/api/auth/me", Authenticated),
    (Method::POST, "/api/auth/password", Authenticated),
    (Method::GET, "/api/sites", Needs(Permission::CameraViewLive)),
    (Method::POST, "/api/sites", Needs(Permission::SiteManage)),
    (Method::GET, "/api/sites/{id}", Needs(Permission::CameraViewLive)),
    (Method::PATCH, "/api/sites/{id}", Needs(Permission::SiteManage)),
    (Method::DELETE, "/api/sites/{id}", Needs(Permission::SiteManage)),
    (Method::GET, "/api/cameras", Needs(Permission::CameraViewLive)),
    (Method::POST, "/api/cameras", Needs(Permission::CameraManage)),
    (Method::GET, "/api/cameras/{id}", Needs(Permission::CameraViewLive)),
    (Method::PATCH, "/api/cameras/{id}", Needs(Permission::CameraManage)),
    (Method::DELETE, "/api/cameras/{id}", Needs(Permission::CameraManage)),
    (Method::POST, "/api/cameras/{id}/streams/{role}/ticket", NeedsAny(STREAM_PERMISSIONS)),
    (Method::GET, "/api/cameras/{id}/snapshot", Needs(Permission::CameraViewLive)),
    (Method::GET, "/api/cameras/{id}/recording", Needs(Permission::CameraViewArchive)),
    (Method::PUT, "/api/cameras/{id}/recording", Needs(Permission::CameraManage)),
    (Method::GET, "/api/cameras/{id}/analytics", Needs(Permission::CameraViewLive)),
    (Method::PUT, "/api/cameras/{id}/analytics", Needs(Permission::CameraManage)),
    (Method::GET, "/api/cameras/{id}/streams/{role}/recordings", Needs(Permission::CameraViewArchive)),
    (Method::GET, "/api/recordings/ranges", Needs(Permission::CameraViewArchive)),
    (Method::GET, "/api/cameras/deleted", Needs(Permission::CameraViewArchive)),
    (Method::POST, "/api/cameras/onboard", Needs(Permission::CameraManage)),
    (Method::GET, "/api/nvrs", Needs(Permission::CameraManage)),
    (Method::POST, "/api/nvrs", Needs(Permission::CameraManage)),
    (Method::GET, "/api/nvrs/{id}", Needs(Permission::CameraManage)),
    (Method::DELETE, "/api/nvrs/{id}", Needs(Permission::CameraManage)),
    (Method::POST, "/api/nvrs/{id}/sync", Needs(Permission::CameraManage)),
    (Method::POST, "/api/discovery/scan", Needs(Permission::CameraManage)),
    (Method::GET, "/api/discovery/scan/{id}", Needs(Permission::CameraManage)),
    (Method::DELETE, "/api/discovery/scan/{id}", Needs(Permission::CameraManage)),
    (Method::POST, "/api/cameras/{id}/ptz/move", Needs(Permission::CameraPtz)),
    (Method::POST, "/api/cameras/{id}/ptz/stop", Needs(Permission::CameraPtz)),
    (Method::POST, "/api/cameras/{id}/ptz/absolute", Needs(Permission::CameraPtz)),
    (Method::POST, "/api/cameras/{id}/ptz/relative", Needs(Permission::CameraPtz)),
    (Method::GET, "/api/cameras/{id}/ptz/status", Needs(Permission::CameraPtz)),
    (Method::GET, "/api/cameras/{id}/ptz/presets", Needs(Permission::CameraPtz)),
    // Presets change the device: PTZ and camera management on the camera (the handler checks both).
    (Method::POST, "/api/cameras/{id}/ptz/presets", Needs(Permission::CameraManage)),
    (Method::DELETE, "/api/cameras/{id}/ptz/presets/{token}", Needs(Permission::CameraManage)),
    (Method::POST, "/api/cameras/{id}/ptz/presets/{token}/goto", Needs(Permission::CameraPtz)),
    (Method::POST, "/api/cameras/{id}/ptz/home", Needs(Permission::CameraPtz)),
    (Method::GET, "/api/cameras/{id}/streams/{role}/thumbnail.jpg", Needs(Permission::CameraViewArchive)),
    // Players cannot send a bearer token: these check an archive ticket themselves.
    (Method::GET, "/api/cameras/{id}/streams/{role}/playback.m3u8", Public),
    (Method::GET, "/api/cameras/{id}/streams/{role}/iframes.m3u8", Public),
    (Method::GET, "/api/recordings/{id}/{ticket}/video.mp4", Public),
    (Method::GET, "/api/layouts", Authenticated),
    (Method::PUT, "/api/layouts/{name}", Authenticated),
    (Method::DELETE, "/api/layouts/{name}", Authenticated),
    // Live video: the media plane checks the live ticket of each viewer.
    (Method::GET, "/api/live/{camera}/{role}/{*rest}", Public),
    (Method::POST, "/api/live/{camera}/{role}/{*rest}", Public),
    (Method::PATCH, "/api/live/{camera}/{role}/{*rest}", Public),
    (Method::DELETE, "/api/live/{camera}/{role}/{*rest}", Public),
    (Method::GET, "/api/events", Needs(Permission::EventRead)),
    (Method::POST, "/api/events", Needs(Permission::EventCreate)),
    (Method::GET, "/api/events/histogram", Needs(Permission::EventRead)),
    (Method::GET, "/api/events/{id}", Needs(Permission::EventRead)),
    (Method::GET, "/api/events/{id}/snapshot", Needs(Permission::EventRead)),
    (Method::GET, "/api/bookmarks", Needs(Permission::CameraViewArchive)),
    (Method::POST, "/api/bookmarks", Needs(Permission::CameraViewArchive)),
    (Method::GET, "/api/bookmarks/{id}", Needs(Permission::CameraViewArchive)),
    (Method::PUT, "/api/bookmarks/{id}", Needs(Permission::CameraViewArchive)),
    (Method::DELETE, "/api/bookmarks/{id}", Needs(Permission::CameraViewArchive)),
    (Method::POST, "/api/bookmarks/{id}/lock", Needs(Permission::EvidenceLock)),
    (Method::POST, "/api/bookmarks/{id}/unlock", Needs(Permission::EvidenceLock)),
    (Method::POST, "/api/events/ws-ticket", Needs(Permission::EventRead)),
    // Browsers cannot send a bearer token on a WebSocket: the feed checks a header or a ticket itself.
    (Method::GET, "/api/events/ws", Public),
    (Method::POST, "/api/events/{id}/ack", Needs(Permission::EventRead)),
    (Method::GET, "/api/rules", Needs(Permission::RuleManage)),
    (Method::POST, "/api/rules", Needs(Permission::RuleManage)),
    (Method::GET, "/api/rules/{id}", Needs(Permission::RuleManage)),
    (Method::PUT, "/api/rules/{id}", Needs(Permission::RuleManage)),
    (Method::DELETE, "/api/rules/{id}", Needs(Permission::RuleManage)),
    (Method::GET, "/api/webhooks", Needs(Permission::RuleManage)),
    (Method::POST, "/api/webhooks", Needs(Permission::RuleManage)),
    (Method::GET, "/api/webhooks/{id}", Needs(Permission::RuleManage)),
    (Method::PATCH, "/api/webhooks/{id}", Needs(Permission::RuleManage)),
    (Method::DELETE, "/api/webhooks/{id}", Needs(Permission::RuleManage)),
    (Method::GET, "/api/webhooks/{id}/deliveries", Needs(Permission::RuleManage)),
    (Method::POST, "/api/webhooks/{id}/deliveries/{delivery}/redeliver", Needs(Permission::RuleManage)),
    (Method::GET, "/api/exports", Needs(Permission::CameraExport)),
    (Method::POST, "/api/exports", Needs(Permission::CameraExport)),
    (Method::GET, "/api/exports/public-key", Needs(Permission::CameraExport)),
    (Method::GET, "/api/exports/{id}", Needs(Permission::CameraExport)),
    (Method::DELETE, "/api/exports/{id}", Needs(Permission::CameraExport)),
    (Method::GET, "/api/exports/{id}/file", Needs(Permission::CameraExport)),
    (Method::GET, "/api/exports/{id}/manifest", Needs(Permission::CameraExport)),
    (Method::GET, "/api/users", Needs(Permission::UserManage)),
    (Method::POST, "/api/users", Needs(Permission::UserManage)),
    (Method::GET, "/api/users/{id}", Needs(Permission::UserManage)),
    (Method::PATCH, "/api/users/{id}", Needs(Permission::UserManage)),
    (Method::DELETE, "/api/users/{id}", Needs(Permission::UserManage)),
    (Method::POST, "/api/users/{id}/password-reset", Needs(Permission::UserManage)),
    (Method::GET, "/api/roles", Needs(Permission::UserManage)),
    (Method::POST, "/api/roles", Needs(Permission::UserManage)),
    (Method::PATCH, "/api/roles/{id}", Needs(Permission::UserManage)),
    (Method::DELETE, "/api/roles/{id}", Needs(Permission::UserManage)),
    (Method::GET, "/api/tenants", SuperAdmin),
    (Method::POST, "/api/tenants", SuperAdmin),
    (Method::PATCH, "/api/tenants/{id}", SuperAdmin),
    (Method::DELETE, "/api/tenants/{id}", SuperAdmin),
    (Method::GET, "/api/audit", Needs(Permission::AuditRead)),
    (Method::GET, "/api/api-keys", Needs(Permission::ApiKeyManage)),
    (Method::POST, "/api/api-keys", Needs(Permission::ApiKeyManage)),
    (Method::DELETE, "/api/api-keys/{id}", Needs(Permission::ApiKeyManage)),
    (Method::GET, "/api/system", Needs(Permission::SystemManage)),
    (Method::GET, "/api/alerts", Needs(Permission::SystemManage)),
    (Method::GET, "/api/alert-rules", SuperAdmin),
    (Method::PUT, "/api/alert-rules/{kind}", SuperAdmin),
    // The licence belongs to the installation, not to a tenant.
    (Method::GET, "/api/license", SuperAdmin),
    (Method::PUT, "/api/license", SuperAdmin),
    (Method::GET, "/health/live", Public),
    (Method::GET, "/health/ready", Public),
];

/// Returns the requirement of a routed path, if it is an API route.
pub fn requirement(method: &Method, path: &str) -> Option<Requirement> {
    ROUTES.iter().find(|(m, p, _)| m == method && *p == path).map(|(_, _, r)| *r)
}

/// Returns the requirement of a path of the OpenAPI document: its route's,
/// or that of the route serving it (the live operations are described one
/// by one but routed by one wildcard, `/api/live/{camera}/{role}/{*rest}`).
pub fn documented(method: &Method, path: &str) -> Option<Requirement> {
    let under_wildcard = |pattern: &str| {
        let mut one = matchit::Router::new();
        pattern.contains("{*") && one.insert(pattern, ()).is_ok() && one.at(path).is_ok()
    };
    requirement(method, path)
        .or_else(|| ROUTES.iter().find(|(m, p, _)| m == method && under_wildcard(p)).map(|(_, _, r)| *r))
}

/// Every route of [`ROUTES`], matched against request paths.
static MATCHER: std::sync::LazyLock<matchit::Router<Vec<Method>>> = std::sync::LazyLock::new(|| {
    let mut paths: std::collections::BTreeMap<&str, Vec<Method>> = std::collections::BTreeMap::new();
    for (method, path, _) in ROUTES {
        paths.entry(path).or_default().push(method.clone());
    }
    let mut router = matchit::Router::new();
    for (path, methods) in paths {
        router.insert(path, methods).expect("ROUTES should hold valid, distinct route paths");
    }
    router
});

/// Answers whether a route takes `method` on the request path `path`, so
/// something may read the request's body.
pub fn is_routed(method: &Method, path: &str) -> bool {
    MATCHER.at(path).is_ok_and(|found| found.value.contains(method))
}

/// Returns the methods declared for a routed path (`GET, POST`), if any.
pub fn allowed_methods(path: &str) -> Option<String> {
    let methods: Vec<&str> = ROUTES.iter().filter(|(_, p, _)| *p == path).map(|(m, _, _)| m.as_str()).collect();
    (!methods.is_empty()).then(|| methods.join(", "))
}

/// 405 with `Allow`, for a method the route does not declare (HEAD and OPTIONS included).
fn method_not_allowed(method: &Method, allow: &str) -> Response {
    let mut response =
        ApiError::new(vms_base::ErrorCode::MethodNotAllowed, format!("{method} is not allowed here; use {allow}"))
            .into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(allow) {
        response.headers_mut().insert(axum::http::header::ALLOW, value);
    }
    response
}

/// Authenticates and gates each request by its route's requirement.
pub async fn authorize(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(path) = matched else { return next.run(request).await };
    let requirement = match requirement(request.method(), path.as_str()) {
        Some(r) => r,
        // Documentation and web routes are public; an API route missing from the
        // table is a bug, refused rather than left open.
        None if path.as_str().starts_with("/api/") && !path.as_str().starts_with("/api/docs") => {
            return match allowed_methods(path.as_str()) {
                Some(allow) => method_not_allowed(request.method(), &allow),
                None => ApiError::internal(format!(
                    "route {} {} has no declared requirement",
                    request.method(),
                    path.as_str()
                ))
                .into_response(),
            };
        }
        None => Public,
    };
    if requirement == Public {
        return next.run(request).await;
    }
    let ip = crate::extract::ClientIp::of(request.extensions()).label();
    let user = match auth::authenticate(&state.catalog, &state.auth, request.headers(), &ip).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    let allowed = match requirement {
        Public | Authenticated => true,
        Needs(p) => user.access.anywhere(p),
        NeedsAny(ps) => ps.iter().any(|p| user.access.anywhere(*p)),
        SuperAdmin => user.super_admin,
    };
    if !allowed {
        let missing = match requirement {
            Needs(p) => p.to_string(),
            NeedsAny(ps) => ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" or "),
            _ => "super-admin".to_owned(),
        };
        let entry = crate::audit::by(
            &user,
            &crate::extract::ClientIp::of(request.extensions()),
            "access.denied",
            Outcome::Denied,
        )
        .detail("method", request.method().as_str())
        .detail("path", path.as_str())
        .detail("permission", &missing);
        state.catalog.audit.record(entry).await;
        return ApiError::forbidden(missing).into_response();
    }
    let principal = match &user.api_key {
        Some((key, _)) => format!("key:{key}"),
        None => format!("user:{}", user.user_id),
    };
    if let Err(e) = crate::ratelimit::check_api(&state.auth, &principal).await {
        return e.into_response();
    }
    // A key is the caller's in the tenant it acts in (a super-admin may act in several).
    let caller = format!("{principal}@{}", user.tenant_id);
    request.extensions_mut().insert(user);
    let secret = state.planes.internal_secret.key();
    crate::idempotency::run(&state.auth.hot, &secret, &caller, path.as_str(), request, next).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_match_their_routes_and_methods() {
        let id = "8f8e3c57-4c2b-4a59-9d2e-0b8cc1f0a1d2";
        assert!(is_routed(&Method::POST, "/api/auth/login"));
        assert!(is_routed(&Method::PATCH, &format!("/api/cameras/{id}")));
        assert!(is_routed(&Method::POST, &format!("/api/live/{id}/main/whep")));
        assert!(!is_routed(&Method::PUT, &format!("/api/cameras/{id}")), "a method the route does not take");
        assert!(!is_routed(&Method::POST, "/api/nothing-here"));
        assert!(!is_routed(&Method::POST, "/index.html"));
    }
}
