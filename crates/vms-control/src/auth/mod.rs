//! Authentication: Ed25519-signed access tokens, rotating refresh tokens and
//! the [`AuthUser`] extractor every protected endpoint takes.

pub mod handler;
pub mod model;
pub mod tokens;

use axum::{extract::FromRequestParts, http::request::Parts};
use uuid::Uuid;

use crate::{AppState, error::ApiError};

/// The authenticated caller, from a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub user_id: Uuid,
    /// The user's tenant; every catalog call is scoped by it.
    pub tenant_id: Uuid,
    /// Login name.
    pub username: String,
    /// Granted roles.
    pub roles: Vec<String>,
    /// Granted permissions.
    pub permissions: Vec<String>,
}

impl AuthUser {
    /// Fails with 403 unless the caller holds `permission`.
    pub fn require(&self, permission: &str) -> Result<(), ApiError> {
        if self.permissions.iter().any(|p| p == permission) { Ok(()) } else { Err(ApiError::forbidden(permission)) }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthenticated("missing bearer token"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or_else(|| ApiError::unauthenticated("expected `Authorization: Bearer <token>`"))?;
        let claims = state.tokens.verify(token.trim())?;
        Ok(AuthUser {
            user_id: claims.sub,
            tenant_id: claims.tid,
            username: claims.name,
            roles: claims.roles,
            permissions: claims.perms,
        })
    }
}
