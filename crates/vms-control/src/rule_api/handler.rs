//! Rule handlers: tenant-wide `rule.manage` (declared in `routes.rs` and
//! checked here), audited as `rule.create`, `rule.update`, `rule.delete`.
//! Writing a rule also needs tenant-wide `event.read`: its webhook calls
//! carry the events, so it must not reach further than its author; a rule
//! that takes snapshots needs tenant-wide `camera.view_archive`, and one
//! that records, tenant-wide `camera.manage`.

use axum::{Json, extract::State, http::StatusCode};
use sqlx::PgConnection;
use uuid::Uuid;
use vms_catalog::{
    access::Permission,
    audit::Outcome,
    rule::{self, StoredRule},
    scope,
    version::{self, Versioned},
    webhook,
};
use vms_rules::{Action, Rule};

use super::model::{RuleBody, RuleView, from_body};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    events::Events,
    extract::{ApiJson, ClientIp, IdPath},
    state::Catalog,
};

const MANAGE: Permission = Permission::RuleManage;

/// Lists the tenant's rules, by name.
#[utoipa::path(get, operation_id = "listRules", path = "/api/rules", tag = "rules",
    responses((status = 200, body = Vec<RuleView>), (status = 403, body = ErrorBody)))]
pub async fn list_rules(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<Vec<RuleView>>, ApiError> {
    user.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let stored = rule::list(&mut *tx, user.tenant_id).await?;
    let mut views = Vec::with_capacity(stored.len());
    for r in stored {
        let problems = problems(&mut tx, &user, &r).await?;
        views.push(RuleView::new(r, problems));
    }
    Ok(Json(views))
}

/// One rule.
#[utoipa::path(get, operation_id = "getRule", path = "/api/rules/{id}", tag = "rules",
    params(("id" = Uuid, Path, description = "Rule id")),
    responses((status = 200, body = RuleView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_rule(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<RuleView>>, ApiError> {
    user.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let r = rule::get(&mut *tx, user.tenant_id, id).await?;
    let problems = problems(&mut tx, &user, &r).await?;
    Ok(etag::tagged(Some(r.updated_at), Json(RuleView::new(r, problems))))
}

/// Creates a rule.
#[utoipa::path(post, operation_id = "createRule", path = "/api/rules", tag = "rules", request_body = RuleBody,
    responses((status = 201, body = RuleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn create_rule(
    State(catalog): State<Catalog>,
    State(events): State<Events>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<RuleBody>,
) -> Result<(StatusCode, Json<RuleView>), ApiError> {
    user.require(MANAGE)?;
    let (rule, mqtt) = (from_body(Uuid::new_v4(), body), events.mqtt.is_some());
    let view = write(&catalog, &user, rule, None, &IfMatch::default(), mqtt).await?;
    record(&catalog, &user, &ip, "rule.create", &view).await;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replaces a rule whole.
#[utoipa::path(put, operation_id = "updateRule", path = "/api/rules/{id}", tag = "rules", request_body = RuleBody,
    params(("id" = Uuid, Path, description = "Rule id")),
    responses((status = 200, body = RuleView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_rule(
    State(catalog): State<Catalog>,
    State(events): State<Events>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<RuleBody>,
) -> Result<Tagged<Json<RuleView>>, ApiError> {
    user.require(MANAGE)?;
    let view = write(&catalog, &user, from_body(id, body), Some(id), &if_match, events.mqtt.is_some()).await?;
    record(&catalog, &user, &ip, "rule.update", &view).await;
    Ok(etag::tagged(Some(view.updated_at), Json(view)))
}

/// Deletes a rule.
#[utoipa::path(delete, operation_id = "deleteRule", path = "/api/rules/{id}", tag = "rules",
    params(("id" = Uuid, Path, description = "Rule id")),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_rule(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    user.require(MANAGE)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    rule::delete(&mut *tx, user.tenant_id, id).await?;
    crate::commit(tx).await?;
    catalog.audit.record(audit::by(&user, &ip, "rule.delete", Outcome::Success).target("rule", id)).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks `rule` and stores it (as new, or replacing `existing`); `mqtt`
/// says whether a broker is configured for its MQTT actions.
async fn write(
    catalog: &Catalog,
    user: &AuthUser,
    rule: Rule,
    existing: Option<Uuid>,
    if_match: &IfMatch,
    mqtt: bool,
) -> Result<RuleView, ApiError> {
    // A rule hands events to a receiver: only someone who may read them all may write one.
    user.require(Permission::EventRead)?;
    if let Some(id) = existing {
        // Another tenant's rule, or none, is not found before anything is said about the body.
        let mut tx = scope::begin(&catalog.db, user.scope()).await?;
        rule::get(&mut *tx, user.tenant_id, id).await?;
    }
    vms_rules::validate(&rule).map_err(|e| ApiError::invalid(&e.field, &e.message))?;
    for (i, action) in rule.actions.iter().enumerate() {
        match action {
            Action::Webhook { .. } | Action::Notify { .. } => {}
            // It overrides the cameras' recording schedules and modes.
            Action::Record { .. } => user.require(Permission::CameraManage)?,
            // Its pictures go wherever the rule's later actions send them.
            Action::Snapshot => user.require(Permission::CameraViewArchive)?,
            Action::Mqtt { .. } if mqtt => {}
            Action::Mqtt { .. } => {
                return Err(ApiError::invalid(
                    &format!("actions[{i}].kind"),
                    "no MQTT broker is configured on this installation (mqtt.url)",
                ));
            }
        }
    }
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let named = named_things(&mut tx, user).await?;
    for (i, camera) in rule.conditions.cameras.iter().enumerate() {
        if !named.cameras.contains(camera) {
            return Err(ApiError::invalid(&format!("conditions.cameras[{i}]"), "no such camera"));
        }
    }
    for (i, site) in rule.conditions.sites.iter().enumerate() {
        if !named.sites.contains(site) {
            return Err(ApiError::invalid(&format!("conditions.sites[{i}]"), "no such site"));
        }
    }
    for (i, action) in rule.actions.iter().enumerate() {
        if let Action::Webhook { webhook_id } = action
            && !named.webhooks.iter().any(|(id, _)| id == webhook_id)
        {
            return Err(ApiError::invalid(&format!("actions[{i}].webhook_id"), "no such webhook"));
        }
    }
    let stored = StoredRule {
        id: rule.id,
        tenant_id: user.tenant_id,
        name: rule.name.clone(),
        enabled: rule.enabled,
        conditions: serde_json::to_value(&rule.conditions).expect("conditions serialise"),
        actions: serde_json::to_value(&rule.actions).expect("actions serialise"),
        cooldown_secs: i32::try_from(rule.cooldown_secs).unwrap_or(i32::MAX),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    if let Some(id) = existing {
        // Locked until the write; gone since the first look is still not found.
        let current = version::of(&mut tx, user.tenant_id, Versioned::Rule(id), true).await?;
        if current.is_none() {
            return Err(vms_catalog::CatalogError::NotFound { what: "rule", id: id.to_string() }.into());
        }
        if_match.holds_for(current)?;
    }
    let saved = rule::put(&mut *tx, &stored).await?;
    crate::commit(tx).await?;
    Ok(RuleView::new(saved, Vec::new()))
}

/// The tenant's cameras, sites and webhooks (with whether each is enabled).
struct Named {
    cameras: Vec<Uuid>,
    sites: Vec<Uuid>,
    webhooks: Vec<(Uuid, bool)>,
}

async fn named_things(tx: &mut PgConnection, user: &AuthUser) -> Result<Named, ApiError> {
    let cameras = vms_catalog::camera::sites_of_cameras(&mut *tx, user.tenant_id).await?;
    let sites = vms_catalog::site::list(&mut *tx, user.tenant_id).await?;
    let webhooks = webhook::list(&mut *tx, user.tenant_id).await?;
    Ok(Named {
        cameras: cameras.into_iter().map(|(c, _)| c).collect(),
        sites: sites.into_iter().map(|s| s.id).collect(),
        webhooks: webhooks.into_iter().map(|w| (w.id, w.enabled)).collect(),
    })
}

/// What a stored rule names that is gone or off.
async fn problems(tx: &mut PgConnection, user: &AuthUser, r: &StoredRule) -> Result<Vec<String>, ApiError> {
    let Ok(rule) = super::model::to_rule(r) else { return Ok(vec!["the rule no longer reads; write it again".into()]) };
    let named = named_things(tx, user).await?;
    let mut out = Vec::new();
    for camera in rule.conditions.cameras.iter().filter(|c| !named.cameras.contains(c)) {
        out.push(format!("camera {camera} no longer exists"));
    }
    for site in rule.conditions.sites.iter().filter(|s| !named.sites.contains(s)) {
        out.push(format!("site {site} no longer exists"));
    }
    for action in &rule.actions {
        if let Action::Webhook { webhook_id } = action {
            match named.webhooks.iter().find(|(id, _)| id == webhook_id) {
                None => out.push(format!("webhook {webhook_id} no longer exists")),
                Some((_, false)) => out.push(format!("webhook {webhook_id} is disabled; its calls wait")),
                Some(_) => {}
            }
        }
    }
    Ok(out)
}

async fn record(catalog: &Catalog, user: &AuthUser, ip: &ClientIp, action: &str, view: &RuleView) {
    let entry = audit::by(user, ip, action, Outcome::Success).target("rule", view.id).detail("name", &view.name);
    catalog.audit.record(entry).await;
}
