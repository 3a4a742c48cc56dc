//! Issuing stream tickets. The route requires one of the stream permissions
//! somewhere (`routes.rs`); here the one matching the purpose is checked
//! against the camera. Opening live or archive video is audited here, where
//! the viewing starts.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{TimeZone, Utc};
use vms_catalog::{audit::Outcome, camera, scope};

use super::model::{TicketRequest, TicketView};
use crate::extract::StreamPath;
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ClientIp},
    state::{Archive, Catalog},
};

/// Issues a ticket to open one stream of a camera for a purpose.
#[utoipa::path(post, operation_id = "issueStreamTicket", path = "/api/cameras/{id}/streams/{role}/ticket", tag = "cameras",
    request_body = TicketRequest,
    params(("id" = uuid::Uuid, Path, description = "Camera id"), ("role" = String, Path, description = "`main` or `sub`")),
    responses((status = 201, body = TicketView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn issue_ticket(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    ip: ClientIp,
    StreamPath { camera: id, role }: StreamPath,
    ApiJson(body): ApiJson<TicketRequest>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let purpose: vms_ticket::Purpose = body.purpose.into();
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    if purpose == vms_ticket::Purpose::Live {
        let found = camera::get(&mut tx, user.tenant_id, id).await?;
        user.require_on_camera(purpose.permission(), found.site_id, found.id)?;
        if !found.streams.iter().any(|s| s.role == role) {
            return Err(ApiError::new(vms_base::ErrorCode::NotFound, format!("camera {id} has no `{role}` stream")));
        }
    } else {
        // A deleted camera's footage stays reachable until retention removes it.
        let found = camera::for_archive(&mut *tx, user.tenant_id, id).await?;
        user.require_on_camera(purpose.permission(), found.site_id, found.id)?;
    }
    drop(tx);
    let now = catalog.clock.now().timestamp();
    let ttl = i64::from(archive.config.control.ticket_ttl_secs);
    // The login rides along, so ending it (or disabling the user) revokes the ticket.
    let grant = vms_ticket::Grant {
        user: user.user_id,
        tenant: user.tenant_id,
        session: user.session,
        camera: id,
        stream: role.as_str(),
        purpose,
        window: None,
    };
    let (token, ticket) = archive.tickets.sign(&grant, now, ttl);
    let action = match body.purpose {
        super::model::PurposeInput::Live => "stream.view_live",
        super::model::PurposeInput::Archive => "stream.view_archive",
        super::model::PurposeInput::Export => "stream.export_ticket",
    };
    let entry = audit::by(&user, &ip, action, Outcome::Success)
        .target("camera", id)
        .detail("stream", role)
        .detail("ticket", ticket.jti);
    catalog.audit.record(entry).await;
    let expires_at = Utc.timestamp_opt(ticket.exp, 0).single().unwrap_or_else(Utc::now);
    Ok((StatusCode::CREATED, Json(TicketView { ticket: token, expires_at, purpose: body.purpose })))
}
