//! The JSON of the webhooks API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use vms_catalog::webhook::{Delivery, Webhook};

/// A new webhook.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Control room dispatcher", "url": "https://hooks.example.com/vms/events", "enabled": true}))]
pub struct CreateWebhook {
    /// Unique in the tenant, 1–200 characters.
    pub name: String,
    /// Where calls go: an `http` or `https` URL, at most 2000 characters.
    pub url: String,
    /// Whether calls are made (default true); a disabled webhook's calls wait.
    pub enabled: Option<bool>,
}

/// Changes to a webhook.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://hooks.example.com/vms/events/v2", "enabled": false}))]
pub struct UpdateWebhook {
    /// New name.
    pub name: Option<String>,
    /// New URL.
    pub url: Option<String>,
    /// Whether calls are made.
    pub enabled: Option<bool>,
}

/// A webhook.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
    "name": "Control room dispatcher",
    "url": "https://hooks.example.com/vms/events",
    "enabled": true,
    "created_at": "2026-11-25T08:31:02Z",
    "updated_at": "2026-11-25T08:31:02Z"
}))]
pub struct WebhookView {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Where calls go.
    pub url: String,
    /// Whether calls are made.
    pub enabled: bool,
    /// The signing secret: only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl WebhookView {
    /// The view of a stored webhook (never its secret).
    pub fn new(w: Webhook) -> Self {
        Self {
            id: w.id,
            name: w.name,
            url: w.url,
            enabled: w.enabled,
            secret: None,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// One call of a webhook.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryView {
    /// Its id (the `X-VMS-Delivery` header).
    pub id: Uuid,
    /// The rule that asked for it.
    pub rule_id: Uuid,
    /// The event it is about.
    pub event_id: Uuid,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    /// Tries so far.
    pub attempts: i32,
    /// When the next try is due (while pending).
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's last HTTP status.
    pub last_status: Option<i32>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it was delivered or dead-lettered.
    pub finished_at: Option<DateTime<Utc>>,
    /// What is sent.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            rule_id: d.rule_id,
            event_id: d.event_id,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
            finished_at: d.finished_at,
            body: d.body,
        }
    }
}

/// Which deliveries to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// Only `pending`, `delivered` or `dead` ones.
    pub status: Option<String>,
    /// At most this many, 1–500 (100).
    pub limit: Option<i64>,
}
