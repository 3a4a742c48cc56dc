//! `/api/auth/*`: login, refresh, logout, who-am-I and passwords.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use uuid::Uuid;
use vms_catalog::{
    Scope,
    audit::{ActorKind, AuditEntry, Outcome},
    password, password_reset,
    refresh_token::{self, Rotation},
    scope, user,
};

use super::{
    AuthUser,
    model::{ChangePassword, LoginRequest, LogoutRequest, MeResponse, RefreshRequest, ResetPassword, TokenResponse},
    tokens::{new_refresh_token, refresh_token_hash},
};
use crate::{
    audit,
    error::ApiError,
    extract::{ApiJson, ClientIp},
    ratelimit,
    state::{AuthState, Catalog},
};

const BAD_LOGIN: &str = "invalid username or password";

/// Hashes on a blocking thread, within the server-wide bound on Argon2id work.
pub(crate) async fn hash_password(auth: &AuthState, password: String) -> Result<String, ApiError> {
    auth.password_work.run(move || password::hash(&password)).await
}

/// Names the account a login attempt typed, for logs and the audit trail: the
/// account's own name when one matched, a keyed pseudonym otherwise (people
/// type passwords into the user name field).
pub(crate) fn attempted_name(auth: &AuthState, typed: &str, found: Option<&user::UserAuth>) -> String {
    match found {
        Some(account) => account.username.clone(),
        None => auth.pseudonyms.of(typed),
    }
}

/// Checks the password policy, naming `field` when it fails.
pub(crate) fn check_policy(field: &str, candidate: &str) -> Result<(), ApiError> {
    match password::policy_violation(candidate) {
        Some(problem) => Err(ApiError::invalid(field, problem)),
        None => Ok(()),
    }
}

/// Exchanges a user name and password for tokens.
#[utoipa::path(post, operation_id = "login", path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody),
              (status = 429, description = "Too many attempts from this address, or the account is locked for it")))]
pub async fn login(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    ip: ClientIp,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    if body.username.is_empty() || body.username.len() > 100 {
        return Err(ApiError::invalid("username", "must be 1 to 100 characters"));
    }
    if body.password.len() > 1024 {
        return Err(ApiError::invalid("password", "must be at most 1024 bytes"));
    }
    let address = ip.label();
    ratelimit::check_login(&auth, &address, &body.username).await?;
    // Login names no tenant, so the lookup spans all of them. The connection
    // goes back to the pool before the hash: a request waiting for a hashing
    // slot must not hold one of the few database connections.
    let found = {
        let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
        user::find_for_login(&mut *tx, &body.username).await?
    };
    let found_tenant = found.as_ref().map(|u| u.tenant_id);
    let attempted = attempted_name(&auth, &body.username, found.as_ref());
    let candidate = body.password;
    let verified = auth.password_work.run(move || password::verify_login(found, &candidate)).await?;
    let Some(user) = verified else {
        tracing::info!(attempted = %attempted, ip = %address, "login failed");
        ratelimit::login_failed(&auth, &address, &body.username).await;
        let entry = AuditEntry::new("auth.login", Outcome::Failure)
            .tenant(found_tenant)
            .actor(ActorKind::Anonymous, None, &attempted)
            .ip(&address);
        catalog.audit.record(entry).await;
        return Err(ApiError::unauthenticated(BAD_LOGIN));
    };
    ratelimit::login_succeeded(&auth, &address, &body.username).await;
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    user::record_login(&mut *tx, user.id).await?;
    let response = issue_pair(&auth, &mut tx, &user, Uuid::new_v4()).await?;
    crate::commit(tx).await?;
    tracing::info!(user_id = %user.id, "login succeeded");
    let entry = AuditEntry::new("auth.login", Outcome::Success)
        .tenant(Some(user.tenant_id))
        .actor(ActorKind::User, Some(user.id), &user.username)
        .ip(&ip.label());
    catalog.audit.record(entry).await;
    Ok(Json(response))
}

async fn issue_pair(
    auth: &AuthState,
    tx: &mut sqlx::PgConnection,
    user: &user::UserAuth,
    family: Uuid,
) -> Result<TokenResponse, ApiError> {
    let refresh = new_refresh_token();
    let expires_at = Utc::now() + chrono::Duration::seconds(auth.config.control.refresh_token_ttl_secs.into());
    refresh_token::insert(&mut *tx, user.tenant_id, user.id, family, &refresh_token_hash(&refresh), expires_at).await?;
    token_response(auth, tx, user, family, refresh).await
}

async fn token_response(
    auth: &AuthState,
    tx: &mut sqlx::PgConnection,
    user: &user::UserAuth,
    family: Uuid,
    refresh: String,
) -> Result<TokenResponse, ApiError> {
    let access = user::access(&mut *tx, user.id).await?;
    Ok(TokenResponse {
        access_token: auth.tokens.issue(user, &access, family),
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: auth.tokens.access_ttl().as_secs(),
    })
}

/// Trades a refresh token for a new pair; the old one becomes invalid. Presenting
/// a token twice revokes every token of its login.
#[utoipa::path(post, operation_id = "refreshToken", path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::ErrorBody)))]
pub async fn refresh(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    ip: ClientIp,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let successor = new_refresh_token();
    let expires_at = Utc::now() + chrono::Duration::seconds(auth.config.control.refresh_token_ttl_secs.into());
    // A refresh token names no tenant, so its lookup spans all of them.
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let rotation = refresh_token::rotate(
        &mut tx,
        &refresh_token_hash(&body.refresh_token),
        &refresh_token_hash(&successor),
        expires_at,
    )
    .await?;
    let result = match rotation {
        Rotation::Rotated { user_id, family_id, .. } => {
            match user::get_auth(&mut *tx, user_id).await?.filter(|u| !u.disabled) {
                Some(user) => Ok(Json(token_response(&auth, &mut tx, &user, family_id, successor).await?)),
                None => Err(ApiError::unauthenticated("invalid refresh token")),
            }
        }
        Rotation::Reused { user_id, family_id } => {
            tracing::warn!(%user_id, %family_id, "refresh token reused; session revoked");
            super::revoke_sessions(&auth, &[family_id]).await;
            let tenant = user::get_auth(&mut *tx, user_id).await?.map(|u| u.tenant_id);
            let entry = AuditEntry::new("auth.refresh_reuse", Outcome::Failure)
                .tenant(tenant)
                .actor(ActorKind::User, Some(user_id), "")
                .target("session", family_id)
                .ip(&ip.label());
            catalog.audit.record(entry).await;
            Err(ApiError::unauthenticated("refresh token reuse detected; session revoked"))
        }
        Rotation::Invalid => Err(ApiError::unauthenticated("invalid refresh token")),
    };
    // Commit even on reuse: the revocation must stick.
    crate::commit(tx).await?;
    result
}

/// Ends the caller's session: the login the access token belongs to, and the
/// one the refresh token belongs to when one is given (it must be the
/// caller's). Both the access token and every refresh token of that login stop
/// working at once. The body is optional; an API key (which has no session)
/// must name a refresh token. A client whose access token has lapsed signs out
/// with its refresh token alone: holding it proves the session.
#[utoipa::path(post, operation_id = "logout", path = "/api/auth/logout", tag = "auth", request_body(content = LogoutRequest, description = "optional"),
    responses((status = 204, description = "session ended"), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody)),
    security((), ("bearer" = [])))]
pub async fn logout(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    ip: ClientIp,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<StatusCode, ApiError> {
    let body: LogoutRequest = if body.iter().all(u8::is_ascii_whitespace) {
        LogoutRequest::default()
    } else {
        crate::extract::parse_json(&body)?
    };
    match super::authenticate(&catalog, &auth, &headers, &ip.label()).await {
        Ok(user) => logout_caller(&catalog, &auth, &user, &ip, body).await,
        Err(refused) => match body.refresh_token {
            Some(token) => logout_by_refresh_token(&catalog, &auth, &ip, &token).await,
            None => Err(refused),
        },
    }
}

/// Logout with a valid access token or API key: its own session, and the
/// named refresh token's if it is the caller's.
async fn logout_caller(
    catalog: &Catalog,
    auth: &AuthState,
    user: &AuthUser,
    ip: &ClientIp,
    body: LogoutRequest,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.home_tenant_id)).await?;
    let named = match &body.refresh_token {
        Some(token) => refresh_token::family_of_user(&mut *tx, &refresh_token_hash(token), user.user_id).await?,
        None => None,
    };
    let sessions: Vec<Uuid> =
        named.into_iter().chain(user.session).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    if sessions.is_empty() {
        return Err(ApiError::invalid("refresh_token", "names no session of yours"));
    }
    for family in &sessions {
        refresh_token::revoke_family(&mut *tx, *family).await?;
    }
    crate::commit(tx).await?;
    super::revoke_sessions(auth, &sessions).await;
    catalog.audit.record(audit::by(user, ip, "auth.logout", Outcome::Success)).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Logout without a usable access token: the refresh token names the session.
/// A revoked or expired token ends nothing; a used one is reuse, as at refresh.
async fn logout_by_refresh_token(
    catalog: &Catalog,
    auth: &AuthState,
    ip: &ClientIp,
    token: &str,
) -> Result<StatusCode, ApiError> {
    // A refresh token names no tenant, so its lookup spans all of them.
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let ending = refresh_token::end_login(&mut tx, &refresh_token_hash(token)).await?;
    crate::commit(tx).await?;
    let (action, outcome, login) = match ending {
        refresh_token::Ending::Invalid => return Err(ApiError::unauthenticated("invalid refresh token")),
        refresh_token::Ending::Ended(login) => ("auth.logout", Outcome::Success, login),
        refresh_token::Ending::Reused(login) => {
            tracing::warn!(user_id = %login.user_id, family_id = %login.family_id,
                "used refresh token presented at logout; session revoked");
            ("auth.refresh_reuse", Outcome::Failure, login)
        }
    };
    let family = login.family_id;
    super::revoke_sessions(auth, &[family]).await;
    let entry = AuditEntry::new(action, outcome)
        .tenant(Some(login.tenant_id))
        .actor(ActorKind::User, Some(login.user_id), "")
        .target("session", family)
        .ip(&ip.label());
    catalog.audit.record(entry).await;
    match ending {
        refresh_token::Ending::Reused(_) => {
            Err(ApiError::unauthenticated("refresh token reuse detected; session revoked"))
        }
        _ => Ok(StatusCode::NO_CONTENT),
    }
}

/// Returns the caller's identity and permissions.
#[utoipa::path(get, operation_id = "getCurrentUser", path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = MeResponse), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<MeResponse>, ApiError> {
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.tenant_id)).await?;
    let tenant = vms_catalog::tenant::get(&mut *tx, user.tenant_id).await?;
    drop(tx);
    Ok(Json(MeResponse {
        id: user.user_id,
        username: user.username,
        tenant_id: user.tenant_id,
        tenant_name: tenant.name,
        super_admin: user.super_admin,
        permissions: user.access.all_permissions().into_iter().collect(),
        access: serde_json::to_value(&user.access).unwrap_or_default(),
    }))
}

/// Changes the caller's own password; every other login of theirs ends.
#[utoipa::path(post, operation_id = "changePassword", path = "/api/auth/password", tag = "auth", request_body = ChangePassword,
    responses((status = 204, description = "changed"), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<StatusCode, ApiError> {
    check_policy("new_password", &body.new_password)?;
    // No connection is held across the hashing (see `login`).
    let current = {
        let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.home_tenant_id)).await?;
        user::get_auth(&mut *tx, user.user_id).await?.ok_or_else(|| ApiError::unauthenticated("unknown user"))?
    };
    let candidate = body.current_password;
    let hash = current.password_hash.clone();
    let ok = auth.password_work.run(move || password::verify(&candidate, &hash)).await?;
    if !ok {
        catalog.audit.record(audit::by(&user, &ip, "auth.password_change", Outcome::Failure)).await;
        return Err(ApiError::invalid("current_password", "is wrong"));
    }
    let new_hash = hash_password(&auth, body.new_password).await?;
    let mut tx = scope::begin(&catalog.db, Scope::Tenant(user.home_tenant_id)).await?;
    user::set_password(&mut *tx, user.home_tenant_id, user.user_id, &new_hash).await?;
    let sessions = refresh_token::revoke_user(&mut *tx, user.user_id).await?;
    crate::commit(tx).await?;
    super::revoke_sessions(&auth, &sessions).await;
    // What the old password opened (a restream session, a live view) ends too.
    super::revoke_user_tickets(&auth, &[user.user_id]).await;
    catalog.audit.record(audit::by(&user, &ip, "auth.password_change", Outcome::Success)).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a new password with a one-time token an administrator issued.
#[utoipa::path(post, operation_id = "resetPassword", path = "/api/auth/reset-password", tag = "auth", request_body = ResetPassword,
    responses((status = 204, description = "password set"), (status = 400, body = crate::error::ErrorBody),
              (status = 429, description = "Too many attempts from this address")))]
pub async fn reset_password(
    State(catalog): State<Catalog>,
    State(auth): State<AuthState>,
    ip: ClientIp,
    ApiJson(body): ApiJson<ResetPassword>,
) -> Result<StatusCode, ApiError> {
    ratelimit::check_reset(&auth, &ip.label()).await?;
    check_policy("new_password", &body.new_password)?;
    let token_hash = refresh_token_hash(&body.token);
    let invalid = || ApiError::invalid("token", "is invalid, used or expired");
    // The token names no tenant, so its lookup spans all of them. It is checked
    // before any hashing, so bad tokens cost no Argon2id work.
    {
        let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
        if !password_reset::is_redeemable(&mut *tx, &token_hash).await? {
            return Err(invalid());
        }
    }
    let new_hash = hash_password(&auth, body.new_password).await?;
    let mut tx = scope::begin(&catalog.db, Scope::AllTenants).await?;
    let Some((tenant, user_id)) = password_reset::consume(&mut *tx, &token_hash).await? else {
        return Err(invalid());
    };
    user::set_password(&mut *tx, tenant, user_id, &new_hash).await?;
    let sessions = refresh_token::revoke_user(&mut *tx, user_id).await?;
    crate::commit(tx).await?;
    super::revoke_sessions(&auth, &sessions).await;
    super::revoke_user_tickets(&auth, &[user_id]).await;
    tracing::info!(%user_id, "password reset with a one-time token");
    let entry = AuditEntry::new("auth.password_reset", Outcome::Success)
        .tenant(Some(tenant))
        .actor(ActorKind::User, Some(user_id), "")
        .ip(&ip.label());
    catalog.audit.record(entry).await;
    Ok(StatusCode::NO_CONTENT)
}
