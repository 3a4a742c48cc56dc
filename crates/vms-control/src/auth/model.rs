//! Request and response bodies of the auth endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Credentials for `POST /api/auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "j.meyer", "password": "Harbour-depot-2026"}))]
pub struct LoginRequest {
    /// User name (case-insensitive).
    pub username: String,
    /// Password.
    pub password: String,
}

/// A refresh token, for `POST /api/auth/refresh`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8"}))]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// Body of `POST /api/auth/logout` (optional: without it, the session of the
/// access token ends).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8"}))]
pub struct LogoutRequest {
    /// The refresh token of the session to end, if the caller has it; it must
    /// belong to the caller.
    pub refresh_token: Option<String>,
}

/// Tokens issued by login and refresh.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6IjNiOWYxYzBlNWE3ZDJlNDgifQ.eyJzdWIiOiI0ZTVmNmE3Yi04YzlkLTRlMGYtYTFiMi1jM2Q0ZTVmNmE3YjgiLCJ0aWQiOiI5YjJmNmMxZC0zZTRhLTRiNWMtOGQ2ZS03ZjgwOTFhMmIzYzQiLCJpYXQiOjE3OTYyOTI4NDcsImV4cCI6MTc5NjI5Mzc0N30.Pcb0dtAewE9TAStanNCa3uJliu3HTYNfSqUbtT2C878h9BYccOXFMZ3NcBoutKMUvKasEQbCYNeeC4diDcRTPQ",
    "refresh_token": "dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8",
    "token_type": "Bearer",
    "expires_in": 900
}))]
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
#[schema(example = json!({"current_password": "Harbour-depot-2026", "new_password": "Quay-lights-at-dusk-7"}))]
pub struct ChangePassword {
    /// The password in use.
    pub current_password: String,
    /// The new password (at least 12 characters, two character classes).
    pub new_password: String,
}

/// Body of `POST /api/auth/reset-password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "5qGzm8r4VV13c2PXhFNZtUMybJzQfp5rjqkFKOsf4A8", "new_password": "Quay-lights-at-dusk-7"}))]
pub struct ResetPassword {
    /// The one-time token an administrator issued.
    pub token: String,
    /// The new password.
    pub new_password: String,
}
