//! Who may read a live stream from the restream: holders of a live stream
//! ticket for it (checked here, with public keys only), or VMS users with
//! `camera.view_live` on the camera, whose name and password (RTSP Basic) the
//! control plane checks, under its login rate limits and audit.
//!
//! Each check names the user it admits, so the viewing can be ended when the
//! user is revoked ([`crate::viewers`]); a revocation also drops the user's
//! cached grants and refuses the tickets issued to them before it.
//!
//! Digest authentication cannot be offered: it needs the plain password or a
//! realm-specific hash on the server, and the VMS keeps only Argon2id hashes.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::Mutex,
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};
use tonic::{codegen::InterceptedService, transport::Channel};
use uuid::Uuid;
use vms_base::StreamRole;
use vms_base::{ErrorCode, ServiceError};
use vms_bus::{hot::HotState, revocation::UserRevoked};
use vms_proto::{
    auth::{AttachSecret, InternalSecret},
    v1::{CredentialsRequest, stream_access_client::StreamAccessClient},
};
use vms_rtsp::{
    auth::{self, Presented},
    message::Request,
    server::{Challenge, Connection, Refusal},
};
use vms_ticket::{Purpose, TicketError, TrustedKeys};

use crate::viewers::{Cutoff, Viewers};

/// How long control gets to answer a credentials check.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a connection's accepted credentials stay accepted without
/// asking control again (a client repeats them on every request).
const GRANT_TTL: Duration = Duration::from_secs(300);

/// Who a check admitted, and when their right to watch was last confirmed
/// (Unix seconds): a ticket's issue time, or when control accepted the
/// password. A revocation found later ends what was confirmed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Admission {
    pub(crate) user: Uuid,
    pub(crate) confirmed_at: i64,
}

/// Checks restream clients.
pub(crate) struct Access {
    /// Control's ticket keys, following its key rotation.
    tickets: TrustedKeys,
    control: StreamAccessClient<InterceptedService<Channel, AttachSecret>>,
    /// Accepted (connection, credentials, stream) triples, hashed, with
    /// their expiry, the user they admitted and when (Unix seconds).
    granted: Mutex<HashMap<[u8; 32], (Instant, Uuid, i64)>>,
    /// Every viewing admitted here, by user.
    viewers: Viewers,
    /// Where control records revoked logins and users (checked on every ticket).
    hot: HotState,
    /// Revoked users, with when (Unix seconds): their tickets issued until
    /// then open nothing. Kept as long as a ticket can live.
    revoked: Mutex<HashMap<Uuid, i64>>,
    /// Tickets already used, by id: the connection (nonce) that used each,
    /// and when it expires. A ticket opens one session only.
    used: Mutex<HashMap<Uuid, (String, i64)>>,
}

/// Why a ticket opens nothing.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TicketRefusal {
    /// Not a valid ticket now (forged, expired, already spent): 401.
    #[error("{0}")]
    Invalid(String),
    /// A valid ticket for something else: 403.
    #[error("{0}")]
    Forbidden(String),
}

impl From<TicketError> for TicketRefusal {
    fn from(e: TicketError) -> Self {
        match e.code() {
            ErrorCode::PermissionDenied => TicketRefusal::Forbidden(e.to_string()),
            _ => TicketRefusal::Invalid(e.to_string()),
        }
    }
}

/// The stream a request is for.
pub(crate) struct Target<'a> {
    pub(crate) camera_id: Uuid,
    pub(crate) tenant_id: Uuid,
    pub(crate) role: StreamRole,
    pub(crate) ticket: Option<&'a str>,
}

impl Access {
    /// Trusts the ticket keys in `secrets_dir` and asks control at
    /// `control_url` about passwords, presenting `secret`.
    pub(crate) fn new(
        secrets_dir: PathBuf,
        control_url: &str,
        secret: &InternalSecret,
        hot: HotState,
    ) -> anyhow::Result<Self> {
        let tickets = TrustedKeys::load(&secrets_dir)?;
        let channel = tonic::transport::Endpoint::from_shared(control_url.to_owned())?
            .connect_timeout(Duration::from_secs(3))
            .connect_lazy();
        Ok(Self {
            tickets,
            control: StreamAccessClient::with_interceptor(channel, secret.client()),
            granted: Mutex::new(HashMap::new()),
            viewers: Viewers::default(),
            hot,
            revoked: Mutex::new(HashMap::new()),
            used: Mutex::new(HashMap::new()),
        })
    }

    /// Checks a request for `target` made on `connection`; returns the user it admits.
    pub(crate) async fn check(
        &self,
        request: &Request,
        target: Target<'_>,
        connection: Connection<'_>,
    ) -> Result<Admission, Refusal> {
        if let Some(ticket) = target.ticket {
            return self.check_ticket(ticket, &target, connection).await;
        }
        let Some(header) = request.header("Authorization") else {
            return Err(Refusal::Challenge(Challenge::Basic));
        };
        let Some(Presented::Basic { username, password }) = auth::parse(header) else {
            return Err(Refusal::Challenge(Challenge::Basic));
        };
        let grant = grant_key(connection.nonce, header, &target);
        if let Some(admission) = self.granted_to(&grant) {
            return Ok(admission);
        }
        let question = CredentialsRequest {
            username: username.clone(),
            password,
            camera_id: target.camera_id.to_string(),
            stream: target.role.to_string(),
            purpose: "live".to_owned(),
            client_addr: connection.peer.ip().to_string(),
        };
        let mut control = self.control.clone();
        let decision = match tokio::time::timeout(CHECK_TIMEOUT, control.check_credentials(question)).await {
            Ok(Ok(answer)) => answer.into_inner(),
            Ok(Err(status)) => {
                tracing::warn!(error = %status.message(), "cannot check restream credentials with control");
                return Err(Refusal::Unavailable);
            }
            Err(_) => {
                tracing::warn!("control did not answer a restream credentials check in time");
                return Err(Refusal::Unavailable);
            }
        };
        if decision.allowed {
            let Ok(user) = decision.user_id.parse() else {
                tracing::warn!(user = %username, "control allowed a restream login without naming the user");
                return Err(Refusal::Unavailable);
            };
            Ok(self.grant(grant, user))
        } else {
            tracing::info!(peer = %connection.peer, user = %username, reason = %decision.reason, "restream login refused");
            Err(if decision.authenticated { Refusal::Forbidden } else { Refusal::Challenge(Challenge::Basic) })
        }
    }

    async fn check_ticket(
        &self,
        token: &str,
        target: &Target<'_>,
        connection: Connection<'_>,
    ) -> Result<Admission, Refusal> {
        self.redeem_ticket(token, target, connection.nonce).await.map_err(|e| {
            tracing::info!(peer = %connection.peer, error = %e, "restream ticket refused");
            match e {
                TicketRefusal::Forbidden(_) => Refusal::Forbidden,
                TicketRefusal::Invalid(_) => Refusal::Challenge(Challenge::Basic),
            }
        })
    }

    /// Checks a live ticket for `target` and spends it on `holder` (a
    /// connection or viewing session): the first holder may present it again,
    /// any other is refused. Checked with public keys, against the
    /// revocations applied here and against control's record in Redis (the
    /// login or the user revoked since the ticket was issued), so a
    /// revocation whose message this plane missed still refuses it. While
    /// Redis is unreachable only the first two apply.
    pub(crate) async fn redeem_ticket(
        &self,
        token: &str,
        target: &Target<'_>,
        holder: &str,
    ) -> Result<Admission, TicketRefusal> {
        let now = chrono::Utc::now().timestamp();
        let ticket = self.tickets.verify(token, target.camera_id, target.role.as_str(), Purpose::Live, now)?;
        if ticket.tid != target.tenant_id {
            return Err(TicketRefusal::Forbidden("the ticket is for another tenant".into()));
        }
        if self.revoked_since(ticket.sub, ticket.iat) {
            return Err(TicketError::Revoked.into());
        }
        match self.hot.is_ticket_revoked(ticket.sub, ticket.sid, ticket.iat).await {
            Ok(true) => return Err(TicketError::Revoked.into()),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "ticket revocation check unavailable"),
        }
        let mut used = self.used.lock().expect("used tickets lock should not be poisoned");
        used.retain(|_, (_, exp)| *exp > now);
        let first = used.entry(ticket.jti).or_insert_with(|| (holder.to_owned(), ticket.exp));
        if first.0 != holder {
            return Err(TicketError::AlreadyUsed.into());
        }
        Ok(Admission { user: ticket.sub, confirmed_at: ticket.iat })
    }

    /// The viewings opened through this gate, to register new ones with.
    pub(crate) fn viewers(&self) -> &Viewers {
        &self.viewers
    }

    /// Ends `revoked.user_id`'s viewings and forgets their accepted
    /// credentials, as far as `cutoff` reaches, and refuses the tickets issued
    /// to them until `revoked.at`; returns how many viewings ended.
    pub(crate) fn revoke(&self, revoked: &UserRevoked, cutoff: Cutoff) -> usize {
        let user = revoked.user_id;
        self.granted
            .lock()
            .expect("grant lock should not be poisoned")
            .retain(|_, (_, to, admitted)| *to != user || !cutoff.ends(*admitted));
        let mut marks = self.revoked.lock().expect("revocation lock should not be poisoned");
        let forget_before = chrono::Utc::now().timestamp() - vms_ticket::MAX_TTL_SECS;
        marks.retain(|_, at| *at > forget_before);
        let at = marks.entry(user).or_insert(revoked.at.timestamp());
        *at = (*at).max(revoked.at.timestamp());
        drop(marks);
        self.viewers.revoke(user, cutoff)
    }

    /// Returns the users admitted here who may still be acting on that
    /// admission: those watching, and those whose credentials are cached.
    pub(crate) fn admitted_users(&self) -> std::collections::BTreeSet<Uuid> {
        let mut users = self.viewers.users();
        let granted = self.granted.lock().expect("grant lock should not be poisoned");
        users.extend(granted.values().map(|(_, user, _)| *user));
        users
    }

    /// Returns the latest revocation of `user` applied here (Unix seconds).
    pub(crate) fn revoked_at(&self, user: Uuid) -> Option<i64> {
        self.revoked.lock().expect("revocation lock should not be poisoned").get(&user).copied()
    }

    fn revoked_since(&self, user: Uuid, issued_at: i64) -> bool {
        let marks = self.revoked.lock().expect("revocation lock should not be poisoned");
        marks.get(&user).is_some_and(|at| issued_at <= *at)
    }

    fn granted_to(&self, key: &[u8; 32]) -> Option<Admission> {
        let granted = self.granted.lock().expect("grant lock should not be poisoned");
        granted
            .get(key)
            .filter(|(until, _, _)| *until > Instant::now())
            .map(|(_, user, at)| Admission { user: *user, confirmed_at: *at })
    }

    /// Caches control's acceptance of credentials for `user`, confirmed now.
    fn grant(&self, key: [u8; 32], user: Uuid) -> Admission {
        let mut granted = self.granted.lock().expect("grant lock should not be poisoned");
        let now = Instant::now();
        granted.retain(|_, (until, _, _)| *until > now);
        let admission = Admission { user, confirmed_at: chrono::Utc::now().timestamp() };
        granted.insert(key, (now + GRANT_TTL, user, admission.confirmed_at));
        admission
    }
}

/// Identifies accepted credentials for one stream on one connection (its
/// nonce is unique), without keeping the password itself.
fn grant_key(nonce: &str, authorization: &str, target: &Target<'_>) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in
        [nonce.as_bytes(), authorization.as_bytes(), target.camera_id.as_bytes(), target.role.as_str().as_bytes()]
    {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hash.finalize().into()
}
