//! Request and response bodies of the auth endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Credentials for `POST /api/auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// User name (case-insensitive).
    pub username: String,
    /// Password.
    pub password: String,
}

/// A refresh token, for `POST /api/auth/refresh` and `POST /api/auth/logout`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// Tokens issued by login and refresh.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque single-use token that obtains the next pair.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
}

/// The caller, from `GET /api/auth/me`.
#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    /// User id.
    pub id: Uuid,
    /// User name.
    pub username: String,
    /// Tenant id.
    pub tenant_id: Uuid,
    /// Role names.
    pub roles: Vec<String>,
    /// Permissions.
    pub permissions: Vec<String>,
}
