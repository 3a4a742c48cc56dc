//! API key request and response bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::api_key::ApiKey;

/// Body of `POST /api/api-keys`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Access control (ACS-17)",
    "permissions": ["event.create", "camera.view_live"],
    "expires_at": "2027-12-31T23:59:59Z"
}))]
pub struct CreateApiKey {
    /// What the key is for.
    pub name: String,
    /// Permissions it carries; each must be one the creator holds. At most as
    /// many as exist; repeats are dropped.
    pub permissions: Vec<String>,
    /// When it stops working (RFC 3339); default never.
    pub expires_at: Option<DateTime<Utc>>,
}

/// An API key, without the key itself.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// First characters, to recognise it.
    pub prefix: String,
    /// The user whose access it narrows.
    pub user_id: Uuid,
    /// Permissions.
    pub permissions: Vec<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revocation time.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Address of the last use.
    pub last_used_ip: Option<String>,
}

impl From<ApiKey> for ApiKeyView {
    fn from(k: ApiKey) -> Self {
        Self {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            user_id: k.user_id,
            permissions: k.permissions,
            created_at: k.created_at,
            expires_at: k.expires_at,
            revoked_at: k.revoked_at,
            last_used_at: k.last_used_at,
            last_used_ip: k.last_used_ip,
        }
    }
}

/// A new key: the only time the key itself is shown.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKey {
    /// The key; send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Shown once.
    pub key: String,
    /// Its record.
    #[serde(flatten)]
    pub info: ApiKeyView,
}

/// A list of keys.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyList {
    /// Newest first.
    pub items: Vec<ApiKeyView>,
}
