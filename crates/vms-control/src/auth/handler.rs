//! `/api/auth/*`: login, refresh, logout and who-am-I.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use uuid::Uuid;
use vms_catalog::{
    password,
    refresh_token::{self, Rotation},
    user,
};

use super::{
    AuthUser,
    model::{LoginRequest, MeResponse, RefreshRequest, TokenResponse},
    tokens::{new_refresh_token, refresh_token_hash},
};
use crate::{AppState, error::ApiError, extract::ApiJson};

const BAD_LOGIN: &str = "invalid username or password";

/// Exchanges a user name and password for tokens.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    if body.username.is_empty() || body.username.len() > 100 {
        return Err(ApiError::invalid("username", "must be 1 to 100 characters"));
    }
    if body.password.len() > 1024 {
        return Err(ApiError::invalid("password", "must be at most 1024 bytes"));
    }
    let found = user::find_for_login(&state.db, &body.username).await?;
    let candidate = body.password;
    let verified = tokio::task::spawn_blocking(move || match found {
        Some(u) => password::verify(&candidate, &u.password_hash).then_some(u),
        None => {
            password::verify_dummy(&candidate);
            None
        }
    })
    .await
    .map_err(ApiError::internal)?;
    let Some(user) = verified.filter(|u| !u.disabled) else {
        tracing::info!(username = %body.username, "login failed");
        return Err(ApiError::unauthenticated(BAD_LOGIN));
    };
    user::record_login(&state.db, user.id).await?;
    tracing::info!(user_id = %user.id, "login succeeded");
    issue_pair(&state, &user, Uuid::new_v4()).await.map(Json)
}

async fn issue_pair(state: &AppState, user: &user::UserAuth, family: Uuid) -> Result<TokenResponse, ApiError> {
    let refresh = new_refresh_token();
    let expires_at = Utc::now() + chrono::Duration::seconds(state.config.control.refresh_token_ttl_secs.into());
    refresh_token::insert(&state.db, user.tenant_id, user.id, family, &refresh_token_hash(&refresh), expires_at)
        .await?;
    Ok(token_response(state, user, refresh))
}

fn token_response(state: &AppState, user: &user::UserAuth, refresh: String) -> TokenResponse {
    TokenResponse {
        access_token: state.tokens.issue(user),
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: state.tokens.access_ttl().as_secs(),
    }
}

/// Trades a refresh token for a new pair; the old one becomes invalid. Presenting
/// a token twice revokes every token of its login.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let successor = new_refresh_token();
    let expires_at = Utc::now() + chrono::Duration::seconds(state.config.control.refresh_token_ttl_secs.into());
    let rotation = refresh_token::rotate(
        &state.db,
        &refresh_token_hash(&body.refresh_token),
        &refresh_token_hash(&successor),
        expires_at,
    )
    .await?;
    match rotation {
        Rotation::Rotated { user_id, .. } => {
            let user = user::get_auth(&state.db, user_id).await?.filter(|u| !u.disabled);
            let Some(user) = user else {
                return Err(ApiError::unauthenticated("invalid refresh token"));
            };
            Ok(Json(token_response(&state, &user, successor)))
        }
        Rotation::Reused { user_id, family_id } => {
            tracing::warn!(%user_id, %family_id, "refresh token reused; session revoked");
            Err(ApiError::unauthenticated("refresh token reuse detected; session revoked"))
        }
        Rotation::Invalid => Err(ApiError::unauthenticated("invalid refresh token")),
    }
}

/// Ends the session the refresh token belongs to.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "session ended"), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    _user: AuthUser,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    if let Some(family) = refresh_token::family_of(&state.db, &refresh_token_hash(&body.refresh_token)).await? {
        refresh_token::revoke_family(&state.db, family).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Returns the caller's identity and permissions.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = MeResponse), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(user: AuthUser) -> Json<MeResponse> {
    Json(MeResponse {
        id: user.user_id,
        username: user.username,
        tenant_id: user.tenant_id,
        roles: user.roles,
        permissions: user.permissions,
    })
}
