//! Authentication: Ed25519-signed access tokens, rotating refresh tokens and
//! the [`AuthUser`] every protected handler receives.

pub mod api_key;
pub mod handler;
pub mod hashing;
pub mod model;
pub mod pseudonym;
pub mod sweep;
pub mod tokens;

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, request::Parts},
};
use uuid::Uuid;
use vms_catalog::access::{Access, Permission};

use crate::{
    AppState,
    error::ApiError,
    state::{AuthState, Catalog},
};

/// Header with which a super-admin acts inside another tenant.
pub const TENANT_HEADER: &str = "x-vms-tenant";

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub user_id: Uuid,
    /// The tenant this request acts in: the user's own, or the one a
    /// super-admin named explicitly.
    pub tenant_id: Uuid,
    /// The user's own tenant.
    pub home_tenant_id: Uuid,
    /// Login name.
    pub username: String,
    /// May act in every tenant.
    pub super_admin: bool,
    /// What the caller may do where.
    pub access: Access,
    /// The login (refresh-token family) this token belongs to.
    pub session: Option<Uuid>,
    /// The API key used instead of a login: its id and name.
    pub api_key: Option<(Uuid, String)>,
}

impl AuthUser {
    /// Fails with 403 unless the caller holds `permission` tenant-wide.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.access.tenant_wide(permission) { Ok(()) } else { Err(ApiError::forbidden(permission)) }
    }

    /// Fails with 403 unless the caller holds `permission` on `site`.
    pub fn require_on_site(&self, permission: Permission, site: Uuid) -> Result<(), ApiError> {
        if self.access.on_site(permission, site) { Ok(()) } else { Err(ApiError::forbidden(permission)) }
    }

    /// Fails with 403 unless the caller holds `permission` on `camera` of `site`.
    pub fn require_on_camera(&self, permission: Permission, site: Uuid, camera: Uuid) -> Result<(), ApiError> {
        if self.access.on_camera(permission, site, camera) { Ok(()) } else { Err(ApiError::forbidden(permission)) }
    }

    /// Fails with 403 unless the caller is a super-admin.
    pub fn require_super_admin(&self) -> Result<(), ApiError> {
        if self.super_admin { Ok(()) } else { Err(ApiError::forbidden("super-admin")) }
    }

    /// The cameras, current and deleted, on which the caller holds
    /// `permission`: `None` when held tenant-wide (every camera, and what
    /// belongs to no camera), so a list filters by it only when it must.
    pub async fn cameras_with(
        &self,
        tx: &mut sqlx::PgConnection,
        permission: Permission,
    ) -> Result<Option<Vec<Uuid>>, ApiError> {
        if self.access.tenant_wide(permission) {
            return Ok(None);
        }
        let cameras = vms_catalog::event::camera_sites(&mut *tx, self.tenant_id).await?;
        let held = cameras.into_iter().filter(|(c, s)| self.access.on_camera(permission, *s, *c));
        Ok(Some(held.map(|(c, _)| c).collect()))
    }

    /// The catalog scope of this request.
    pub fn scope(&self) -> vms_catalog::Scope {
        vms_catalog::Scope::Tenant(self.tenant_id)
    }
}

/// Header carrying an API key, as an alternative to `Authorization: Bearer`.
pub const API_KEY_HEADER: &str = "x-api-key";

/// Authenticates a request by its bearer token or API key (`ip` is recorded as the key's last use).
pub async fn authenticate(
    catalog: &Catalog,
    auth: &AuthState,
    headers: &HeaderMap,
    ip: &str,
) -> Result<AuthUser, ApiError> {
    let token = match headers.get(API_KEY_HEADER) {
        Some(key) => key.to_str().map_err(|_| ApiError::unauthenticated("invalid API key"))?.trim(),
        None => {
            let header = headers
                .get(axum::http::header::AUTHORIZATION)
                .ok_or_else(|| ApiError::unauthenticated("missing bearer token"))?;
            header
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .ok_or_else(|| ApiError::unauthenticated("expected `Authorization: Bearer <token>`"))?
                .trim()
        }
    };
    if token.starts_with(tokens::API_KEY_PREFIX) {
        return api_key::authenticate(catalog, token, ip).await;
    }
    let claims = auth.tokens.verify(token)?;
    if let Some(session) = claims.sid {
        match auth.hot.is_session_revoked(session).await {
            Ok(true) => return Err(ApiError::unauthenticated("session revoked")),
            Ok(false) => {}
            // PostgreSQL still refuses the session's refresh; the token lapses within its lifetime.
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "session revocation check unavailable"),
        }
    }
    let mut user = AuthUser {
        user_id: claims.sub,
        tenant_id: claims.tid,
        home_tenant_id: claims.tid,
        username: claims.name,
        super_admin: claims.sa,
        access: claims.acc,
        session: claims.sid,
        api_key: None,
    };
    if let Some(target) = headers.get(TENANT_HEADER) {
        let target: Uuid = target
            .to_str()
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| ApiError::invalid(TENANT_HEADER, "must be a tenant id"))?;
        user.require_super_admin()?;
        if target != user.home_tenant_id {
            // A super-admin acting in another tenant holds every permission there.
            user.tenant_id = target;
            user.access = Access { tenant: Permission::all().map(|p| p.to_string()).collect(), ..Access::default() };
        }
    }
    Ok(user)
}

/// Makes revoked logins' access tokens and stream tickets stop working at
/// once, not only at expiry: the marker outlives both.
pub async fn revoke_sessions(auth: &AuthState, sessions: &[Uuid]) {
    let ttl = auth.tokens.access_ttl().max(TICKET_MARKER_TTL);
    for session in sessions {
        if let Err(e) = auth.hot.revoke_session(*session, ttl).await {
            tracing::warn!(error = %format!("{e:#}"), "failed to publish a session revocation");
        }
    }
}

/// How long revocation markers are kept: as long as any stream ticket lives.
const TICKET_MARKER_TTL: std::time::Duration = std::time::Duration::from_secs(vms_ticket::MAX_TTL_SECS as u64);

/// Makes every stream ticket issued to `users` until now stop working, those
/// issued through API keys included (which belong to no login), and tells
/// the media plane to end whatever they are watching (restream sessions and
/// live viewers, which would otherwise play on); called when a user is
/// disabled or deleted, or their grants or roles change.
pub async fn revoke_user_tickets(auth: &AuthState, users: &[Uuid]) {
    let now = chrono::Utc::now();
    for user in users {
        if let Err(e) = auth.hot.revoke_user_tickets(*user, now.timestamp(), TICKET_MARKER_TTL).await {
            tracing::warn!(error = %format!("{e:#}"), user_id = %user, "failed to publish a ticket revocation");
        }
        if let Err(e) = vms_bus::revocation::publish(&auth.nats, auth.subjects.revocations(), *user, now).await {
            tracing::warn!(error = %format!("{e:#}"), user_id = %user, "failed to publish a user revocation");
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthUser>() {
            Some(user) => Ok(user.clone()),
            // Routes declared public do not pass through authentication.
            None => {
                let ip = crate::extract::ClientIp::of(&parts.extensions).label();
                authenticate(&state.catalog, &state.auth, &parts.headers, &ip).await
            }
        }
    }
}
