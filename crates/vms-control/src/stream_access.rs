//! The `StreamAccess` gRPC service: user name and password checks for the
//! planes' RTSP servers (VLC and other standard clients), under the same
//! rate limits and audit as the API's login.

use tonic::{Request, Response, Status};
use uuid::Uuid;
use vms_catalog::{
    Scope,
    audit::{ActorKind, AuditEntry, Outcome},
    camera, password, scope, user,
};
use vms_proto::v1::{self, AccessDecision, CredentialsRequest};
use vms_ticket::Purpose;

use crate::{
    AppState, ratelimit,
    state::{AuthState, Catalog},
};

/// Serves `StreamAccess`.
pub struct StreamAccessService {
    catalog: Catalog,
    auth: AuthState,
}

impl StreamAccessService {
    /// Creates the service over the control plane's catalog and sign-in state.
    pub fn new(state: &AppState) -> Self {
        Self { catalog: state.catalog.clone(), auth: state.auth.clone() }
    }
}

fn deny(reason: impl Into<String>) -> Response<AccessDecision> {
    Response::new(AccessDecision { allowed: false, reason: reason.into(), ..Default::default() })
}

fn internal(e: impl std::fmt::Display) -> Status {
    tracing::error!(error = %e, "stream access check failed");
    vms_proto::status::status(vms_base::ErrorCode::Unavailable, "access check unavailable")
}

#[tonic::async_trait]
impl v1::stream_access_server::StreamAccess for StreamAccessService {
    async fn check_credentials(
        &self,
        request: Request<CredentialsRequest>,
    ) -> Result<Response<AccessDecision>, Status> {
        let req = request.into_inner();
        let (catalog, auth) = (&self.catalog, &self.auth);
        let camera_id: Uuid = req
            .camera_id
            .parse()
            .map_err(|_| vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, "camera_id must be a UUID"))?;
        let purpose = match req.purpose.as_str() {
            "live" => Purpose::Live,
            "archive" => Purpose::Archive,
            "export" => Purpose::Export,
            _ => {
                return Err(vms_proto::status::status(
                    vms_base::ErrorCode::InvalidArgument,
                    "purpose must be live, archive or export",
                ));
            }
        };
        if let Err(e) = ratelimit::check_login(auth, &req.client_addr, &req.username).await {
            return Ok(deny(e.message()));
        }
        let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await.map_err(internal)?;
        let found = user::find_for_login(&mut *tx, &req.username).await.map_err(internal)?;
        drop(tx);
        let found_tenant = found.as_ref().map(|u| u.tenant_id);
        let attempted = crate::auth::handler::attempted_name(auth, &req.username, found.as_ref());
        let candidate = req.password.clone();
        let verified = auth
            .password_work
            .run(move || password::verify_login(found, &candidate))
            .await
            .map_err(|e| vms_proto::status::status(vms_base::ErrorCode::Unavailable, e.message().to_owned()))?;
        let Some(account) = verified else {
            ratelimit::login_failed(auth, &req.client_addr, &req.username).await;
            let entry = AuditEntry::new("stream.rtsp_login", Outcome::Failure)
                .tenant(found_tenant)
                .actor(ActorKind::Anonymous, None, &attempted)
                .target("camera", camera_id)
                .ip(&req.client_addr);
            catalog.audit.record(entry).await;
            return Ok(deny("invalid username or password"));
        };
        ratelimit::login_succeeded(auth, &req.client_addr, &req.username).await;
        let mut tx = scope::begin(&catalog.db, Scope::Tenant(account.tenant_id)).await.map_err(internal)?;
        let access = user::access(&mut *tx, account.id).await.map_err(internal)?;
        let cam = match camera::get(&mut tx, account.tenant_id, camera_id).await {
            Ok(c) => c,
            Err(vms_catalog::CatalogError::NotFound { .. }) => {
                return Ok(Response::new(AccessDecision {
                    authenticated: true,
                    ..deny("no such camera").into_inner()
                }));
            }
            Err(e) => return Err(internal(e)),
        };
        drop(tx);
        let entry = AuditEntry::new(&format!("stream.rtsp_{}", req.purpose), Outcome::Success)
            .tenant(Some(account.tenant_id))
            .actor(ActorKind::User, Some(account.id), &account.username)
            .target("camera", camera_id)
            .ip(&req.client_addr)
            .detail("stream", &req.stream);
        if !access.on_camera(purpose.permission(), cam.site_id, cam.id)
            || !cam.streams.iter().any(|s| s.role.as_str() == req.stream)
        {
            catalog.audit.record(AuditEntry { outcome: Outcome::Denied, ..entry }).await;
            let reason = format!("missing permission {} on this camera and stream", purpose.permission());
            return Ok(Response::new(AccessDecision { authenticated: true, ..deny(reason).into_inner() }));
        }
        catalog.audit.record(entry).await;
        Ok(Response::new(AccessDecision {
            allowed: true,
            reason: String::new(),
            user_id: account.id.to_string(),
            tenant_id: account.tenant_id.to_string(),
            authenticated: true,
        }))
    }
}
