//! Applying the Redis-backed limits to logins and API calls.
//!
//! When Redis is unreachable the limits are not enforced (requests go ahead)
//! and a warning is logged: availability of the VMS beats rate limiting.

use std::time::Duration;

use vms_bus::ratelimit::Decision;

use crate::{AppState, error::ApiError};

const MINUTE: Duration = Duration::from_secs(60);

fn open_on_error(result: anyhow::Result<Decision>) -> Decision {
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %format!("{e:#}"), "rate limiting unavailable; allowing the request");
        Decision::Allowed
    })
}

/// Counts a login attempt from `ip` and refuses it if the address or the account is over its limit.
pub async fn check_login(state: &AppState, ip: &str, username: &str) -> Result<(), ApiError> {
    let c = &state.config.control;
    if let Decision::Limited(wait) =
        open_on_error(state.hot.hit("login_ip", ip, c.login_attempts_per_ip_per_minute, MINUTE).await)
    {
        return Err(ApiError::rate_limited("too many login attempts from this address", wait));
    }
    if let Decision::Limited(wait) = open_on_error(state.hot.lockout("login_user", &account(username)).await) {
        return Err(ApiError::rate_limited("too many failed logins for this account; try again later", wait));
    }
    Ok(())
}

/// Records a failed login; enough of them lock the account for a growing while.
pub async fn login_failed(state: &AppState, username: &str) {
    let c = &state.config.control;
    let result = state
        .hot
        .record_failure(
            "login_user",
            &account(username),
            c.login_failures_before_lockout,
            Duration::from_secs(c.login_lockout_base_secs.into()),
            Duration::from_secs(c.login_lockout_max_secs.into()),
        )
        .await;
    match result {
        Ok(lock) if !lock.is_zero() => tracing::warn!(lock_secs = lock.as_secs(), "account locked after failed logins"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "failed to record a failed login"),
    }
}

/// Forgets an account's failures after a successful login.
pub async fn login_succeeded(state: &AppState, username: &str) {
    if let Err(e) = state.hot.clear_failures("login_user", &account(username)).await {
        tracing::warn!(error = %format!("{e:#}"), "failed to clear login failures");
    }
}

/// Counts an API request by its principal (`user:<id>` or `key:<id>`).
pub async fn check_api(state: &AppState, principal: &str) -> Result<(), ApiError> {
    let limit = state.config.control.api_requests_per_minute;
    match open_on_error(state.hot.hit("api", principal, limit, MINUTE).await) {
        Decision::Allowed => Ok(()),
        Decision::Limited(wait) => Err(ApiError::rate_limited("too many requests", wait)),
    }
}

fn account(username: &str) -> String {
    username.to_lowercase()
}
