//! Alert rule and alert handlers.

use axum::{
    Json,
    extract::{Path, State},
};
use vms_catalog::{access::Permission, audit::Outcome, scope};

use super::model::{AlertRuleView, AlertView, UpdateAlertRule};
use crate::{
    alerts::{
        engine::Subject,
        rule::{AlertKind, AlertRule, Rules},
    },
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp},
    state::{Catalog, Planes},
};

/// Lists every built-in alert rule with its settings and bounds.
#[utoipa::path(get, operation_id = "listAlertRules", path = "/api/alert-rules", tag = "system",
    responses((status = 200, body = Vec<AlertRuleView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_alert_rules(
    State(catalog): State<Catalog>,
    user: AuthUser,
) -> Result<Json<Vec<AlertRuleView>>, ApiError> {
    user.require_super_admin()?;
    let rules = Rules::load(&catalog.db).await?;
    Ok(Json(rules.iter().map(AlertRuleView::from).collect()))
}

/// Changes a rule's settings; what the body leaves out keeps its value.
/// Takes effect at the next check (within seconds).
#[utoipa::path(put, operation_id = "updateAlertRule", path = "/api/alert-rules/{kind}", tag = "system",
    params(("kind" = AlertKind, Path, description = "The rule, e.g. `disk_free_low`")),
    request_body = UpdateAlertRule,
    responses((status = 200, body = AlertRuleView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_alert_rule(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<UpdateAlertRule>,
) -> Result<Json<AlertRuleView>, ApiError> {
    user.require_super_admin()?;
    let kind =
        AlertKind::parse(&kind).ok_or_else(|| ApiError::new(vms_base::ErrorCode::NotFound, "no such alert rule"))?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let current = Rules::from_stored(vms_catalog::alert_rule::list(&mut *tx).await?).get(kind).clone();
    let spec = kind.spec();
    let rule = AlertRule {
        enabled: body.enabled.unwrap_or(current.enabled),
        threshold: body.threshold.or(spec.threshold.map(|_| current.threshold())),
        for_secs: body.for_secs.unwrap_or(current.for_secs),
        clear_after_secs: body.clear_after_secs.unwrap_or(current.clear_after_secs),
        window_secs: body.window_secs.or(spec.window.map(|_| current.window().as_secs() as u32)),
        ..current
    };
    rule.check().map_err(|(field, problem)| ApiError::invalid(field, problem))?;
    let stored = vms_catalog::alert_rule::save(&mut *tx, &rule.to_stored()).await?;
    crate::commit(tx).await?;
    let saved =
        AlertRule::from_stored(stored).ok_or_else(|| ApiError::internal("the stored alert rule is unreadable"))?;
    let mut entry = audit::by(&user, &ip, "alert_rule.update", Outcome::Success)
        .target("alert_rule", kind.as_str())
        .detail("enabled", saved.enabled)
        .detail("for_secs", saved.for_secs)
        .detail("clear_after_secs", saved.clear_after_secs);
    if let Some(threshold) = saved.threshold {
        entry = entry.detail("threshold", threshold);
    }
    if let Some(window) = saved.window_secs {
        entry = entry.detail("window_secs", window);
    }
    catalog.audit.record(entry).await;
    Ok(Json(AlertRuleView::from(&saved)))
}

/// The alerts raised now, oldest first. A super-admin sees every alert with
/// its details; anyone else holding `system.manage` sees their tenant's
/// cameras' alerts and those of what records and serves every tenant
/// (without paths or other tenants' figures), not the installation's own.
#[utoipa::path(get, operation_id = "listAlerts", path = "/api/alerts", tag = "system",
    responses((status = 200, body = Vec<AlertView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_alerts(State(planes): State<Planes>, user: AuthUser) -> Result<Json<Vec<AlertView>>, ApiError> {
    user.require(Permission::SystemManage)?;
    let whole = user.super_admin;
    let alerts = planes.alerts.active().into_iter().filter(|a| {
        whole
            || match a.subject {
                Subject::Camera { tenant_id, .. } => tenant_id == user.tenant_id,
                Subject::Shared { .. } => true,
                Subject::Installation => false,
            }
    });
    Ok(Json(alerts.map(|a| AlertView::new(a, whole)).collect()))
}
