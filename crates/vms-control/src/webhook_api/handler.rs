//! Webhook handlers: tenant-wide `rule.manage` (declared in `routes.rs` and
//! checked here), audited as `webhook.create`, `webhook.update`,
//! `webhook.delete` and `webhook.redeliver`. URLs and secrets are never logged.
//! Deliveries carry the events they are about, so reading or resending them
//! also needs tenant-wide `event.read`.

use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use uuid::Uuid;
use vms_catalog::{access::Permission, audit::Outcome, scope, version::Versioned, webhook};

use super::model::{CreateWebhook, DeliveryQuery, DeliveryView, UpdateWebhook, WebhookView};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
    validate,
};

const MANAGE: Permission = Permission::RuleManage;

/// Checks a receiver's URL: `http` or `https`, with a host, at most 2000 characters.
fn checked_url(url: &str) -> Result<String, ApiError> {
    let url = url.trim();
    if url.len() > 2000 {
        return Err(ApiError::invalid("url", "must be at most 2000 characters"));
    }
    let parsed = url::Url::parse(url).map_err(|_| ApiError::invalid("url", "must be an http or https URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::invalid("url", "must be an http or https URL with a host"));
    }
    Ok(url.to_owned())
}

/// Lists the tenant's webhooks, by name.
#[utoipa::path(get, operation_id = "listWebhooks", path = "/api/webhooks", tag = "rules",
    responses((status = 200, body = Vec<WebhookView>), (status = 403, body = ErrorBody)))]
pub async fn list_webhooks(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<Vec<WebhookView>>, ApiError> {
    user.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    Ok(Json(webhook::list(&mut *tx, user.tenant_id).await?.into_iter().map(WebhookView::new).collect()))
}

/// Creates a webhook; the answer holds its signing secret, shown this once.
#[utoipa::path(post, operation_id = "createWebhook", path = "/api/webhooks", tag = "rules", request_body = CreateWebhook,
    responses((status = 201, body = WebhookView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn create_webhook(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<CreateWebhook>,
) -> Result<(StatusCode, Json<WebhookView>), ApiError> {
    user.require(MANAGE)?;
    let name = validate::name("name", &body.name, 200)?;
    let url = checked_url(&body.url)?;
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = format!("whsec_{}", URL_SAFE_NO_PAD.encode(raw));
    let id = Uuid::new_v4();
    let row = webhook::Webhook {
        id,
        tenant_id: user.tenant_id,
        name,
        url,
        secret: catalog.credential_key.seal_bytes(secret.as_bytes(), id.as_bytes()),
        enabled: body.enabled.unwrap_or(true),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let created = webhook::create(&mut *tx, &row).await?;
    crate::commit(tx).await?;
    let entry =
        audit::by(&user, &ip, "webhook.create", Outcome::Success).target("webhook", id).detail("name", &created.name);
    catalog.audit.record(entry).await;
    let mut view = WebhookView::new(created);
    view.secret = Some(secret);
    Ok((StatusCode::CREATED, Json(view)))
}

/// One webhook (without its secret).
#[utoipa::path(get, operation_id = "getWebhook", path = "/api/webhooks/{id}", tag = "rules",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses((status = 200, body = WebhookView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_webhook(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<WebhookView>>, ApiError> {
    user.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // The version first: a change landing between the reads then shows as
    // newer content under an older tag (refused on save), never the reverse.
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Webhook(id)).await?;
    let found = webhook::get(&mut *tx, user.tenant_id, id).await?;
    Ok(etag::tagged(version, Json(WebhookView::new(found))))
}

/// Changes a webhook's name, URL or whether calls are made.
#[utoipa::path(patch, operation_id = "updateWebhook", path = "/api/webhooks/{id}", tag = "rules", request_body = UpdateWebhook,
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses((status = 200, body = WebhookView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_webhook(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateWebhook>,
) -> Result<Tagged<Json<WebhookView>>, ApiError> {
    user.require(MANAGE)?;
    let name = body.name.as_deref().map(|n| validate::name("name", n, 200)).transpose()?;
    let url = body.url.as_deref().map(checked_url).transpose()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    webhook::get(&mut *tx, user.tenant_id, id).await?;
    if_match.check(&mut tx, user.tenant_id, Versioned::Webhook(id)).await?;
    let updated = webhook::update(&mut *tx, user.tenant_id, id, name.as_deref(), url.as_deref(), body.enabled).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Webhook(id)).await?;
    crate::commit(tx).await?;
    let entry = audit::by(&user, &ip, "webhook.update", Outcome::Success)
        .target("webhook", id)
        .detail("url_changed", url.is_some())
        .detail("enabled", updated.enabled);
    catalog.audit.record(entry).await;
    Ok(etag::tagged(version, Json(WebhookView::new(updated))))
}

/// Deletes a webhook and its deliveries; rules naming it report it in their `problems`.
#[utoipa::path(delete, operation_id = "deleteWebhook", path = "/api/webhooks/{id}", tag = "rules",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    user.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    webhook::delete(&mut *tx, user.tenant_id, id).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "webhook.delete", Outcome::Success).target("webhook", id)).await;
    Ok(StatusCode::NO_CONTENT)
}

/// A webhook's calls, newest first: pending, delivered and dead-lettered.
#[utoipa::path(get, operation_id = "listWebhookDeliveries", path = "/api/webhooks/{id}/deliveries", tag = "rules",
    params(("id" = Uuid, Path, description = "Webhook id"), DeliveryQuery),
    responses((status = 200, body = Vec<DeliveryView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_deliveries(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
    query: Result<Query<DeliveryQuery>, QueryRejection>,
) -> Result<Json<Vec<DeliveryView>>, ApiError> {
    user.require(MANAGE)?;
    user.require(Permission::EventRead)?;
    let Query(q) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 500"));
    }
    if q.status.as_deref().is_some_and(|s| !["pending", "delivered", "dead"].contains(&s)) {
        return Err(ApiError::invalid("status", "must be pending, delivered or dead"));
    }
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    webhook::get(&mut *tx, user.tenant_id, id).await?;
    let found = webhook::deliveries(&mut *tx, user.tenant_id, id, q.status.as_deref(), limit).await?;
    Ok(Json(found.into_iter().map(DeliveryView::from).collect()))
}

/// Sends a call again from its first try (a dead-lettered one, say).
#[utoipa::path(post, operation_id = "redeliverWebhookDelivery", path = "/api/webhooks/{id}/deliveries/{delivery}/redeliver", tag = "rules",
    params(("id" = Uuid, Path, description = "Webhook id"), ("delivery" = Uuid, Path, description = "Delivery id")),
    responses((status = 200, body = DeliveryView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn redeliver(
    State(catalog): State<Catalog>,
    State(events): State<crate::events::Events>,
    user: AuthUser,
    ip: ClientIp,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<Json<DeliveryView>, ApiError> {
    user.require(MANAGE)?;
    user.require(Permission::EventRead)?;
    let id: Uuid = id.parse().map_err(|_| ApiError::invalid("id", "must be a UUID"))?;
    let delivery: Uuid = delivery.parse().map_err(|_| ApiError::invalid("delivery", "must be a UUID"))?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let again = webhook::redeliver(&mut *tx, user.tenant_id, id, delivery).await?;
    crate::commit(tx).await?;
    events.webhooks_wake.notify_one();
    let entry =
        audit::by(&user, &ip, "webhook.redeliver", Outcome::Success).target("webhook", id).detail("delivery", delivery);
    catalog.audit.record(entry).await;
    Ok(Json(again.into()))
}
