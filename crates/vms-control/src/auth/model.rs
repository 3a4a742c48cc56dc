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

/// A refresh token, for `POST /api/auth/refresh`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// Body of `POST /api/auth/logout` (optional: without it, the session of the
/// access token ends).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    /// The refresh token of the session to end, if the caller has it; it must
    /// belong to the caller.
    pub refresh_token: Option<String>,
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
    /// The tenant this request acts in.
    pub tenant_id: Uuid,
    /// The tenant's name.
    pub tenant_name: String,
    /// May act in every tenant.
    pub super_admin: bool,
    /// Every permission held somewhere.
    pub permissions: Vec<String>,
    /// Permissions by scope: `t` tenant-wide, `s` per site id, `c` per camera id.
    #[schema(value_type = Object)]
    pub access: serde_json::Value,
}

/// Body of `POST /api/auth/password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The password in use.
    pub current_password: String,
    /// The new password (at least 12 characters, two character classes).
    pub new_password: String,
}

/// Body of `POST /api/auth/reset-password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    /// The one-time token an administrator issued.
    pub token: String,
    /// The new password.
    pub new_password: String,
}
